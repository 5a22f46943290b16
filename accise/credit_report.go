package accise

import (
	"fmt"
	"io"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// MonthAmount is an amount of one month.
type MonthAmount struct {
	// Month is the month.
	Month civil.Month
	// Amount is the month's amount.
	Amount decimal.Decimal
}

// CreditRow is one account of the residual credit report.
type CreditRow struct {
	// Account is the account.
	Account Account
	// Opening is the credit available the day before the report period.
	Opening decimal.Decimal
	// Arising is the credit arising or received in the period.
	Arising decimal.Decimal
	// Used lists the credit deducted from debts, by month of the debt's
	// due date.
	Used []MonthAmount
	// Claimed is the credit set aside by refund claims or moved away in the
	// period, less the part released.
	Claimed decimal.Decimal
	// Closing is the credit available on the last day of the period.
	Closing decimal.Decimal
	// Deadline is the refund deadline of the credit; zero when no last
	// declaration is known.
	Deadline civil.Date
}

// WithOffsets returns a copy of the ledger with the offsets of Compensate
// recorded as credit-used movements.
func WithOffsets(l *Ledger) *Ledger {
	out := &Ledger{movements: append([]Movement(nil), l.movements...)}
	for _, o := range Compensate(l) {
		out.movements = append(out.movements, o.Movement())
	}
	return out
}

// ResidualCredits reports, for each account with credit, the credit at
// the start of the period (zero when from is the zero date), the credit used month by month, and the credit
// left at its end with its refund deadline. Offsets of Compensate count as
// used.
func ResidualCredits(l *Ledger, from, to civil.Date, opts DeadlineOptions) []CreditRow {
	full := WithOffsets(l)
	var out []CreditRow
	for _, a := range full.Accounts() {
		row := CreditRow{Account: a, Opening: decimal.Zero, Arising: decimal.Zero, Claimed: decimal.Zero}
		if !from.IsZero() {
			row.Opening = full.Balance(a, from.AddDays(-1)).AvailableCredit()
		}
		used := map[civil.Month]decimal.Decimal{}
		var months []civil.Month
		for _, m := range full.Of(a) {
			if m.Date.Before(from) || m.Date.After(to) {
				continue
			}
			switch m.Kind {
			case MoveCredit, MoveTransferIn:
				row.Arising = row.Arising.Add(m.Amount)
			case MoveCreditUsed:
				k := m.Date.MonthOf()
				if _, ok := used[k]; !ok {
					months = append(months, k)
				}
				used[k] = used[k].Add(m.Amount)
			case MoveRefundClaimed, MoveTransferOut:
				row.Claimed = row.Claimed.Add(m.Amount)
			case MoveRefundRejected:
				row.Claimed = row.Claimed.Sub(m.Amount)
			}
		}
		for _, k := range months {
			row.Used = append(row.Used, MonthAmount{Month: k, Amount: used[k]})
		}
		row.Closing = full.Balance(a, to).AvailableCredit()
		if row.Opening.IsZero() && row.Arising.IsZero() && row.Closing.IsZero() {
			continue
		}
		last, ok := opts.Accounts[a]
		if !ok {
			last = opts.LastDeclaration
		}
		if !last.IsZero() {
			row.Deadline = RefundDeadline(last)
		}
		out = append(out, row)
	}
	return out
}

// PaymentRow is one line of the monthly payment report.
type PaymentRow struct {
	Payment
	// Code is the F24 tax code, or "bonifico" for the regional taxes.
	Code string
}

// MonthlyPaymentReport lists the payments due in the period with their
// code, amount, credit used and paid amount. A tax without a known F24
// code gets an empty code.
func MonthlyPaymentReport(l *Ledger, from, to civil.Date, codes *F24Codes) []PaymentRow {
	if codes == nil {
		codes = DefaultF24Codes()
	}
	var out []PaymentRow
	for _, p := range Plan(l, from, to) {
		row := PaymentRow{Payment: p, Code: "bonifico"}
		if !p.Account.Tax.Regional() {
			c, _ := codes.Code(p.Account.Tax)
			row.Code = c.Code
		}
		out = append(out, row)
	}
	return out
}

// RefundRow is one claim of the report of credits awaiting refund.
type RefundRow struct {
	// Claim is the refund claim.
	Claim RefundClaim
	// Awaiting is the amount not yet decided.
	Awaiting decimal.Decimal
}

// AwaitingRefund lists the filed claims the office has not decided.
func AwaitingRefund(claims []RefundClaim) []RefundRow {
	var out []RefundRow
	for _, c := range claims {
		if c.status() == StatusFiled {
			out = append(out, RefundRow{Claim: c, Awaiting: c.Amount})
		}
	}
	return out
}

// CreditReport is the content of the credit and payment workbook.
type CreditReport struct {
	// From and To bound the period reported.
	From, To civil.Date
	// Credits is the residual credit report.
	Credits []CreditRow
	// Payments is the monthly payment report.
	Payments []PaymentRow
	// Refunds lists the credits awaiting refund.
	Refunds []RefundRow
	// Warnings are the refund deadline findings.
	Warnings anomaly.List
}

// Sheet names of the credit and payment workbook.
const (
	SheetCredits   = "Crediti residui"
	SheetPayments  = "Versamenti"
	SheetRefunds   = "Rimborsi in attesa"
	SheetDeadlines = "Scadenze rimborso"
)

// WriteCreditReport writes the credit and payment workbook: residual
// credits with the credit used per month, the payments with due date,
// code, amount, credit used, paid and left to pay, the claims awaiting a
// decision, and the refund deadline findings.
func WriteCreditReport(w io.Writer, r CreditReport) error {
	f := excelize.NewFile()
	defer f.Close()
	sheets := []struct {
		name   string
		header []any
		data   [][]any
	}{
		{SheetCredits, []any{"Ditta", "Imposta", "Ambito/provincia", "Credito iniziale", "Credito sorto",
			"Utilizzi per mese", "Utilizzato", "Accantonato per rimborso", "Credito finale", "Termine rimborso"}, creditData(r.Credits)},
		{SheetPayments, []any{"Ditta", "Imposta", "Ambito/provincia", "Periodo", "Scadenza", "Codice", "Importo dovuto",
			"Credito utilizzato", "Versato", "Da versare", "Origine", "Compensazioni"}, paymentData(r.Payments)},
		{SheetRefunds, []any{"Istanza", "Ditta", "Imposta", "Ambito/provincia", "Anno", "Origine", "Importo",
			"Presentata il", "Termine", "In attesa"}, refundData(r.Refunds)},
		{SheetDeadlines, []any{"Gravità", "Codice", "Conto", "Importo", "Messaggio"}, warningData(r.Warnings)},
	}
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			return err
		}
		if err := rows(f, s.name, s.header, s.data); err != nil {
			return fmt.Errorf("accise: writing sheet %s: %w", s.name, err)
		}
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("accise: writing credit report: %w", err)
	}
	return nil
}

func creditData(rows []CreditRow) [][]any {
	var out [][]any
	for _, r := range rows {
		used, perMonth := decimal.Zero, ""
		for i, m := range r.Used {
			used = used.Add(m.Amount)
			if i > 0 {
				perMonth += "; "
			}
			perMonth += m.Month.Italian() + " " + m.Amount.StringFixed(2)
		}
		out = append(out, []any{r.Account.Company, r.Account.Tax.Label(), r.Account.Area, num(r.Opening), num(r.Arising),
			perMonth, num(used), num(r.Claimed), num(r.Closing), italianDate(r.Deadline)})
	}
	return out
}

func paymentData(rows []PaymentRow) [][]any {
	var out [][]any
	for _, r := range rows {
		offsets := ""
		for i, o := range r.Offsets {
			if i > 0 {
				offsets += "\n"
			}
			offsets += o.Explanation
		}
		period := ""
		if !r.Period.IsZero() {
			period = r.Period.Italian()
		}
		out = append(out, []any{r.Account.Company, r.Account.Tax.Label(), r.Account.Area, period, r.Due.Italian(), r.Code,
			num(r.Amount), num(r.CreditUsed), num(r.Paid), num(r.ToPay), r.Source.String(), offsets})
	}
	return out
}

func refundData(rows []RefundRow) [][]any {
	var out [][]any
	for _, r := range rows {
		c := r.Claim
		out = append(out, []any{c.ID, c.Account.Company, c.Account.Tax.Label(), c.Account.Area, c.Year, string(c.Origin),
			num(c.Amount), italianDate(c.Filed), italianDate(c.Deadline()), num(r.Awaiting)})
	}
	return out
}

func warningData(list anomaly.List) [][]any {
	var out [][]any
	for _, a := range list {
		out = append(out, []any{a.Severity.String(), a.Code, a.Key, a.Value, a.Message})
	}
	return out
}

func italianDate(d civil.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Italian()
}
