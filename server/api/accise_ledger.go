package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/accise"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
)

// acciseLedgerRoutes adds the routes of the excise ledger, payments,
// credit reports and refund claims.
func (h *handler) acciseLedgerRoutes(route func(string, func(http.ResponseWriter, *http.Request, Principal))) {
	route("POST /api/v1/accise/ledger/movements", h.acciseAddMovements)
	route("GET /api/v1/accise/ledger/movements", h.acciseMovements)
	route("GET /api/v1/accise/ledger", h.acciseLedgerBalances)
	route("GET /api/v1/accise/payments", h.accisePayments)
	route("PUT /api/v1/accise/settings/transfers", h.accisePutTransfers)
	route("GET /api/v1/accise/settings/transfers", h.acciseGetTransfers)
	route("GET /api/v1/accise/credits", h.acciseCredits)
	route("POST /api/v1/accise/refunds", h.acciseCreateRefund)
	route("GET /api/v1/accise/refunds", h.acciseRefunds)
	route("POST /api/v1/accise/refunds/{id}/file", h.acciseFileRefund)
	route("POST /api/v1/accise/refunds/{id}/decision", h.acciseDecideRefund)
	route("GET /api/v1/accise/refunds/{id}/{document}", h.acciseRefundDocument)
}

// money formats an amount in euro with two decimals and a dot.
func money(d decimal.Decimal) string { return d.StringFixed(2) }

// isoDate returns d as yyyy-mm-dd, or "" for the zero date.
func isoDate(d civil.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// movementInput is one movement of a JSON upload. Its fields are the
// columns of the movement CSV file (accise.MovementColumns).
type movementInput struct {
	Company   string     `json:"company"`
	Tax       string     `json:"tax"`
	Area      string     `json:"area"`
	Date      string     `json:"date"`
	Period    string     `json:"period"`
	Kind      string     `json:"kind"`
	Amount    amountText `json:"amount"`
	Source    string     `json:"source"`
	Reference string     `json:"reference"`
	Note      string     `json:"note"`
}

// rejectedMovement is a movement that was not stored: the CSV line or the
// 1-based JSON item, the column, the value and the reason.
type rejectedMovement struct {
	Line   int    `json:"line,omitempty"`
	Item   int    `json:"item,omitempty"`
	Column string `json:"column,omitempty"`
	Value  string `json:"value,omitempty"`
	Error  string `json:"error"`
}

// movementsResult is the response of a movement upload.
type movementsResult struct {
	Batch    int64              `json:"batch,omitempty"`
	Stored   int                `json:"stored"`
	Rejected []rejectedMovement `json:"rejected"`
}

// acciseAddMovements serves POST /api/v1/accise/ledger/movements. The body
// is a JSON array of movements, or a movement CSV file with the header
// accise.MovementColumns separated by ";". The good rows are stored and
// each bad one is listed with its line (or item), column and value. The
// response is 201 when any row was stored, 400 when none was, and 409
// when the same body was posted before (duplicate=true stores it again).
func (h *handler) acciseAddMovements(w http.ResponseWriter, r *http.Request, caller Principal) {
	data, err := io.ReadAll(r.Body)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("body larger than %d bytes: send the movements in several requests", MaxRequestBody))
		return
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "reading the body failed: "+err.Error())
		return
	}

	var fromJSON jsonMovements
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") || bytes.HasPrefix(bytes.TrimSpace(data), []byte("[")) {
		if fromJSON, err = movementsJSONToCSV(data); err != nil {
			writeError(w, http.StatusBadRequest, "invalid JSON body: "+err.Error()+"; want an array of movements")
			return
		}
		data = fromJSON.csv
	}
	ms, bad, err := accise.ReadMovements(bytes.NewReader(data))
	if err != nil {
		writeError(w, http.StatusBadRequest, "the movements cannot be read: "+err.Error())
		return
	}
	res := movementsResult{Stored: len(ms), Rejected: append(fromJSON.rejected, rejectedMovements(bad, fromJSON.items)...)}
	if res.Rejected == nil {
		res.Rejected = []rejectedMovement{}
	}
	if len(ms) == 0 {
		writeJSON(w, http.StatusBadRequest, res)
		return
	}

	p := &params{q: r.URL.Query()}
	batch := store.MovementBatch{SHA256: sha256Hex(data), Movements: ms, AllowDuplicate: p.bool("duplicate", false)}
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	res.Batch, err = h.Store.AddMovements(r.Context(), caller.ID, batch)
	var dup *store.DuplicateBatchError
	if errors.As(err, &dup) {
		writeError(w, http.StatusConflict, fmt.Sprintf("the same movements were posted as batch %d at %s, so none was stored again; add duplicate=true to store them twice",
			dup.Of, dup.At.Format(time.RFC3339)))
		return
	}
	if err != nil {
		h.storeError(w, r, "add excise movements", err)
		return
	}
	h.Log.Info("excise movements stored", "company", caller.Code, "stored", len(ms), "rejected", len(res.Rejected))
	writeJSON(w, http.StatusCreated, res)
}

// jsonMovements is a JSON array of movements rewritten as a movement CSV
// file, so both forms go through the same reader and checks.
type jsonMovements struct {
	csv []byte
	// items maps the first line of each CSV row to its 1-based item.
	items map[int]int
	// rejected are the items that are not a movement object.
	rejected []rejectedMovement
}

// movementsJSONToCSV converts a JSON array of movements. An item that is
// not a movement object is rejected alone; a body that is not an array
// is an error.
func movementsJSONToCSV(data []byte) (jsonMovements, error) {
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return jsonMovements{}, err
	}
	out := jsonMovements{items: map[int]int{}, rejected: []rejectedMovement{}}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Comma = ';'
	_ = cw.Write(accise.MovementColumns)
	cw.Flush()
	line := 2
	for i, item := range raw {
		dec := json.NewDecoder(bytes.NewReader(item))
		dec.DisallowUnknownFields()
		var m movementInput
		if err := dec.Decode(&m); err != nil {
			out.rejected = append(out.rejected, rejectedMovement{Item: i + 1, Error: "invalid movement object: " + err.Error()})
			continue
		}
		before := buf.Len()
		_ = cw.Write([]string{m.Company, m.Tax, m.Area, m.Date, m.Period, m.Kind, string(m.Amount), m.Source, m.Reference, m.Note})
		cw.Flush()
		out.items[line] = i + 1
		line += bytes.Count(buf.Bytes()[before:], []byte("\n"))
	}
	out.csv = buf.Bytes()
	return out, cw.Error()
}

// amountText is an amount given as a JSON number or string, kept as
// written so the movement reader parses it exactly.
type amountText string

// UnmarshalJSON accepts a number such as 6000.50 or a string such as
// "6000,50".
func (a *amountText) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*a = amountText(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("amount %s: want a number or a string", b)
	}
	*a = amountText(n)
	return nil
}

// rejectedMovements turns the reader's errors into response rows. items,
// for a JSON body, maps CSV lines back to items.
func rejectedMovements(bad []error, items map[int]int) []rejectedMovement {
	out := []rejectedMovement{}
	for _, err := range bad {
		rm := rejectedMovement{Error: err.Error()}
		var pe *accise.MovementParseError
		if errors.As(err, &pe) {
			rm.Column, rm.Value, rm.Error = pe.Column, pe.Value, pe.Err.Error()
			if items != nil {
				rm.Item = items[pe.Line]
			} else {
				rm.Line = pe.Line
			}
		}
		out = append(out, rm)
	}
	return out
}

// acciseLedgerOf returns the company's ledger, the stored movements with
// the movements of its filed and decided refund claims, and the claims.
func (h *handler) acciseLedgerOf(ctx context.Context, company store.CompanyID) (*accise.Ledger, []accise.RefundClaim, error) {
	ms, err := h.Store.Movements(ctx, company)
	if err != nil {
		return nil, nil, err
	}
	claims, err := h.Store.RefundClaims(ctx, company)
	if err != nil {
		return nil, nil, err
	}
	var l accise.Ledger
	if err := l.Add(ms...); err != nil {
		return nil, nil, fmt.Errorf("stored movement: %w", err)
	}
	for i := range claims {
		if err := l.Add(claims[i].Movements()...); err != nil {
			return nil, nil, fmt.Errorf("refund claim %s: %w", claims[i].ID, err)
		}
	}
	return &l, claims, nil
}

// accountView is an account in responses.
type accountView struct {
	Company string `json:"company"`
	Tax     string `json:"tax"`
	Area    string `json:"area"`
}

func viewAccount(a accise.Account) accountView {
	return accountView{Company: a.Company, Tax: string(a.Tax), Area: a.Area}
}

// balanceView is the balance of one account, amounts in euro.
type balanceView struct {
	accountView
	Label           string `json:"label"`
	Due             string `json:"due"`
	Paid            string `json:"paid"`
	Credit          string `json:"credit"`
	CreditUsed      string `json:"creditUsed"`
	RefundClaimed   string `json:"refundClaimed"`
	RefundGranted   string `json:"refundGranted"`
	RefundRejected  string `json:"refundRejected"`
	TransferredOut  string `json:"transferredOut"`
	TransferredIn   string `json:"transferredIn"`
	Outstanding     string `json:"outstanding"`
	AvailableCredit string `json:"availableCredit"`
	AwaitingRefund  string `json:"awaitingRefund"`
}

// offsetView is one credit deducted from a later debt of the same account.
type offsetView struct {
	accountView
	CreditDate   string `json:"creditDate"`
	CreditSource string `json:"creditSource"`
	DebtDate     string `json:"debtDate"`
	DebtPeriod   string `json:"debtPeriod,omitempty"`
	Amount       string `json:"amount"`
	CreditLeft   string `json:"creditLeft"`
	DebtLeft     string `json:"debtLeft"`
	Explanation  string `json:"explanation"`
}

func viewOffset(o accise.Offset) offsetView {
	v := offsetView{accountView: viewAccount(o.Account), CreditDate: isoDate(o.Credit.Date), CreditSource: o.Credit.Source.String(),
		DebtDate: isoDate(o.Debt.Date), Amount: money(o.Amount), CreditLeft: money(o.CreditLeft), DebtLeft: money(o.DebtLeft),
		Explanation: o.Explanation}
	if !o.Debt.Period.IsZero() {
		v.DebtPeriod = o.Debt.Period.String()
	}
	return v
}

// ledgerView is the response of GET /api/v1/accise/ledger.
type ledgerView struct {
	On       string        `json:"on,omitempty"`
	Accounts []balanceView `json:"accounts"`
	Offsets  []offsetView  `json:"offsets"`
}

// acciseLedgerBalances serves GET /api/v1/accise/ledger?on=: the balance
// of each account on a day (every movement when on is empty) after the
// credits of each account are offset against its later debts, and each
// offset with its explanation.
func (h *handler) acciseLedgerBalances(w http.ResponseWriter, r *http.Request, caller Principal) {
	p := &params{q: r.URL.Query()}
	on := p.date("on")
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	l, _, err := h.acciseLedgerOf(r.Context(), caller.ID)
	if err != nil {
		h.storeError(w, r, "excise ledger", err)
		return
	}
	full := accise.WithOffsets(l)
	out := ledgerView{On: isoDate(on), Accounts: []balanceView{}, Offsets: []offsetView{}}
	for _, a := range full.Accounts() {
		b := full.Balance(a, on)
		out.Accounts = append(out.Accounts, balanceView{accountView: viewAccount(a), Label: a.Tax.Label(),
			Due: money(b.Due), Paid: money(b.Paid), Credit: money(b.Credit), CreditUsed: money(b.CreditUsed),
			RefundClaimed: money(b.RefundClaimed), RefundGranted: money(b.RefundGranted), RefundRejected: money(b.RefundRejected),
			TransferredOut: money(b.TransferredOut), TransferredIn: money(b.TransferredIn), Outstanding: money(b.Outstanding()),
			AvailableCredit: money(b.AvailableCredit()), AwaitingRefund: money(b.AwaitingRefund())})
	}
	for _, o := range accise.Compensate(l) {
		if on.IsZero() || !o.Debt.Date.After(on) {
			out.Offsets = append(out.Offsets, viewOffset(o))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// movementView is a stored movement in responses.
type movementView struct {
	accountView
	Date      string `json:"date"`
	Period    string `json:"period,omitempty"`
	Kind      string `json:"kind"`
	Amount    string `json:"amount"`
	Source    string `json:"source"`
	Reference string `json:"reference,omitempty"`
	Note      string `json:"note,omitempty"`
}

// acciseMovements serves GET /api/v1/accise/ledger/movements?format=: the
// stored movements with their sources and the movements of the refund
// claims, in date order. format=csv returns the movement CSV file, with
// the credit offsets added when offsets=true.
func (h *handler) acciseMovements(w http.ResponseWriter, r *http.Request, caller Principal) {
	p := &params{q: r.URL.Query()}
	format, withOffsets := p.str("format"), p.bool("offsets", false)
	if format != "" && format != "json" && format != "csv" {
		p.fail("format", format, "json or csv")
	}
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	l, _, err := h.acciseLedgerOf(r.Context(), caller.ID)
	if err != nil {
		h.storeError(w, r, "excise movements", err)
		return
	}
	if withOffsets {
		l = accise.WithOffsets(l)
	}
	if format == "csv" {
		var buf bytes.Buffer
		mw := accise.NewMovementWriter(&buf)
		for _, m := range l.Movements() {
			if err := mw.Write(m); err != nil {
				h.internal(w, r, "write movement CSV", err)
				return
			}
		}
		if err := mw.Flush(); err != nil {
			h.internal(w, r, "write movement CSV", err)
			return
		}
		sendFile(w, "text/csv; charset=utf-8", "movimenti_accise.csv", buf.Bytes())
		return
	}
	out := []movementView{}
	for _, m := range l.Movements() {
		v := movementView{accountView: viewAccount(m.Account), Date: isoDate(m.Date), Kind: string(m.Kind),
			Amount: money(m.Amount), Source: string(m.Source.Kind), Reference: m.Source.Ref, Note: m.Note}
		if !m.Period.IsZero() {
			v.Period = m.Period.String()
		}
		out = append(out, v)
	}
	writeJSON(w, http.StatusOK, map[string]any{"movements": out})
}
