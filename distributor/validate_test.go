package distributor

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// loadRequest reads testdata/requests/<service>.json.
func loadRequest(t testing.TB, service string) *Request {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "requests", service+".json"))
	require.NoError(t, err)
	defer f.Close()
	r, err := DecodeRequestJSON(f)
	require.NoError(t, err)
	return r
}

func TestStandardServicesCovered(t *testing.T) {
	var codes []string
	for _, s := range StandardServices() {
		codes = append(codes, s.Code)
	}
	assert.Equal(t, []string{"A01", "D01", "E01", "M01", "M02", "PM1", "PN1", "R01", "V01", "V02"}, codes)
}

func TestStandardSchemaDate(t *testing.T) {
	assert.Equal(t, civil.Date{Year: 2010, Month: 12, Day: 14}, StandardSchemaDate())
}

func TestFlowCodesPerPhase(t *testing.T) {
	tests := []struct {
		service string
		phase   Phase
		flow    string
	}{
		{"D01", PhaseRequest, "E050"},
		{"D01", PhaseAdmissibility, "E100"},
		{"D01", PhaseOutcome, "E150"},
		{"R01", PhaseRequest, "E050"},
		{"R01", PhaseOutcome, "E150"},
		{"A01", PhaseRequest, "0050"},
		{"A01", PhaseMeterData, "0300"},
		{"PN1", PhaseAdmissibility, "0100"},
		{"E01", PhaseOutcome, "0150"},
	}
	for _, tt := range tests {
		s, ok := StandardService(tt.service)
		require.True(t, ok, tt.service)
		got, ok := s.Flow(tt.phase)
		assert.True(t, ok, "%s %s", tt.service, tt.phase)
		assert.Equal(t, tt.flow, got, "%s %s", tt.service, tt.phase)
	}
	d01, _ := StandardService("D01")
	_, ok := d01.Flow(PhaseMeterData)
	assert.False(t, ok, "D01 has no meter-data flow")
}

func TestValidateSampleRequests(t *testing.T) {
	for _, s := range StandardServices() {
		t.Run(s.Code, func(t *testing.T) {
			r := loadRequest(t, s.Code)
			assert.Empty(t, Validate(r, ValidateOptions{}))
		})
	}
}

func TestValidateFindings(t *testing.T) {
	tests := []struct {
		name     string
		service  string
		change   func(r *Request)
		code     string
		severity anomaly.Severity
		field    string
		value    string
	}{
		{"missing POD", "D01", func(r *Request) { r.Technical.POD = "" }, CodeMissing, anomaly.Blocking, "DatiTecnici/cod_pod", ""},
		{"bad POD", "D01", func(r *Request) { r.Technical.POD = "IT001X12345678" }, CodeInvalid, anomaly.Blocking, "DatiTecnici/cod_pod", "IT001X12345678"},
		{"bad seller VAT", "M01", func(r *Request) { r.IDs.SellerVAT = "01234567890" }, CodeInvalid, anomaly.Blocking, "IdentificativiRichiesta/piva_utente", "01234567890"},
		{"missing case number", "M01", func(r *Request) { r.IDs.CaseNumber = "" }, CodeMissing, anomaly.Blocking, "IdentificativiRichiesta/cod_prat_utente", ""},
		{"bad fiscal code", "A01", func(r *Request) { r.Customer.FiscalCode = "RSSMRA80A01H501A" }, CodeInvalid, anomaly.Blocking, "ClienteFinale/Anagrafica/cf", "RSSMRA80A01H501A"},
		{"bad ISTAT", "A01", func(r *Request) { r.Supply.ISTAT = "15146" }, CodeInvalid, anomaly.Blocking, "Fornitura/UbicazionePod/istat", "15146"},
		{"bad postal code", "PN1", func(r *Request) { r.Supply.PostCode = "2012A" }, CodeInvalid, anomaly.Blocking, "Fornitura/UbicazionePod/cap", "2012A"},
		{"bad province", "PN1", func(r *Request) { r.Supply.Province = "Mi" }, CodeInvalid, anomaly.Blocking, "Fornitura/UbicazionePod/prov", "Mi"},
		{"bad flag", "D01", func(r *Request) { r.OutOfHours = "true" }, CodeInvalid, anomaly.Blocking, "FuoriOrario/Disatt_Fuori_Orario", "true"},
		{"bad phase code", "PN1", func(r *Request) { r.Technical.Phase = "X" }, CodeCode, anomaly.Blocking, "DatiTecnici/fase", "X"},
		{"open use code", "PN1", func(r *Request) { r.Technical.Use = "Z" }, CodeCode, anomaly.Warning, "DatiTecnici/tp_uso", "Z"},
		{"zero power", "A01", func(r *Request) {
			r.Technical.ContractPower.Decimal = r.Technical.ContractPower.Decimal.Sub(r.Technical.ContractPower.Decimal)
		}, CodeInvalid, anomaly.Blocking, "DatiTecnici/pot_ric_contratto", "0"},
		{"bad pod count", "PN1", func(r *Request) { r.Technical.PODCount = "0" }, CodeInvalid, anomaly.Blocking, "DatiTecnici/n_pod", "0"},
		{"bad phone", "V01", func(r *Request) { r.Customer.Phone = "12-34" }, CodeInvalid, anomaly.Blocking, "ClienteFinale/Anagrafica/tel", "12-34"},
		{"unused field", "M01", func(r *Request) { r.Customer.FiscalCode = "RSSMRA80A01H501U" }, CodeUnused, anomaly.Warning, "ClienteFinale/Anagrafica/cf", "RSSMRA80A01H501U"},
		{"missing name", "A01", func(r *Request) { r.Customer.Surname = "" }, CodeMissing, anomaly.Blocking, "ClienteFinale/Anagrafica", ""},
		{"missing tax id", "D01", func(r *Request) { r.Customer.FiscalCode = "" }, CodeMissing, anomaly.Blocking, "ClienteFinale/Anagrafica", ""},
		{"billing address missing", "A01", func(r *Request) { r.Customer.BillingAddress.ISTAT = "" }, CodeMissing, anomaly.Blocking, "ClienteFinale/RecapitoFatt/istat", ""},
		{"unknown service", "M01", func(r *Request) { r.Service = "SM1" }, CodeService, anomaly.Blocking, "cod_servizio", "SM1"},
		{"undeclared extra", "M01", func(r *Request) { r.Extra = map[string]string{"colore": "blu"} }, CodeUnused, anomaly.Warning, "AltriDati/colore", "blu"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := loadRequest(t, tt.service)
			tt.change(r)
			got := Validate(r, ValidateOptions{File: "req.json"})
			require.Len(t, got, 1, "%v", got)
			a := got[0]
			assert.Equal(t, tt.code, a.Code)
			assert.Equal(t, tt.severity, a.Severity)
			assert.Equal(t, tt.field, a.Field)
			assert.Equal(t, tt.value, a.Value)
			assert.Equal(t, "req.json", a.File)
			assert.NotEmpty(t, a.Key)
			assert.NotEmpty(t, a.Message)
		})
	}
}

func TestValidateNotBeforeInPast(t *testing.T) {
	r := loadRequest(t, "D01")
	got := Validate(r, ValidateOptions{Today: civil.Date{Year: 2027, Month: 1, Day: 1}})
	require.Len(t, got, 1)
	assert.Equal(t, anomaly.Warning, got[0].Severity)
	assert.Equal(t, "Da_Eseguire_Non_Prima_Del", got[0].Field)
}

func TestValidateProfileRules(t *testing.T) {
	p := &Profile{
		ID:             "test",
		DistributorVAT: "11111111115",
		Required:       map[string][]string{"D01": {"ClienteFinale/Anagrafica/tel"}, "*": {"note"}},
	}
	r := loadRequest(t, "D01")
	r.Customer.Phone = ""
	got := Validate(r, ValidateOptions{Profile: p})
	fields := map[string]string{}
	for _, a := range got {
		fields[a.Field] = a.Code
	}
	assert.Equal(t, CodeMissing, fields["ClienteFinale/Anagrafica/tel"])
	assert.Equal(t, CodeMissing, fields["note"])
	assert.Equal(t, CodeInvalid, fields["IdentificativiRichiesta/piva_distr"])
}

func TestFlagJSON(t *testing.T) {
	var r Request
	require.NoError(t, json.Unmarshal([]byte(`{"customer_present": true, "out_of_hours": "NO"}`), &r))
	assert.Equal(t, Yes, r.CustomerPresent)
	assert.Equal(t, No, r.OutOfHours)
	assert.Error(t, json.Unmarshal([]byte(`{"customer_present": 1}`), &r))
}

func TestDecodeRequestJSONUnknownKey(t *testing.T) {
	_, err := DecodeRequestJSON(strings.NewReader(`{"service": "D01", "servce": "x"}`))
	require.ErrorIs(t, err, ErrSyntax)
	assert.Contains(t, err.Error(), "servce")
}

func TestFieldOrigins(t *testing.T) {
	o, ok := FieldOrigin("IdentificativiRichiesta/data_ricenzione")
	require.True(t, ok)
	assert.Equal(t, OriginSellerCode, o)
	o, ok = FieldOrigin("ClienteFinale/AnagraficaFatt/rag_soc")
	require.True(t, ok)
	assert.Equal(t, OriginPackage, o)
	_, ok = FieldOrigin("nope")
	assert.False(t, ok)
}
