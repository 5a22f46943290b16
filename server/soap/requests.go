package soap

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/distributor"
	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/store"
)

// RequestSubmitter sends a company's request to a distributor: it
// validates the request, writes its file into the outbox and stores it.
// *requests.Service implements it. Its errors wrap distributor.ErrProfile
// for a profile the company does not use, and store.ErrConflict for a
// case number or file name used before.
type RequestSubmitter interface {
	Submit(ctx context.Context, company store.CompanyID, profile string, req *distributor.Request) (store.DistributorRequest, error)
}

func (h *Handler) submitDistributorRequest(ctx context.Context, c *call, d *bodyDecoder) (any, error) {
	var in client.SubmitDistributorRequestRequest
	if err := d.decode(&in); err != nil {
		return nil, err
	}
	if h.opts.Requests == nil {
		return nil, clientFault("Profile", str(in.Profile), "requests to distributors are not configured for this server")
	}
	profile := str(in.Profile)
	if profile == "" {
		return nil, clientFault("Profile", "", "is required: give the ID of one of the company's distributor profiles")
	}
	if in.Request == nil {
		return nil, clientFault("Request", "", "is required")
	}
	req, err := requestOf(in.Request)
	if err != nil {
		return nil, err
	}
	stored, err := h.opts.Requests.Submit(ctx, c.company.ID, profile, req)
	if err != nil {
		return nil, h.submitFault(ctx, c, profile, req, err)
	}
	return submitResponse(stored), nil
}

// submitFault converts a failed submission into its fault. For a
// conflict that is not a used file name, it looks the case number up. When
// the company has a request with that case number, the case number caused
// the conflict. Otherwise a file of the same name is in the outbox.
func (h *Handler) submitFault(ctx context.Context, c *call, profile string, req *distributor.Request, err error) error {
	var invalid *distributor.InvalidRequestError
	switch {
	case errors.As(err, &invalid):
		return invalidRequestFault(invalid)
	case errors.Is(err, distributor.ErrProfile):
		return clientFault("Profile", profile, err.Error())
	case errors.Is(err, distributor.ErrUnknownService):
		return clientFault("Service", req.Service, err.Error())
	case errors.Is(err, distributor.ErrNameUsed):
		return clientFault("FileName", "", err.Error())
	case errors.Is(err, store.ErrConflict):
		_, lookupErr := h.opts.Store.Request(ctx, c.company.ID, req.IDs.CaseNumber)
		switch {
		case lookupErr == nil:
			return clientFault("CaseNumber", req.IDs.CaseNumber, "is already used by a request of the company: give each request its own case number")
		case errors.Is(lookupErr, store.ErrNotFound):
			return clientFault("FileName", "", err.Error())
		}
		return errors.Join(err, lookupErr)
	}
	return err
}

// invalidRequestFault returns the Client fault of a request with blocking
// anomalies. Its detail names the first blocking anomaly and lists all.
func invalidRequestFault(e *distributor.InvalidRequestError) *Fault {
	f := &Fault{Code: FaultClient, Message: e.Error(), Anomalies: e.Anomalies}
	for _, a := range e.Anomalies {
		if a.Blocking() {
			f.Detail = FaultInfo{Element: a.Field, Value: a.Value, Message: a.Message}
			break
		}
	}
	return f
}

func submitResponse(r store.DistributorRequest) *client.SubmitDistributorRequestResponse {
	state := client.RequestState(r.State)
	return &client.SubmitDistributorRequestResponse{CaseNumber: r.CaseNumber, Profile: r.Profile,
		Service: r.Service, Pod: r.POD, State: &state,
		File:     &client.RequestFile{Folder: r.File.Folder, Name: r.File.Name, Inner: r.File.Inner, Sequence: r.File.Seq},
		Deadline: dateTime(r.Deadline), CreatedAt: dateTime(r.CreatedAt)}
}

func (h *Handler) pullRequestUpdates(ctx context.Context, c *call, d *bodyDecoder) (any, error) {
	var in client.PullRequestUpdatesRequest
	if err := d.decode(&in); err != nil {
		return nil, err
	}
	limit, err := pageLimit(in.Limit)
	if err != nil {
		return nil, err
	}
	if in.AfterSequence < 0 {
		return nil, clientFault("AfterSequence", strconv.FormatInt(in.AfterSequence, 10), "must not be negative")
	}
	ups, err := h.opts.Store.PendingRequestUpdates(ctx, c.company.ID, in.AfterSequence, limit)
	if err != nil {
		return nil, err
	}
	resp := &client.PullRequestUpdatesResponse{Next: in.AfterSequence}
	for _, u := range ups {
		resp.Update = append(resp.Update, requestUpdate(u))
		resp.Next = u.Seq
	}
	return resp, nil
}

func requestUpdate(u store.RequestUpdate) *client.RequestUpdate {
	from, to, event := client.RequestState(u.From), client.RequestState(u.To), client.RequestEvent(u.Event)
	return &client.RequestUpdate{Sequence: u.Seq, CaseNumber: u.CaseNumber, Service: u.Service, Profile: u.Profile,
		DistributorCase: u.DistributorCase, From: &from, To: &to, Event: &event, At: dateTime(u.At),
		File: u.File, Note: u.Note, LoadId: int64(u.Load)}
}

func (h *Handler) acknowledgeRequestUpdates(ctx context.Context, c *call, d *bodyDecoder) (any, error) {
	var in client.AcknowledgeRequestUpdatesRequest
	if err := d.decode(&in); err != nil {
		return nil, err
	}
	if err := checkUpdateSequences(in.Sequence); err != nil {
		return nil, err
	}
	res, err := h.opts.Store.AcknowledgeRequestUpdates(ctx, c.company.ID, in.Sequence, c.caller)
	if err != nil {
		return nil, err
	}
	resp := &client.AcknowledgeRequestUpdatesResponse{}
	for _, r := range res {
		outcome := client.AckOutcome(r.Outcome)
		resp.Result = append(resp.Result, &client.AckResult{Sequence: r.Seq, Outcome: &outcome})
	}
	return resp, nil
}

// checkUpdateSequences rejects an empty, oversized or non-positive list.
func checkUpdateSequences(seqs []int64) error {
	if len(seqs) == 0 {
		return clientFault("Sequence", "", "at least one is required")
	}
	if len(seqs) > MaxBatchItems {
		return clientFault("Sequence", strconv.Itoa(len(seqs)), fmt.Sprintf("at most %d per request", MaxBatchItems))
	}
	for _, s := range seqs {
		if s <= 0 {
			return clientFault("Sequence", strconv.FormatInt(s, 10), "must be a positive update sequence")
		}
	}
	return nil
}

// requestOf converts the SOAP request into the distributor model. It
// fails only for a power that is not a decimal number and for an Extra
// name given twice. The distributor package validates everything else
// against the service and the profile.
func requestOf(in *client.DistributorRequest) (*distributor.Request, error) {
	r := &distributor.Request{Service: str(in.Service), CustomerPresent: flag(in.CustomerPresent),
		OutOfHours: flag(in.OutOfHours), NotBefore: date(in.NotBefore), Note: str(in.Note)}
	if ids := in.Identifiers; ids != nil {
		r.IDs = distributor.Identifiers{SellerVAT: str(ids.SellerVat), DistributorVAT: str(ids.DistributorVat),
			CaseNumber: str(ids.CaseNumber), DispatchingContract: str(ids.DispatchingContract),
			ReceivedOn: date(ids.ReceivedOn)}
	}
	if cu := in.Customer; cu != nil {
		r.Customer = distributor.Customer{Resident: flag(cu.Resident), Surname: str(cu.Surname), Name: str(cu.Name),
			BusinessName: str(cu.BusinessName), FiscalCode: str(cu.FiscalCode), VAT: str(cu.VatNumber),
			Phone: str(cu.Phone), SafeguardRight: flag(cu.SafeguardRight), Address: address(cu.Address),
			SeparateBilling: flag(cu.SeparateBilling), BillingSurname: str(cu.BillingSurname),
			BillingName: str(cu.BillingName), BillingBusinessName: str(cu.BillingBusinessName),
			BillingAddress: address(cu.BillingAddress)}
	}
	r.Supply = address(in.Supply)
	if err := technical(&r.Technical, in.Technical); err != nil {
		return nil, err
	}
	extra, err := extraFields(in.Extra)
	if err != nil {
		return nil, err
	}
	r.Extra = extra
	return r, nil
}

func technical(out *distributor.Technical, in *client.TechnicalData) error {
	if in == nil {
		return nil
	}
	*out = distributor.Technical{POD: str(in.Pod), PODCount: str(in.PodCount), Voltage: str(in.Voltage),
		VoltageLevel: str(in.VoltageLevel), Phase: str(in.Phase), Market: str(in.Market), Use: str(in.Use),
		Interruptible: flag(in.Interruptible), MedicalEquipment: flag(in.MedicalEquipment), Category: str(in.Category)}
	var err error
	if out.ContractPower, err = decimalText("ContractPowerKw", in.ContractPowerKw); err != nil {
		return err
	}
	out.TotalPower, err = decimalText("TotalPowerKw", in.TotalPowerKw)
	return err
}

// decimalText parses a DecimalText: digits with one comma or point as
// decimal separator. An absent or empty element is an invalid
// NullDecimal, which the distributor model reads as absent.
func decimalText(element string, p *client.DecimalText) (decimal.NullDecimal, error) {
	s := strings.TrimSpace(str(p))
	if s == "" {
		return decimal.NullDecimal{}, nil
	}
	digits := strings.Replace(s, ",", ".", 1)
	d, err := decimal.NewFromString(digits)
	if err != nil || strings.ContainsAny(digits, "eE+-") {
		return decimal.NullDecimal{}, clientFault(element, s, "must be a decimal number such as 4,5 or 4.5")
	}
	return decimal.NewNullDecimal(d), nil
}

// extraFields converts the name/value pairs of a profile's own fields. A
// name given twice is a fault, because only one value can be sent.
func extraFields(pairs []*client.NameValue) (map[string]string, error) {
	if len(pairs) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(pairs))
	for _, nv := range pairs {
		if nv == nil {
			continue
		}
		if _, dup := out[nv.Name]; dup {
			return nil, clientFault("Extra", nv.Name, "is given twice; give each name once")
		}
		out[nv.Name] = nv.Value
	}
	return out, nil
}

func address(a *client.PostalAddress) distributor.Address {
	if a == nil {
		return distributor.Address{}
	}
	return distributor.Address{Toponym: str(a.Toponym), Street: str(a.Street), Number: str(a.Number),
		PostCode: str(a.PostCode), ISTAT: str(a.Istat), Municipality: str(a.Municipality),
		Province: str(a.Province), Country: str(a.Country)}
}

func flag(f *client.Flag) distributor.Flag { return distributor.Flag(str(f)) }
