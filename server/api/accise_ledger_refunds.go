package api

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/accise"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
)

// claimInput is the body of POST /api/v1/accise/refunds. Dates are
// yyyy-mm-dd; an empty id gets a generated one.
type claimInput struct {
	ID              string          `json:"id"`
	Company         string          `json:"company"`
	Tax             string          `json:"tax"`
	Area            string          `json:"area"`
	Claimant        string          `json:"claimant"`
	FiscalCode      string          `json:"fiscalCode"`
	Office          string          `json:"office"`
	Year            int             `json:"year"`
	Amount          decimal.Decimal `json:"amount"`
	Origin          string          `json:"origin"`
	Reason          string          `json:"reason"`
	IBAN            string          `json:"iban"`
	LastDeclaration civil.Date      `json:"lastDeclaration"`
	Documents       []string        `json:"documents"`
}

// claimView is a refund claim in responses.
type claimView struct {
	ID string `json:"id"`
	accountView
	Claimant        string       `json:"claimant"`
	FiscalCode      string       `json:"fiscalCode"`
	Office          string       `json:"office"`
	Year            int          `json:"year"`
	Amount          string       `json:"amount"`
	Origin          string       `json:"origin"`
	Reason          string       `json:"reason"`
	IBAN            string       `json:"iban"`
	LastDeclaration string       `json:"lastDeclaration"`
	Deadline        string       `json:"deadline"`
	Documents       []string     `json:"documents"`
	Status          string       `json:"status"`
	Filed           string       `json:"filed,omitempty"`
	Decided         string       `json:"decided,omitempty"`
	Granted         string       `json:"granted,omitempty"`
	History         []statusView `json:"history"`
	Warnings        anomaly.List `json:"warnings,omitempty"`
}

type statusView struct {
	Status string `json:"status"`
	Date   string `json:"date"`
	Note   string `json:"note,omitempty"`
}

func viewClaim(c accise.RefundClaim) claimView {
	status := c.Status
	if status == "" {
		status = accise.StatusDraft
	}
	v := claimView{ID: c.ID, accountView: viewAccount(c.Account), Claimant: c.Claimant, FiscalCode: c.FiscalCode,
		Office: c.Office, Year: c.Year, Amount: money(c.Amount), Origin: string(c.Origin), Reason: c.Reason, IBAN: c.IBAN,
		LastDeclaration: isoDate(c.LastDeclaration), Deadline: isoDate(c.Deadline()), Documents: c.Documents,
		Status: string(status), Filed: isoDate(c.Filed), Decided: isoDate(c.Decided), History: []statusView{}}
	if v.Documents == nil {
		v.Documents = []string{}
	}
	if !c.Decided.IsZero() {
		v.Granted = money(c.Granted)
	}
	for _, s := range c.History {
		v.History = append(v.History, statusView{Status: string(s.Status), Date: isoDate(s.Date), Note: s.Note})
	}
	return v
}

// today returns the current day in Europe/Rome.
func today() civil.Date { return civil.DateOf(time.Now().In(civil.Rome)) }

// newClaimID returns a random claim id such as "RC-1a2b3c4d".
func newClaimID() (string, error) {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "RC-" + hex.EncodeToString(b), nil
}

// validClaimID reports whether id can be a path segment of the refund
// endpoints as it is.
func validClaimID(id string) bool {
	if id == "" || len(id) > 35 || id == "." || id == ".." {
		return false
	}
	for _, r := range id {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.'
		if !ok {
			return false
		}
	}
	return true
}

// parseAnyDate reads yyyy-mm-dd or dd/mm/yyyy.
func parseAnyDate(s string) (civil.Date, error) {
	if d, err := civil.ParseISODate(s); err == nil {
		return d, nil
	}
	return civil.ParseDate(s)
}

// decodeBody decodes a JSON body into v, rejecting unknown fields.
func decodeBody(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// acciseCreateRefund serves POST /api/v1/accise/refunds: a new refund
// claim in draft status, checked for the data a claim needs. The response
// carries its two-year deadline and, when the deadline is near or passed,
// a warning.
func (h *handler) acciseCreateRefund(w http.ResponseWriter, r *http.Request, caller Principal) {
	var in claimInput
	if err := decodeBody(r, &in); err != nil {
		writeError(w, http.StatusBadRequest, "invalid JSON body: "+err.Error())
		return
	}
	tax, err := accise.ParseTax(in.Tax)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}

	c := accise.RefundClaim{ID: in.ID, Account: accise.Account{Company: in.Company, Tax: tax, Area: in.Area},
		Claimant: in.Claimant, FiscalCode: in.FiscalCode, Office: in.Office, Year: in.Year, Amount: in.Amount,
		Origin: accise.RefundOrigin(in.Origin), Reason: in.Reason, IBAN: in.IBAN, LastDeclaration: in.LastDeclaration,
		Documents: in.Documents, Status: accise.StatusDraft}
	switch c.Origin {
	case "":
		c.Origin = accise.OriginBalance
	case accise.OriginBalance, accise.OriginCorrections, accise.OriginRuling, accise.OriginOther:
	default:
		writeError(w, http.StatusBadRequest, fmt.Sprintf("invalid origin %q: want balance, corrections, ruling or other", c.Origin))
		return
	}
	if c.ID == "" {
		if c.ID, err = newClaimID(); err != nil {
			h.internal(w, r, "generate refund claim id", err)
			return
		}
	}
	if !validClaimID(c.ID) {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("invalid claim id %q: want 1 to 35 letters, digits, '-', '_' or '.'", c.ID))
		return
	}
	if err := c.Check(); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}

	err = h.Store.CreateRefundClaim(r.Context(), caller.ID, c)
	if errors.Is(err, store.ErrConflict) {
		writeError(w, http.StatusConflict, fmt.Sprintf("refund claim id %q is already used: choose another id or leave it empty", c.ID))
		return
	}
	if err != nil {
		h.storeError(w, r, "store refund claim", err)
		return
	}
	h.Log.Info("refund claim created", "company", caller.Code, "claim", c.ID)
	v := viewClaim(c)
	v.Warnings = accise.RefundWarnings(&accise.Ledger{}, []accise.RefundClaim{c}, today(), accise.DeadlineOptions{})
	writeJSON(w, http.StatusCreated, v)
}

// statusInput is the body of the file and decision requests.
type statusInput struct {
	Date    string           `json:"date"`
	Note    string           `json:"note"`
	Granted *decimal.Decimal `json:"granted"`
}

// acciseFileRefund serves POST /api/v1/accise/refunds/{id}/file with the
// body {"date": "yyyy-mm-dd", "note": ""}: the claim is filed at the office
// on that day (today when empty). A claim filed after its deadline gets 422.
func (h *handler) acciseFileRefund(w http.ResponseWriter, r *http.Request, caller Principal) {
	h.changeRefund(w, r, caller, false)
}

// acciseDecideRefund serves POST /api/v1/accise/refunds/{id}/decision
// with the body {"date": "yyyy-mm-dd", "granted": "1000.00", "note": ""}:
// the office's decision, a full, partial or zero grant.
func (h *handler) acciseDecideRefund(w http.ResponseWriter, r *http.Request, caller Principal) {
	h.changeRefund(w, r, caller, true)
}

func (h *handler) changeRefund(w http.ResponseWriter, r *http.Request, caller Principal, decision bool) {
	var in statusInput
	if err := decodeBody(r, &in); err != nil {
		writeError(w, http.StatusBadRequest, "invalid JSON body: "+err.Error())
		return
	}
	on := today()
	if in.Date != "" {
		var err error
		if on, err = parseAnyDate(in.Date); err != nil {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("invalid date %q: want yyyy-mm-dd or dd/mm/yyyy", in.Date))
			return
		}
	}
	if decision && in.Granted == nil {
		writeError(w, http.StatusBadRequest, `missing granted: give the amount the office granted, "0" for a rejection`)
		return
	}
	c, err := h.Store.RefundClaim(r.Context(), caller.ID, r.PathValue("id"))
	if err != nil {
		h.storeError(w, r, "refund claim", err)
		return
	}
	prev := c.Status
	if decision {
		err = c.Decide(on, *in.Granted, in.Note)
	} else {
		err = c.File(on, in.Note)
	}
	switch {
	case errors.Is(err, accise.ErrRefundLate):
		writeError(w, http.StatusUnprocessableEntity, err.Error())
		return
	case errors.Is(err, accise.ErrStatus):
		writeError(w, http.StatusConflict, err.Error())
		return
	case err != nil:
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	err = h.Store.UpdateRefundClaim(r.Context(), caller.ID, c, prev)
	if errors.Is(err, store.ErrConflict) {
		writeError(w, http.StatusConflict, fmt.Sprintf("refund claim %s changed status meanwhile: read it again and retry", c.ID))
		return
	}
	if err != nil {
		h.storeError(w, r, "update refund claim", err)
		return
	}
	h.Log.Info("refund claim status changed", "company", caller.Code, "claim", c.ID, "status", c.Status)
	writeJSON(w, http.StatusOK, viewClaim(c))
}

// deadlineParams reads on (default today), advance (warning days before
// a deadline, default 90) and last_declaration.
func deadlineParams(p *params) (civil.Date, accise.DeadlineOptions) {
	on := p.date("on")
	if on.IsZero() {
		on = today()
	}
	return on, accise.DeadlineOptions{LastDeclaration: p.date("last_declaration"), Advance: p.int("advance", 90)}
}

// acciseRefunds serves GET /api/v1/accise/refunds?on=&advance=&last_declaration=:
// the company's claims with their deadlines and the deadline warnings on
// the day: draft claims near or past their deadline and, with
// last_declaration, accounts whose unused credit is about to expire.
func (h *handler) acciseRefunds(w http.ResponseWriter, r *http.Request, caller Principal) {
	p := &params{q: r.URL.Query()}
	on, opts := deadlineParams(p)
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	l, claims, err := h.acciseLedgerOf(r.Context(), caller.ID)
	if err != nil {
		h.storeError(w, r, "refund claims", err)
		return
	}
	out := []claimView{}
	for _, c := range claims {
		out = append(out, viewClaim(c))
	}
	warnings := accise.RefundWarnings(l, claims, on, opts)
	if warnings == nil {
		warnings = anomaly.List{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"on": isoDate(on), "claims": out, "warnings": warnings})
}

// creditRowView is one account's credit in the period.
type creditRowView struct {
	accountView
	Opening  string            `json:"opening"`
	Arising  string            `json:"arising"`
	Used     map[string]string `json:"usedByMonth"`
	Claimed  string            `json:"claimed"`
	Closing  string            `json:"closing"`
	Deadline string            `json:"deadline,omitempty"`
}

// refundRowView is a filed claim awaiting the office's decision.
type refundRowView struct {
	Claim string `json:"claim"`
	accountView
	Awaiting string `json:"awaiting"`
	Deadline string `json:"deadline"`
}

// acciseCredits serves GET /api/v1/accise/credits?from=&to=&last_declaration=&on=&advance=&format=:
// residual credits per account (opening, used per month, closing,
// refund deadline), the monthly payments, the claims awaiting refund and
// the deadline warnings. format=xlsx returns the same as a workbook.
func (h *handler) acciseCredits(w http.ResponseWriter, r *http.Request, caller Principal) {
	p := &params{q: r.URL.Query()}
	from, to := periodParams(p, true)
	on, opts := deadlineParams(p)
	if p.str("on") == "" {
		on = to
	}
	format := p.str("format")
	if format != "" && format != "json" && format != "xlsx" {
		p.fail("format", format, "json or xlsx")
	}
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	l, claims, err := h.acciseLedgerOf(r.Context(), caller.ID)
	if err != nil {
		h.storeError(w, r, "credit report", err)
		return
	}

	report := accise.CreditReport{From: from, To: to,
		Credits:  accise.ResidualCredits(l, from, to, opts),
		Payments: accise.MonthlyPaymentReport(l, from, to, nil),
		Refunds:  accise.AwaitingRefund(claims),
		Warnings: accise.RefundWarnings(l, claims, on, opts),
	}
	if format == "xlsx" {
		var buf bytes.Buffer
		if err := accise.WriteCreditReport(&buf, report); err != nil {
			h.internal(w, r, "write credit report", err)
			return
		}
		sendFile(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			"crediti_"+from.String()+"_"+to.String()+".xlsx", buf.Bytes())
		return
	}
	writeJSON(w, http.StatusOK, viewCreditReport(report))
}

func viewCreditReport(report accise.CreditReport) map[string]any {
	credits, payments, refunds := []creditRowView{}, []paymentView{}, []refundRowView{}
	for _, c := range report.Credits {
		v := creditRowView{accountView: viewAccount(c.Account), Opening: money(c.Opening), Arising: money(c.Arising),
			Used: map[string]string{}, Claimed: money(c.Claimed), Closing: money(c.Closing), Deadline: isoDate(c.Deadline)}
		for _, u := range c.Used {
			v.Used[u.Month.String()] = money(u.Amount)
		}
		credits = append(credits, v)
	}
	for _, row := range report.Payments {
		payments = append(payments, viewPayment(row))
	}
	for _, row := range report.Refunds {
		refunds = append(refunds, refundRowView{Claim: row.Claim.ID, accountView: viewAccount(row.Claim.Account),
			Awaiting: money(row.Awaiting), Deadline: isoDate(row.Claim.Deadline())})
	}
	warnings := report.Warnings
	if warnings == nil {
		warnings = anomaly.List{}
	}
	return map[string]any{"from": isoDate(report.From), "to": isoDate(report.To), "credits": credits,
		"payments": payments, "awaitingRefund": refunds, "warnings": warnings}
}

// acciseRefundDocument serves GET /api/v1/accise/refunds/{id}/claim.pdf
// and /claim.xlsx: the claim as a document for filing.
func (h *handler) acciseRefundDocument(w http.ResponseWriter, r *http.Request, caller Principal) {
	doc := r.PathValue("document")
	if doc != "claim.pdf" && doc != "claim.xlsx" {
		writeError(w, http.StatusNotFound, "unknown document "+strconv.Quote(doc)+": want claim.pdf or claim.xlsx")
		return
	}
	c, err := h.Store.RefundClaim(r.Context(), caller.ID, r.PathValue("id"))
	if err != nil {
		h.storeError(w, r, "refund claim", err)
		return
	}
	var buf bytes.Buffer
	contentType := "application/pdf"
	if doc == "claim.pdf" {
		err = accise.WriteRefundClaimPDF(&buf, &c, time.Now())
	} else {
		contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		err = accise.WriteRefundClaimXLSX(&buf, &c)
	}
	if err != nil {
		h.internal(w, r, "write refund claim document", err)
		return
	}
	sendFile(w, contentType, "istanza_rimborso_"+c.ID+path.Ext(doc), buf.Bytes())
}
