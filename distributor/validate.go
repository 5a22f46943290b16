package distributor

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// ValidateOptions are the settings of Validate.
type ValidateOptions struct {
	// Profile adds the distributor's services and required fields. A nil
	// profile allows the standard services only.
	Profile *Profile
	// File is the file name written into each anomaly, when the request
	// came from a file.
	File string
	// Today, when set, turns a Da_Eseguire_Non_Prima_Del before it into a
	// warning.
	Today civil.Date
}

// Validate checks a request against its service and the profile, and
// returns every finding. A request with a blocking anomaly must not be
// sent. Each anomaly names the element path in Field and the value as
// given. Key is the seller case number, or the POD when that is empty.
// An empty piva_distr is checked as the profile's DistributorVAT, which the
// encoders write in its place.
func Validate(r *Request, opts ValidateOptions) Anomalies {
	req := *r
	if req.IDs.DistributorVAT == "" && opts.Profile != nil {
		req.IDs.DistributorVAT = opts.Profile.DistributorVAT
	}
	r = &req
	v := validator{r: r, opts: opts, key: r.IDs.CaseNumber}
	if v.key == "" {
		v.key = r.Technical.POD
	}
	svc, ok := opts.Profile.Service(r.Service)
	if !ok {
		v.add(CodeService, anomaly.Blocking, "cod_servizio", r.Service, unknownServiceMessage(r.Service, opts.Profile))
		return v.out
	}
	use := usage(standard, svc, opts.Profile.requiredFor(svc.Code))
	for i := range fields {
		v.checkField(&fields[i], use)
	}
	v.checkIdentity(svc)
	v.checkBilling(use)
	v.checkDistributor()
	v.checkExtra(svc)
	if !opts.Today.IsZero() && !r.NotBefore.IsZero() && r.NotBefore.Before(opts.Today) {
		v.add(CodeInvalid, anomaly.Warning, "Da_Eseguire_Non_Prima_Del", r.NotBefore.String(),
			"the earliest execution day is in the past: the distributor may execute at once")
	}
	return v.out
}

func unknownServiceMessage(code string, p *Profile) string {
	if code == "" {
		return "missing service code: set the request's service, such as A01 or D01"
	}
	if p == nil {
		return fmt.Sprintf("unknown service %q: not a standard service; a distributor's own service needs its profile", code)
	}
	return fmt.Sprintf("unknown service %q: neither a standard service nor one of profile %s", code, p.ID)
}

type validator struct {
	r    *Request
	opts ValidateOptions
	key  string
	out  anomaly.List
}

func (v *validator) add(code string, sev anomaly.Severity, path, value, msg string) {
	v.out = append(v.out, Anomaly{
		Code: code, Rule: "request", Severity: sev, Level: anomaly.RecordLevel,
		File: v.opts.File, Key: v.key, Field: path, Value: value, Message: msg,
	})
}

// checkField reports a missing required field, a field the service does
// not send, and a value of the wrong shape.
func (v *validator) checkField(f *field, use map[string]bool) {
	required, used := use[f.path]
	value, set := f.text(v.r, valueFormat{})
	if !set {
		if required {
			v.add(CodeMissing, anomaly.Blocking, f.path, "", fmt.Sprintf("missing %s: service %s requires it", f.name(), v.r.Service))
		}
		return
	}
	if !used {
		v.add(CodeUnused, anomaly.Warning, f.path, value, fmt.Sprintf("%s is not part of service %s and is not sent", f.name(), v.r.Service))
		return
	}
	if msg := checkValue(f, value); msg != "" {
		v.add(CodeInvalid, anomaly.Blocking, f.path, value, msg)
	}
	if f.kind == kindCode && !slices.Contains(f.codes, value) {
		sev := anomaly.Blocking
		if f.open {
			sev = anomaly.Warning
		}
		v.add(CodeCode, sev, f.path, value, fmt.Sprintf("invalid %s %q: want one of %s", f.name(), value, strings.Join(f.codes, ", ")))
	}
}

// checkValue returns what is wrong with a value of the field's kind, or "".
func checkValue(f *field, value string) string {
	switch f.kind {
	case kindPOD:
		if !validPOD(value) {
			return fmt.Sprintf("invalid POD %q: want IT, 3 digits, E, 8 digits and an optional letter or digit", value)
		}
	case kindVAT:
		if !validVAT(value) {
			return fmt.Sprintf("invalid VAT number %q: want 11 digits with a valid check digit", value)
		}
	case kindFiscalCode:
		if !validFiscalCode(value) {
			return fmt.Sprintf("invalid fiscal code %q: want 16 upper-case characters or 11 digits, with a valid check character", value)
		}
	case kindISTAT:
		if len(value) != 6 || !digitsOnly(value) {
			return fmt.Sprintf("invalid ISTAT code %q: want the 6-digit code of the municipality", value)
		}
	case kindPostCode:
		if len(value) != 5 || !digitsOnly(value) {
			return fmt.Sprintf("invalid postal code %q: want 5 digits", value)
		}
	case kindProvince:
		if !validProvince(value) {
			return fmt.Sprintf("invalid province %q: want 2 upper-case letters, such as MI", value)
		}
	case kindPhone:
		if !validPhone(value) {
			return fmt.Sprintf("invalid phone number %q: want 6 to 15 digits, an optional leading + and spaces", value)
		}
	case kindCount:
		if !digitsOnly(value) || strings.TrimLeft(value, "0") == "" {
			return fmt.Sprintf("invalid %s %q: want a positive whole number", f.name(), value)
		}
	case kindFlag:
		if !Flag(value).Valid() {
			return fmt.Sprintf("invalid %s %q: want SI or NO", f.name(), value)
		}
	case kindDecimal:
		return checkPower(f, value)
	}
	return ""
}

func checkPower(f *field, value string) string {
	d, err := parseDecimal(value)
	if err != nil {
		return fmt.Sprintf("invalid %s: %v", f.name(), err)
	}
	if !d.IsPositive() {
		return fmt.Sprintf("invalid %s %q: a power in kW must be greater than zero", f.name(), value)
	}
	return ""
}

// checkIdentity applies the service's name and tax-id rules.
func (v *validator) checkIdentity(svc *Service) {
	c := v.r.Customer
	if svc.RequireName && c.BusinessName == "" && (c.Surname == "" || c.Name == "") {
		v.add(CodeMissing, anomaly.Blocking, "ClienteFinale/Anagrafica", "",
			fmt.Sprintf("missing customer name: service %s requires rag_soc, or cognome and nome", svc.Code))
	}
	if svc.RequireTaxID && c.FiscalCode == "" && c.VAT == "" {
		v.add(CodeMissing, anomaly.Blocking, "ClienteFinale/Anagrafica", "",
			fmt.Sprintf("missing customer tax id: service %s requires cf or piva", svc.Code))
	}
}

// checkBilling requires the billing name and address when dati_fatt is SI
// and the service sends them.
func (v *validator) checkBilling(use map[string]bool) {
	c := v.r.Customer
	if c.SeparateBilling != Yes {
		return
	}
	if _, ok := use["ClienteFinale/RecapitoFatt/via"]; !ok {
		return
	}
	if c.BillingBusinessName == "" && (c.BillingSurname == "" || c.BillingName == "") {
		v.add(CodeMissing, anomaly.Blocking, "ClienteFinale/AnagraficaFatt", "",
			"missing billing name: dati_fatt is SI, so rag_soc, or cognome and nome, of AnagraficaFatt is required")
	}
	a := c.BillingAddress
	for _, p := range []struct{ name, value string }{
		{"via", a.Street}, {"civ", a.Number}, {"cap", a.PostCode}, {"istat", a.ISTAT}, {"comune", a.Municipality}, {"prov", a.Province},
	} {
		if p.value == "" {
			v.add(CodeMissing, anomaly.Blocking, "ClienteFinale/RecapitoFatt/"+p.name, "",
				fmt.Sprintf("missing %s of the billing address: dati_fatt is SI", p.name))
		}
	}
}

// checkDistributor compares piva_distr with the profile's VAT number.
func (v *validator) checkDistributor() {
	p := v.opts.Profile
	got := v.r.IDs.DistributorVAT
	if p == nil || p.DistributorVAT == "" || got == "" || got == p.DistributorVAT {
		return
	}
	v.add(CodeInvalid, anomaly.Blocking, "IdentificativiRichiesta/piva_distr", got,
		fmt.Sprintf("piva_distr %s is not the VAT number %s of profile %s: check the profile chosen", got, p.DistributorVAT, p.ID))
}

// checkExtra checks the profile-declared fields of the service.
func (v *validator) checkExtra(svc *Service) {
	declared := map[string]bool{}
	for _, e := range svc.Extra {
		declared[e.Name] = true
		path := extraPath + "/" + e.Name
		value, ok := v.r.Extra[e.Name]
		if !ok || value == "" {
			if e.Required {
				v.add(CodeMissing, anomaly.Blocking, path, "", fmt.Sprintf("missing %s: service %s requires it", e.Name, svc.Code))
			}
			continue
		}
		if msg := checkExtraValue(e, value); msg != "" {
			v.add(CodeInvalid, anomaly.Blocking, path, value, msg)
		}
	}
	for _, name := range sortedKeys(v.r.Extra) {
		if !declared[name] {
			v.add(CodeUnused, anomaly.Warning, extraPath+"/"+name, v.r.Extra[name],
				fmt.Sprintf("%s is not a field of service %s and is not sent", name, svc.Code))
		}
	}
}

func checkExtraValue(e ExtraField, value string) string {
	switch e.Kind {
	case "date":
		if _, err := parseDate(value); err != nil {
			return fmt.Sprintf("invalid date %s %q: want yyyy-mm-dd", e.Name, value)
		}
	case "flag":
		if !Flag(value).Valid() {
			return fmt.Sprintf("invalid %s %q: want SI or NO", e.Name, value)
		}
	case "decimal":
		if _, err := parseDecimal(value); err != nil {
			return fmt.Sprintf("invalid %s: %v", e.Name, err)
		}
	}
	return ""
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
