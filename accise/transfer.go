package accise

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// ErrIBAN is returned for an IBAN whose format or check digits are wrong.
var ErrIBAN = errors.New("accise: invalid IBAN")

// ValidateIBAN checks an IBAN's format and its ISO 13616 check digits
// (mod 97 = 1); Italian IBANs must have 27 characters. Spaces are ignored.
func ValidateIBAN(iban string) error {
	s := strings.ToUpper(strings.ReplaceAll(iban, " ", ""))
	if len(s) < 15 || len(s) > 34 {
		return fmt.Errorf("%w %q: length %d; want 15 to 34 characters", ErrIBAN, iban, len(s))
	}
	if strings.HasPrefix(s, "IT") && len(s) != 27 {
		return fmt.Errorf("%w %q: an Italian IBAN has 27 characters, not %d", ErrIBAN, iban, len(s))
	}
	var digits strings.Builder
	for i, r := range s[4:] + s[:4] {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			fmt.Fprintf(&digits, "%d", r-'A'+10)
		default:
			return fmt.Errorf("%w %q: character %q at %d", ErrIBAN, iban, r, (i+4)%len(s)+1)
		}
	}
	n, _ := new(big.Int).SetString(digits.String(), 10)
	if n.Mod(n, big.NewInt(97)).Int64() != 1 {
		return fmt.Errorf("%w %q: wrong check digits", ErrIBAN, iban)
	}
	return nil
}

// Debtor is the company paying the regional taxes by bank transfer.
type Debtor struct {
	// Name is the company name (Dbtr/Nm).
	Name string `json:"name"`
	// IBAN is the account debited (DbtrAcct).
	IBAN string `json:"iban"`
	// BIC is the debtor bank's BIC; optional.
	BIC string `json:"bic,omitempty"`
	// ABI is the debtor bank's ABI code, the CBI clearing member id of the
	// debtor agent (DbtrAgt/ClrSysMmbId).
	ABI string `json:"abi"`
	// CUC is the CBI company code (codice CUC) that identifies the
	// initiating party of CBI files (InitgPty/Id/OrgId/Othr, issuer CBI).
	CUC string `json:"cuc"`
	// FiscalCode is the company's codice fiscale.
	FiscalCode string `json:"fiscal_code"`
}

// Creditor is a region's treasury account for ARISGAN and IRS.
type Creditor struct {
	// Name is the beneficiary (Cdtr/Nm), such as "Regione Emilia-Romagna".
	Name string `json:"name"`
	// IBAN is the region's account (CdtrAcct).
	IBAN string `json:"iban"`
	// BIC is the region's bank BIC; optional.
	BIC string `json:"bic,omitempty"`
	// Reference is the template of the remittance information; {tax},
	// {month} (MM/yyyy), {province} and {code} (the excise code) are
	// replaced. Empty uses DefaultReference.
	Reference string `json:"reference,omitempty"`
}

// DefaultReference is the remittance template the regions ask for: the
// month, the province and the 13-character excise code.
const DefaultReference = "{tax} {month} {province} {code}"

// TransferConfig is the configuration of the regional bank transfers.
type TransferConfig struct {
	// Debtor is the paying company.
	Debtor Debtor `json:"debtor"`
	// Regions maps a region code (PIE, EMR, ...) to its account.
	Regions map[string]Creditor `json:"regions"`
	// ExciseCodes maps a province to the company's excise code there
	// (codice accisa, 13 characters such as IT00BOG00123A). The key "*"
	// gives the code of provinces not listed.
	ExciseCodes map[string]string `json:"excise_codes"`
}

// LoadTransferConfig reads a JSON transfer configuration and validates it.
func LoadTransferConfig(r io.Reader) (*TransferConfig, error) {
	var c TransferConfig
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("accise: invalid transfer configuration: %w", err)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// Validate checks the IBANs, the debtor's identifiers and the excise codes.
func (c *TransferConfig) Validate() error {
	if c.Debtor.Name == "" {
		return fmt.Errorf("accise: transfer configuration: missing debtor name")
	}
	if err := ValidateIBAN(c.Debtor.IBAN); err != nil {
		return fmt.Errorf("accise: transfer configuration: debtor: %w", err)
	}
	if len(c.Debtor.ABI) != 5 || !isDigits(c.Debtor.ABI) {
		return fmt.Errorf("accise: transfer configuration: debtor ABI %q; want five digits", c.Debtor.ABI)
	}
	for _, code := range sortedKeys(c.Regions) {
		cr := c.Regions[code]
		if cr.Name == "" {
			return fmt.Errorf("accise: transfer configuration: region %s: missing name", code)
		}
		if err := ValidateIBAN(cr.IBAN); err != nil {
			return fmt.Errorf("accise: transfer configuration: region %s: %w", code, err)
		}
	}
	for _, prov := range sortedKeys(c.ExciseCodes) {
		if err := ValidateExciseCode(c.ExciseCodes[prov]); err != nil {
			return fmt.Errorf("accise: transfer configuration: province %s: %w", prov, err)
		}
	}
	return nil
}

// ValidateExciseCode checks a codice accisa: 13 upper-case letters and
// digits starting with "IT".
func ValidateExciseCode(code string) error {
	if len(code) != 13 || !strings.HasPrefix(code, "IT") {
		return fmt.Errorf("accise: invalid excise code %q: want 13 characters starting with IT", code)
	}
	for _, r := range code {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return fmt.Errorf("accise: invalid excise code %q: character %q; want letters and digits", code, r)
		}
	}
	return nil
}

func (c *TransferConfig) exciseCode(province string) (string, error) {
	if code, ok := c.ExciseCodes[province]; ok {
		return code, nil
	}
	if code, ok := c.ExciseCodes["*"]; ok {
		return code, nil
	}
	return "", fmt.Errorf("accise: no excise code for province %s in the transfer configuration", province)
}

// Transfer is one bank transfer of a regional tax.
type Transfer struct {
	// Region is the region code.
	Region string
	// Creditor is the region's account.
	Creditor Creditor
	// Amount is the amount transferred.
	Amount decimal.Decimal
	// Reference is the remittance information (RmtInf/Ustrd).
	Reference string
	// EndToEndID identifies the transfer end to end.
	EndToEndID string
	// Execution is the requested execution date, the payment's due date.
	Execution civil.Date
	// Payment is the payment the transfer pays.
	Payment Payment
}

// check verifies the limits of the XML schemas: a positive amount, the
// creditor's name up to 70 characters, the end-to-end id up to 35 and the
// reference up to 140.
func (t Transfer) check() error {
	switch {
	case !t.Amount.IsPositive():
		return fmt.Errorf("transfer %s has amount %s; want a positive amount", t.EndToEndID, t.Amount)
	case t.Creditor.Name == "" || len(t.Creditor.Name) > 70:
		return fmt.Errorf("transfer %s: creditor name %q; want 1 to 70 characters", t.EndToEndID, t.Creditor.Name)
	case t.EndToEndID == "" || len(t.EndToEndID) > 35:
		return fmt.Errorf("transfer end-to-end id %q; want 1 to 35 characters", t.EndToEndID)
	case t.Reference == "" || len(t.Reference) > 140:
		return fmt.Errorf("transfer %s: reference %q; want 1 to 140 characters", t.EndToEndID, t.Reference)
	}
	return nil
}

// Transfers turns the payments of ARISGAN and IRS into one bank transfer
// per province and month to the province's region. Payments with nothing
// to pay and the excise taxes are skipped.
func Transfers(payments []Payment, cfg *TransferConfig, t *Territory) ([]Transfer, error) {
	var out []Transfer
	for _, p := range payments {
		if !p.Account.Tax.Regional() || !p.ToPay.IsPositive() {
			continue
		}
		region, ok := t.RegionOf(p.Account.Area)
		if !ok {
			return nil, fmt.Errorf("accise: unknown province %q of %s", p.Account.Area, p.Account)
		}
		if region.SpecialStatute {
			return nil, fmt.Errorf("accise: %s in %s: ARISGAN and IRS are levied only in ordinary-statute regions, not in the special-statute region %s; remove the amounts due", p.Account.Tax, p.Account.Area, region.Name)
		}
		cr, ok := cfg.Regions[region.Code]
		if !ok {
			return nil, fmt.Errorf("accise: no account of region %s (%s) in the transfer configuration", region.Code, region.Name)
		}
		code, err := cfg.exciseCode(p.Account.Area)
		if err != nil {
			return nil, err
		}
		ref, err := PaymentReference(cr.Reference, p.Account.Tax, paymentMonth(p), p.Account.Area, code)
		if err != nil {
			return nil, err
		}
		out = append(out, Transfer{Region: region.Code, Creditor: cr, Amount: p.ToPay, Reference: ref,
			EndToEndID: endToEndID(p, code), Execution: p.Due, Payment: p})
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Execution.Before(out[b].Execution) })
	return out, nil
}

// paymentMonth is the month a payment refers to; a balance refers to the
// month it is due in.
func paymentMonth(p Payment) civil.Month {
	if p.Period.IsZero() {
		return p.Due.MonthOf()
	}
	return p.Period
}

// PaymentReference fills a remittance template (DefaultReference when
// empty) with the tax, the month as MM/yyyy, the province and the 13-
// character excise code. The result must fit the 140 characters of
// unstructured remittance information.
func PaymentReference(template string, tax Tax, m civil.Month, province, exciseCode string) (string, error) {
	if err := ValidateExciseCode(exciseCode); err != nil {
		return "", err
	}
	if template == "" {
		template = DefaultReference
	}
	name := strings.ToUpper(string(tax))
	ref := strings.NewReplacer("{tax}", name, "{month}", m.Italian(), "{province}", province, "{code}", exciseCode).Replace(template)
	if len(ref) > 140 {
		return "", fmt.Errorf("accise: payment reference %q has %d characters; the limit is 140", ref, len(ref))
	}
	return ref, nil
}

func endToEndID(p Payment, code string) string {
	m := paymentMonth(p)
	id := fmt.Sprintf("%s-%s-%s-%s", code, strings.ToUpper(string(p.Account.Tax)), p.Account.Area, m.Compact())
	if p.Period.IsZero() {
		id += "-S"
	}
	return id
}
