package api

import (
	"archive/zip"
	"bytes"
	"errors"
	"net/http"
	"time"

	"github.com/bludispatcher/dispatcher/accise"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
)

// paymentView is one amount due with the credit that covers it and what
// is left to pay.
type paymentView struct {
	accountView
	Period     string   `json:"period,omitempty"`
	Due        string   `json:"due"`
	Code       string   `json:"code"`
	Amount     string   `json:"amount"`
	CreditUsed string   `json:"creditUsed"`
	Paid       string   `json:"paid"`
	ToPay      string   `json:"toPay"`
	Source     string   `json:"source"`
	Note       string   `json:"note,omitempty"`
	Offsets    []string `json:"offsets"`
}

func viewPayment(p accise.PaymentRow) paymentView {
	v := paymentView{accountView: viewAccount(p.Account), Due: isoDate(p.Due), Code: p.Code, Amount: money(p.Amount),
		CreditUsed: money(p.CreditUsed), Paid: money(p.Paid), ToPay: money(p.ToPay), Source: p.Source.String(),
		Note: p.Note, Offsets: []string{}}
	if !p.Period.IsZero() {
		v.Period = p.Period.String()
	}
	for _, o := range p.Offsets {
		v.Offsets = append(v.Offsets, o.Explanation)
	}
	return v
}

// periodParams reads from and to; with required set both must be given.
func periodParams(p *params, required bool) (from, to civil.Date) {
	dr := p.dateRange()
	if required && (dr.From.IsZero() || dr.To.IsZero()) {
		p.fail("from", p.str("from"), "both from and to as yyyy-mm-dd")
	}
	return dr.From, dr.To
}

// accisePayments serves GET /api/v1/accise/payments?from=&to=&format=:
// the amounts due in the period after the credits are deducted. With
// format f24.pdf it returns the F24 Accise forms of the excise taxes, and
// payer_cf and payer_name fill the taxpayer box. With cbi.xml or
// pain001.xml it returns the bank transfers of ARISGAN and IRS to the
// regions, using the accounts stored by PUT settings/transfers. Each
// execution date is one message, and several messages come as a zip.
func (h *handler) accisePayments(w http.ResponseWriter, r *http.Request, caller Principal) {
	p := &params{q: r.URL.Query()}
	from, to := periodParams(p, false)
	format := p.str("format")
	payer := accise.F24Payer{FiscalCode: p.str("payer_cf"), Name: p.str("payer_name")}
	switch format {
	case "", "json", "f24.pdf", "cbi.xml", "pain001.xml":
	default:
		p.fail("format", format, "json, f24.pdf, cbi.xml or pain001.xml")
	}
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	l, _, err := h.acciseLedgerOf(r.Context(), caller.ID)
	if err != nil {
		h.storeError(w, r, "excise payments", err)
		return
	}
	switch format {
	case "f24.pdf":
		h.writeF24(w, r, accise.Plan(l, from, to), payer)
	case "cbi.xml", "pain001.xml":
		h.writeTransfers(w, r, caller, accise.Plan(l, from, to), format)
	default:
		out := []paymentView{}
		for _, row := range accise.MonthlyPaymentReport(l, from, to, nil) {
			out = append(out, viewPayment(row))
		}
		writeJSON(w, http.StatusOK, map[string]any{"from": isoDate(from), "to": isoDate(to), "payments": out})
	}
}

func (h *handler) writeF24(w http.ResponseWriter, r *http.Request, payments []accise.Payment, payer accise.F24Payer) {
	forms, err := accise.F24Forms(payments, accise.F24Options{Payer: payer})
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, "the F24 forms cannot be built: "+err.Error())
		return
	}
	if len(forms) == 0 {
		writeError(w, http.StatusNotFound, "no excise amount is left to pay by F24 in the period")
		return
	}
	var buf bytes.Buffer
	if err := (accise.F24PDF{}).WriteF24(&buf, forms); err != nil {
		h.internal(w, r, "write F24 PDF", err)
		return
	}
	sendFile(w, "application/pdf", "F24_accise.pdf", buf.Bytes())
}

func (h *handler) writeTransfers(w http.ResponseWriter, r *http.Request, caller Principal, payments []accise.Payment, format string) {
	var regional []accise.Payment
	for _, p := range payments {
		if p.Account.Tax.Regional() && p.ToPay.IsPositive() {
			regional = append(regional, p)
		}
	}
	if len(regional) == 0 {
		writeError(w, http.StatusNotFound, "no ARISGAN or IRS amount is left to pay by bank transfer in the period")
		return
	}
	cfg, err := h.Store.TransferConfig(r.Context(), caller.ID)
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusConflict, "no transfer settings: store the debtor and the regions' accounts with PUT /api/v1/accise/settings/transfers")
		return
	}
	if err != nil {
		h.storeError(w, r, "transfer settings", err)
		return
	}

	transfers, err := accise.Transfers(regional, &cfg, accise.DefaultTerritory())
	if err != nil {
		writeError(w, http.StatusConflict, "the transfers cannot be built from the stored settings: "+err.Error())
		return
	}

	write, prefix := accise.WriteCBI, "CBI_"
	if format == "pain001.xml" {
		write, prefix = accise.WritePain001, "pain001_"
	}
	// Banks reject a message id they have already received, so each
	// download gets ids of its own: "A", the creation time and the date.
	created := time.Now().UTC().Truncate(time.Second)
	msgs := accise.BankMessages("A"+created.Format("20060102150405"), created, cfg.Debtor, transfers)
	files := make([][]byte, len(msgs))
	for i, m := range msgs {
		var buf bytes.Buffer
		if err := write(&buf, m); err != nil {
			writeError(w, http.StatusUnprocessableEntity, "the transfer file cannot be written: "+err.Error())
			return
		}
		files[i] = buf.Bytes()
	}
	if len(msgs) == 1 {
		sendFile(w, "application/xml", prefix+msgs[0].ID+".xml", files[0])
		return
	}

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i, m := range msgs {
		f, err := zw.Create(prefix + m.ID + ".xml")
		if err == nil {
			_, err = f.Write(files[i])
		}
		if err != nil {
			h.internal(w, r, "zip transfer files", err)
			return
		}
	}
	if err := zw.Close(); err != nil {
		h.internal(w, r, "zip transfer files", err)
		return
	}
	sendFile(w, "application/zip", prefix+"accise.zip", buf.Bytes())
}

// sendFile writes a download.
func sendFile(w http.ResponseWriter, contentType, name string, data []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", ContentDisposition(name))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
}

// accisePutTransfers serves PUT /api/v1/accise/settings/transfers: the
// body is the JSON transfer configuration (debtor, regions' accounts,
// excise codes per province), checked before it is stored.
func (h *handler) accisePutTransfers(w http.ResponseWriter, r *http.Request, caller Principal) {
	cfg, err := accise.LoadTransferConfig(r.Body)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if err := h.Store.PutTransferConfig(r.Context(), caller.ID, *cfg); err != nil {
		h.storeError(w, r, "store transfer settings", err)
		return
	}
	writeJSON(w, http.StatusOK, cfg)
}

// acciseGetTransfers serves GET /api/v1/accise/settings/transfers.
func (h *handler) acciseGetTransfers(w http.ResponseWriter, r *http.Request, caller Principal) {
	cfg, err := h.Store.TransferConfig(r.Context(), caller.ID)
	if err != nil {
		h.storeError(w, r, "transfer settings", err)
		return
	}
	writeJSON(w, http.StatusOK, cfg)
}
