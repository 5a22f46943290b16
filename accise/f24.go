package accise

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

//go:embed data/f24_codes.json
var f24CodesJSON []byte

// ErrNoF24Code is returned when a tax has no F24 code in the table.
var ErrNoF24Code = errors.New("accise: no F24 tax code")

// F24Code is the F24 tax code (codice tributo) of one tax.
type F24Code struct {
	// Tax is the tax paid with the code.
	Tax Tax `json:"tax"`
	// Code is the four-digit codice tributo; empty when no source gives it.
	Code string `json:"code"`
	// Description is the code's Italian description.
	Description string `json:"description"`
	// Source names where the code comes from.
	Source string `json:"source"`
	// Confidence is confirmed, single-source, guess or unknown.
	Confidence string `json:"confidence"`
}

// F24Codes is the table of the F24 Accise section: the codes and the
// values of the fields no primary source documents.
type F24Codes struct {
	// Source describes the table.
	Source string `json:"source"`
	// Ente is the letter of the Ente field for excise rows.
	Ente Citation `json:"ente"`
	// Identifier names what goes into the codice identificativo field.
	Identifier Citation `json:"identifier"`
	// RowsPerForm is the number of rows of the excise section of one form.
	RowsPerForm struct {
		Citation
		Value int `json:"value"`
	} `json:"rows_per_form"`
	// Codes lists one code per tax paid with F24.
	Codes []F24Code `json:"codes"`
}

var (
	defaultF24CodesOnce sync.Once
	defaultF24Codes     *F24Codes
)

// DefaultF24Codes returns the embedded F24 code table. It panics only if
// the embedded file is invalid, which the tests rule out.
func DefaultF24Codes() *F24Codes {
	defaultF24CodesOnce.Do(func() {
		c, err := LoadF24Codes(bytes.NewReader(f24CodesJSON))
		if err != nil {
			panic(err)
		}
		defaultF24Codes = c
	})
	return defaultF24Codes
}

// LoadF24Codes reads an F24 code table in the format of
// data/f24_codes.json.
func LoadF24Codes(r io.Reader) (*F24Codes, error) {
	var c F24Codes
	if err := json.NewDecoder(r).Decode(&c); err != nil {
		return nil, fmt.Errorf("accise: invalid F24 codes: %w", err)
	}
	if c.RowsPerForm.Value < 1 {
		return nil, fmt.Errorf("accise: invalid F24 codes: rows_per_form %d; want at least 1", c.RowsPerForm.Value)
	}
	for _, code := range c.Codes {
		if code.Code != "" && (len(code.Code) != 4 || !isDigits(code.Code)) {
			return nil, fmt.Errorf("accise: invalid F24 codes: code %q of %s; want four digits", code.Code, code.Tax)
		}
	}
	return &c, nil
}

// Code returns the code of a tax. It fails for the regional taxes, which
// are paid by bank transfer, and for a tax whose code is unknown.
func (c *F24Codes) Code(t Tax) (F24Code, error) {
	for _, code := range c.Codes {
		if code.Tax == t {
			if code.Code == "" {
				return code, fmt.Errorf("%w for %s: %s", ErrNoF24Code, t, code.Source)
			}
			return code, nil
		}
	}
	return F24Code{}, fmt.Errorf("%w for %s; regional taxes are paid by bank transfer", ErrNoF24Code, t)
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// F24Row is one row of the F24 Accise section.
type F24Row struct {
	// Ente is the Ente letter.
	Ente string
	// Province is Prov., the province or area code.
	Province string
	// Identifier is the codice identificativo (up to 17 characters).
	Identifier string
	// TaxCode is the codice tributo.
	TaxCode string
	// Instalment is Rateazione; empty for excise payments.
	Instalment string
	// Month and Year are the reference month (mese) and year (anno di
	// riferimento); zero leaves them empty.
	Month, Year int
	// Amount is the importo a debito versato.
	Amount decimal.Decimal
	// Uncertain lists the fields whose value rests on a single source or a
	// guess, such as "ente (single-source)".
	Uncertain []string
	// Payment is the payment the row pays.
	Payment Payment
}

// F24Payer is the taxpayer of the form (contribuente).
type F24Payer struct {
	// FiscalCode is the codice fiscale.
	FiscalCode string
	// Name is the company name (denominazione o ragione sociale).
	Name string
}

// F24Form is one F24 Accise form.
type F24Form struct {
	// Payer is the contribuente.
	Payer F24Payer
	// Due is the payment date the form is prepared for.
	Due civil.Date
	// Rows are the excise rows, at most RowsPerForm.
	Rows []F24Row
	// Number is the form's 1-based number among the forms of the same due
	// date; Of is their count.
	Number, Of int
}

// Total returns the sum of the rows (saldo).
func (f F24Form) Total() decimal.Decimal {
	total := decimal.Zero
	for _, r := range f.Rows {
		total = total.Add(r.Amount)
	}
	return total
}

// F24Options configures F24Forms.
type F24Options struct {
	// Payer is the contribuente of every form.
	Payer F24Payer
	// Codes defaults to DefaultF24Codes.
	Codes *F24Codes
	// OmitPeriod leaves the month and year fields empty, as one source
	// advises for excise rows.
	OmitPeriod bool
}

// F24Forms turns the payments of the excise taxes into F24 Accise rows
// and groups them into forms by due date. A due date with more rows than
// one form holds gets several forms; no row is dropped. Payments with
// nothing to pay and regional taxes are skipped. The codice identificativo
// is the account's company code and the province field its area.
func F24Forms(payments []Payment, opts F24Options) ([]F24Form, error) {
	codes := opts.Codes
	if codes == nil {
		codes = DefaultF24Codes()
	}
	byDue := map[civil.Date][]F24Row{}
	var dues []civil.Date
	for _, p := range payments {
		if p.Account.Tax.Regional() || !p.ToPay.IsPositive() {
			continue
		}
		row, err := f24Row(codes, p, opts.OmitPeriod)
		if err != nil {
			return nil, err
		}
		if _, ok := byDue[p.Due]; !ok {
			dues = append(dues, p.Due)
		}
		byDue[p.Due] = append(byDue[p.Due], row)
	}
	sortDates(dues)
	var out []F24Form
	for _, due := range dues {
		out = append(out, SplitF24(opts.Payer, due, byDue[due], codes.RowsPerForm.Value)...)
	}
	return out, nil
}

func f24Row(codes *F24Codes, p Payment, omitPeriod bool) (F24Row, error) {
	code, err := codes.Code(p.Account.Tax)
	if err != nil {
		return F24Row{}, err
	}
	if len(p.Account.Company) > 17 {
		return F24Row{}, fmt.Errorf("accise: company code %q has %d characters, more than the 17 of the F24 identifier field: use the 13-character excise code", p.Account.Company, len(p.Account.Company))
	}
	// NOTE: no public source gives how an ambito (IT, PA, ...) is written in
	// the province field after 2022; the area code is written as it is.
	row := F24Row{Ente: codes.Ente.Value, Province: p.Account.Area, Identifier: p.Account.Company,
		TaxCode: code.Code, Amount: p.ToPay, Payment: p}
	// A balance has no month; its row leaves month and year empty.
	if !omitPeriod && !p.Period.IsZero() {
		row.Month, row.Year = int(p.Period.Month), p.Period.Year
	}
	flag := func(field string, c Citation) {
		if !c.Confirmed() {
			row.Uncertain = append(row.Uncertain, field+" ("+c.Confidence+")")
		}
	}
	flag("ente", codes.Ente)
	// From 2022 excise is paid per ambito, and no public source shows how
	// an ambito is written in the province field.
	if !p.Due.Before(civil.Date{Year: 2022, Month: 1, Day: 1}) {
		flag("prov.", Citation{Confidence: "unknown"})
	}
	flag("codice identificativo", codes.Identifier)
	flag("codice tributo "+code.Code, Citation{Confidence: code.Confidence})
	return row, nil
}

// SplitF24 puts rows into forms of at most perForm rows each, keeping
// their order.
func SplitF24(payer F24Payer, due civil.Date, rows []F24Row, perForm int) []F24Form {
	if perForm < 1 {
		perForm = 1
	}
	var out []F24Form
	for start := 0; start < len(rows); start += perForm {
		end := min(start+perForm, len(rows))
		out = append(out, F24Form{Payer: payer, Due: due, Rows: rows[start:end:end]})
	}
	for i := range out {
		out[i].Number, out[i].Of = i+1, len(out)
	}
	return out
}

// F24Writer writes F24 forms in one output format. F24PDF writes the
// printable form for manual payment. The banks' flat F24 layout (CBI) is
// not public, so its writer can be added behind this interface once a bank
// provides the record layout.
type F24Writer interface {
	WriteF24(w io.Writer, forms []F24Form) error
}

// F24WriterFunc adapts a function to F24Writer.
type F24WriterFunc func(w io.Writer, forms []F24Form) error

// WriteF24 calls f.
func (f F24WriterFunc) WriteF24(w io.Writer, forms []F24Form) error { return f(w, forms) }

func sortDates(ds []civil.Date) {
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0 && ds[j].Before(ds[j-1]); j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
}

func itoa0(n int, width int) string {
	if n == 0 {
		return ""
	}
	s := strconv.Itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return s
}
