package distributor

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

func readOutcomeFile(t *testing.T, name string, p *Profile) ([]*Outcome, []Anomaly) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "outcomes", name))
	require.NoError(t, err)
	defer f.Close()
	outs, as, err := ReadOutcomes(f, name, p)
	require.NoError(t, err)
	return outs, as
}

func dec(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }

func TestReadOutcomeD01Final(t *testing.T) {
	outs, as := readOutcomeFile(t, "D01_E150_positive.xml", nil)
	require.Len(t, outs, 1)
	assert.Empty(t, as)
	o := outs[0]
	assert.Equal(t, "D01", o.Service)
	assert.Equal(t, "E150", o.Flow)
	assert.Equal(t, PhaseOutcome, o.Phase)
	assert.Equal(t, ResultPositive, o.Result)
	assert.Equal(t, "CASE-D01-0001", o.IDs.CaseNumber)
	assert.Equal(t, "DIST-77", o.IDs.DistributorCase)
	assert.Equal(t, "IT001E12345678", o.Data.POD)
	assert.Equal(t, civil.Date{Year: 2026, Month: 12, Day: 16}, o.Data.ExecutionDate)
	assert.Equal(t, "M123456789", o.Data.MeterSerial)
	assert.Empty(t, cmp.Diff(BandReadings{dec("1234.5"), dec("567"), dec("89.25")}, o.Data.Active, decimalEqual))
	assert.Equal(t, "D01_E150_positive.xml", o.File)
	assert.Equal(t, 2, o.Line)
}

func TestReadOutcomeRejection(t *testing.T) {
	outs, as := readOutcomeFile(t, "A01_0100_negative.xml", nil)
	require.Len(t, outs, 1)
	assert.Empty(t, as)
	o := outs[0]
	assert.Equal(t, PhaseAdmissibility, o.Phase)
	assert.Equal(t, ResultNegative, o.Result)
	assert.Equal(t, []Reason{{Code: "C01", Description: "POD non trovato"}, {Code: "C07"}}, o.Reasons)
	assert.Equal(t, "check the POD", o.Note)
}

func TestReadOutcomeWrappedUpperLatin1(t *testing.T) {
	outs, as := readOutcomeFile(t, "A01_0150_upper_wrapped.xml", nil)
	require.Len(t, outs, 2)
	assert.Empty(t, as)
	o := outs[0]
	assert.Equal(t, "A01", o.Service)
	assert.Equal(t, PhaseOutcome, o.Phase)
	assert.Equal(t, "attivazione eseguita, localita Città", o.Note)
	assert.Equal(t, civil.Date{Year: 2026, Month: 12, Day: 5}, o.Data.ExecutionDate)
	assert.Equal(t, "M987654321", o.Data.MeterSerial)
	assert.Empty(t, cmp.Diff(BandReadings{dec("10"), dec("20"), dec("30")}, o.Data.Active, decimalEqual))
	assert.Empty(t, cmp.Diff(BandReadings{dec("3.2")}, o.Data.Power, decimalEqual))
	assert.Equal(t, map[string]string{"tipo_misuratore": "2G"}, o.Data.Other)
	assert.Equal(t, PhaseMeterData, outs[1].Phase)
}

func TestReadOutcomeBadValues(t *testing.T) {
	outs, as := readOutcomeFile(t, "bad_values.xml", nil)
	require.Len(t, outs, 1, "an outcome with bad values is still returned")
	assert.Equal(t, ResultNone, outs[0].Result)
	assert.Equal(t, "forse", outs[0].ResultText)
	fields := map[string]string{}
	for _, a := range as {
		fields[a.Field] = a.Value
		assert.Equal(t, CodeOutcome, a.Code)
		assert.Equal(t, "CASE-E01-0001", a.Key)
		assert.Positive(t, a.Line)
	}
	assert.Equal(t, map[string]string{
		"Esito":                                  "forse",
		"DatiTecnici/data_esecuzione":            "2026-13-01",
		"DatiTecnici/LetturaAttiva/segn_Attiva1": "12,3,4",
	}, fields)
}

func TestReadOutcomeFlowChecks(t *testing.T) {
	tests := []struct {
		name  string
		doc   string
		code  string
		phase Phase
	}{
		{"request flow", `<Prestazione cod_servizio="D01" cod_flusso="E050"><IdentificativiRichiesta><cod_prat_utente>X</cod_prat_utente></IdentificativiRichiesta></Prestazione>`, CodeOutcome, ""},
		{"gas flow code", `<Prestazione cod_servizio="D01" cod_flusso="0150"><IdentificativiRichiesta><cod_prat_utente>X</cod_prat_utente></IdentificativiRichiesta><Esito>1</Esito></Prestazione>`, CodeOutcome, ""},
		{"unknown service", `<Prestazione cod_servizio="ZZ9" cod_flusso="0100"><IdentificativiRichiesta><cod_prat_utente>X</cod_prat_utente></IdentificativiRichiesta><Ammissibilita><verifica_amm>1</verifica_amm></Ammissibilita></Prestazione>`, CodeService, PhaseAdmissibility},
		{"missing case number", `<Prestazione cod_servizio="M01" cod_flusso="0100"><Ammissibilita><verifica_amm>1</verifica_amm></Ammissibilita></Prestazione>`, CodeMissing, PhaseAdmissibility},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			outs, as, err := ReadOutcomes(strings.NewReader(tt.doc), "o.xml", nil)
			require.NoError(t, err)
			require.Len(t, outs, 1)
			require.Len(t, as, 1, "%v", as)
			assert.Equal(t, tt.code, as[0].Code)
			assert.Equal(t, tt.phase, outs[0].Phase)
		})
	}
}

func TestReadOutcomesNoPrestazione(t *testing.T) {
	for _, doc := range []string{"", "<Fattura><Numero>1</Numero></Fattura>"} {
		outs, _, err := ReadOutcomes(strings.NewReader(doc), "x.xml", nil)
		require.ErrorIs(t, err, ErrSyntax, "%q", doc)
		assert.Contains(t, err.Error(), "no Prestazione element")
		assert.Empty(t, outs)
	}
}

func TestReadOutcomesSyntaxError(t *testing.T) {
	doc := `<Esiti><Prestazione cod_servizio="M01" cod_flusso="0100"><Ammissibilita/></Prestazione><Prestazione>`
	outs, _, err := ReadOutcomes(strings.NewReader(doc), "o.xml", nil)
	require.ErrorIs(t, err, ErrSyntax)
	assert.Len(t, outs, 1, "outcomes before the error are kept")
	assert.Contains(t, err.Error(), "o.xml:1")

	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	a := pe.Anomaly()
	assert.Equal(t, CodeOutcome, a.Code)
	assert.True(t, a.Blocking())
	assert.Equal(t, "o.xml", a.File)
	assert.Equal(t, 1, a.Line)
}

// sampleOutcomes returns an admissibility and a final outcome for each
// standard service, and the A01 meter data, with every value set.
func sampleOutcomes() []*Outcome {
	var out []*Outcome
	for _, s := range StandardServices() {
		ids := Identifiers{SellerVAT: "01234567897", DistributorVAT: "12345678903", CaseNumber: "CASE-" + s.Code, DistributorCase: "D-1"}
		out = append(out,
			&Outcome{Service: s.Code, Phase: PhaseAdmissibility, IDs: ids, Result: ResultNegative,
				Reasons: []Reason{{Code: "C01", Description: "dati incompleti"}}, Note: "resend"},
			&Outcome{Service: s.Code, Phase: PhaseOutcome, IDs: ids, Result: ResultPositive,
				Data: OutcomeData{
					POD: "IT001E12345678", ExecutionDate: civil.Date{Year: 2026, Month: 12, Day: 1}, MeterSerial: "M1",
					Active:         BandReadings{dec("1.5"), dec("2"), dec("3")},
					Reactive:       BandReadings{dec("4"), {}, dec("6")},
					Power:          BandReadings{dec("3.3")},
					AvailablePower: dec("3.3"), Voltage: "230", PhaseCount: "M",
					Other: map[string]string{"tipo_misuratore": "2G"},
				}})
	}
	out = append(out, &Outcome{Service: "A01", Phase: PhaseMeterData, IDs: Identifiers{SellerVAT: "01234567897", DistributorVAT: "12345678903", CaseNumber: "CASE-A01"},
		Data: OutcomeData{POD: "IT001E12345678", MeterSerial: "M1", Active: BandReadings{dec("1")}}})
	return out
}

func TestOutcomeRoundTrip(t *testing.T) {
	for _, o := range sampleOutcomes() {
		svc, _ := StandardService(o.Service)
		flow, _ := svc.Flow(o.Phase)
		t.Run(o.Service+"_"+flow, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, EncodeOutcomeXML(&buf, o, nil))
			validateXSD(t, SchemaPath(svc, flow), buf.Bytes())

			outs, as, err := ReadOutcomes(&buf, "o.xml", nil)
			require.NoError(t, err)
			assert.Empty(t, as)
			require.Len(t, outs, 1)
			want := *o
			want.Flow = flow
			want.ResultText = resultTextOf(o)
			assert.Empty(t, cmp.Diff(&want, outs[0], decimalEqual, cmpopts.IgnoreFields(Outcome{}, "File", "Line")))
		})
	}
}

func resultTextOf(o *Outcome) string {
	if o.Phase == PhaseMeterData {
		return ""
	}
	return resultText(o.Result)
}

func TestEncodeOutcomeD01Form(t *testing.T) {
	var buf bytes.Buffer
	o := sampleOutcomes()[3]
	require.Equal(t, "D01", o.Service)
	require.NoError(t, EncodeOutcomeXML(&buf, o, nil))
	doc := buf.String()
	assert.Contains(t, doc, `cod_flusso="E150"`)
	assert.Contains(t, doc, "<data_disattivazione>2026-12-01</data_disattivazione>")
	assert.Contains(t, doc, "<matr_mis_attiva>M1</matr_mis_attiva>")
	assert.Contains(t, doc, "<lett_att_1>1,5</lett_att_1>")
}

func TestEncodeOutcomeErrors(t *testing.T) {
	assert.ErrorIs(t, EncodeOutcomeXML(&bytes.Buffer{}, &Outcome{Service: "ZZ9", Phase: PhaseOutcome}, nil), ErrUnknownService)
	assert.Error(t, EncodeOutcomeXML(&bytes.Buffer{}, &Outcome{Service: "D01", Phase: PhaseMeterData}, nil))
	assert.Error(t, EncodeOutcomeXML(&bytes.Buffer{}, &Outcome{Service: "D01", Phase: PhaseRequest}, nil))
}

// A reading of 60,000 digits used to be read as valid, and parsing it
// took time quadratic in its digits, so a message of thousands of such
// values stalled the reader.
func TestReadOutcomeOverlongReading(t *testing.T) {
	digits := strings.Repeat("1", 60_000)
	doc := `<Prestazione cod_servizio="D01" cod_flusso="E150"><IdentificativiRichiesta>` +
		`<cod_prat_utente>C1</cod_prat_utente></IdentificativiRichiesta><Esito>1</Esito>` +
		`<DatiTecnici><lettura_disattivazione><lett_att><lett_att_1>` + digits +
		`</lett_att_1><lett_att_2>12,5</lett_att_2></lett_att></lettura_disattivazione></DatiTecnici></Prestazione>`
	outs, as, err := ReadOutcomes(strings.NewReader(doc), "o.xml", nil)
	require.NoError(t, err)
	require.Len(t, outs, 1)
	assert.False(t, outs[0].Data.Active[0].Valid, "a 60,000-digit reading is not a number")
	assert.True(t, outs[0].Data.Active[1].Valid)
	require.Len(t, as, 1)
	assert.Equal(t, CodeOutcome, as[0].Code)
	assert.Less(t, len(as[0].Message), 200, "the message does not repeat the whole value")
}
