package edi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/edi/edigen"
	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// generatedPair returns the FatturaPA body of spec and the detail read
// from its attachment.
func generatedPair(t *testing.T, spec edigen.Spec) (*Body, *TransportInvoice) {
	t.Helper()
	data, err := spec.FatturaPA()
	require.NoError(t, err)
	inv, err := ReadInvoice(bytes.NewReader(data))
	require.NoError(t, err)
	require.Len(t, inv.Bodies, 1)
	details, anomalies := DetailsFromInvoice(&inv.Bodies[0], nil, "invoice.xml")
	require.Empty(t, anomalies)
	require.Len(t, details, 1)
	return &inv.Bodies[0], details[0]
}

func codesOf(list []Anomaly) []string {
	var out []string
	for _, a := range list {
		out = append(out, a.Code)
	}
	return out
}

func TestGeneratedDetailTiesToInvoice(t *testing.T) {
	body, detail := generatedPair(t, edigen.Example())
	assert.Empty(t, CheckInvoice(&Invoice{Version: "FPR12", Bodies: []Body{*body}}, CheckOptions{}))
	assert.Empty(t, CheckTransport(detail, TransportCheckOptions{}))
	assert.Empty(t, TieToInvoice(detail, body, TransportCheckOptions{}))
}

func TestGeneratedCorrectionTiesToNegativeInvoice(t *testing.T) {
	spec := edigen.Example()
	spec.Sign, spec.TypeCode = -1, "R"
	body, detail := generatedPair(t, spec)
	assert.Equal(t, KindNegativeInvoice, body.Kind())
	assert.Empty(t, CheckTransport(detail, TransportCheckOptions{}))
	assert.Empty(t, TieToInvoice(detail, body, TransportCheckOptions{}))
}

func TestTieReportsAmountMismatch(t *testing.T) {
	body, detail := generatedPair(t, edigen.Example())
	detail.Points[1].Charges[0].Amount = NumberOf("99,99")

	own := CheckTransport(detail, TransportCheckOptions{File: "d.xml"})
	require.Len(t, own, 1, own)
	assert.Equal(t, CodeTotals, own[0].Code)
	assert.Equal(t, "TotaleImponibile", own[0].Field)
	assert.Equal(t, "d.xml", own[0].File)

	tie := TieToInvoice(detail, body, TransportCheckOptions{})
	require.Len(t, tie, 2, tie)
	assert.Equal(t, CodeTie, tie[0].Code)
	assert.Equal(t, "ImponibileImporto", tie[0].Field)
	assert.Equal(t, CodeTie, tie[1].Code)
	assert.Equal(t, "DatiRiepilogo", tie[1].Field)
	assert.True(t, tie[0].Blocking())
}

func TestTieReportsNumberAndRateMismatch(t *testing.T) {
	body, detail := generatedPair(t, edigen.Example())
	body.Document.Number = "ALTRO-1"
	for i := range detail.Points[0].Charges {
		detail.Points[0].Charges[i].VATRate = NumberOf("10,00")
	}
	got := TieToInvoice(detail, body, TransportCheckOptions{})
	fields := map[string]int{}
	for _, a := range got {
		fields[a.Field+" "+a.Value]++
	}
	assert.Equal(t, 1, fields["Numero ALTRO-1"], got)
	assert.Equal(t, 1, fields["DatiRiepilogo 10.00"], got)
	assert.Equal(t, 1, fields["DatiRiepilogo 22.00"], got)
}

func TestTieCreditNoteWithPositiveAmounts(t *testing.T) {
	spec := edigen.Example()
	spec.Sign = -1
	body, detail := generatedPair(t, spec)
	body.Document.Type = "TD04"
	for i := range body.VATSummary {
		s := &body.VATSummary[i]
		s.Taxable.Value, s.Tax.Value = s.Taxable.Value.Neg(), s.Tax.Value.Neg()
	}
	assert.Empty(t, TieToInvoice(detail, body, TransportCheckOptions{}))
}

func TestCheckTransportMissingAndInvalid(t *testing.T) {
	doc := `<Flusso><TestataFlusso/><Fatture><FTipoFattura>Q</FTipoFattura><FTotaleImponibile>10.00</FTotaleImponibile>
<DettaglioPOD><Corrispettivi><DPeriodoCompetenzaDa>2025-01-31</DPeriodoCompetenzaDa><DPeriodoCompetenzaA>2025-01-01</DPeriodoCompetenzaA><DQuantita>abc</DQuantita></Corrispettivi></DettaglioPOD>
</Fatture></Flusso>`
	invs, err := ReadElectricity(strings.NewReader(doc), nil)
	require.NoError(t, err)
	got := map[string][]string{}
	for _, a := range CheckTransport(invs[0], TransportCheckOptions{}) {
		got[a.Field] = append(got[a.Field], a.Code)
	}
	assert.Contains(t, got["FNumeroFattura"], CodeMissing)
	assert.Contains(t, got["FDataEmissione"], CodeMissing)
	assert.Contains(t, got["FTipoFattura"], CodeUnknownCode)
	assert.Contains(t, got["TotaleImponibile"], CodeSeparator)
	assert.Contains(t, got["TotaleImponibile"], CodeTotals)
	assert.Contains(t, got["DCodicePod"], CodeMissing)
	assert.Contains(t, got["DComponente"], CodeMissing)
	assert.Contains(t, got["DImporto"], CodeMissing)
	assert.Contains(t, got["Quantita"], CodeInvalidValue)
	assert.Contains(t, got["PeriodoA"], CodeInvalidValue)
}

func TestCheckGasSampleTotals(t *testing.T) {
	f, err := os.Open(gasSample(t))
	require.NoError(t, err)
	defer f.Close()
	inv, err := ReadGas(f, nil)
	require.NoError(t, err)
	got := CheckTransport(inv, TransportCheckOptions{})
	// The sample is random data: its detail and its categories miss the
	// taxable total by a few cents, and nothing else is wrong.
	require.Len(t, got, 2, got)
	for _, a := range got {
		assert.Equal(t, CodeTotals, a.Code)
		assert.Equal(t, "TotaleImponibile", a.Field)
	}
	assert.Contains(t, got[0].Message, "5049.53")
	assert.Contains(t, got[1].Message, "5049.51")
	assert.Empty(t, CheckTransport(inv, TransportCheckOptions{Tolerance: decimal.RequireFromString("0.05")}))
}

func TestDetailsFromInvoiceSkipsOtherAttachments(t *testing.T) {
	body := &Body{Attachments: []Attachment{
		{Name: "copia.pdf", Data: "JVBERi0xLjQK"},
		{Name: "rotto.zip", Compression: "ZIP", Data: "UEsDBAo="},
		{Name: "non-base64", Data: "***"},
	}}
	details, anomalies := DetailsFromInvoice(body, nil, "f.xml")
	assert.Empty(t, details)
	assert.Len(t, anomalies, 2)
	for _, a := range anomalies {
		assert.Equal(t, CodeAttachment, a.Code)
	}
}

// registry is the seller's registry as supply periods per POD.
type registry map[string][]period

func (r registry) Supplied(_ context.Context, company, point string, from, to civil.Date) (bool, error) {
	if company != "acme" {
		return false, errors.New("unknown company " + company)
	}
	for _, p := range r[point] {
		if !p.from.After(from) && !p.to.Before(to) {
			return true, nil
		}
	}
	return false, nil
}

// meteringStore is an in-memory metering store: the daily active energy
// of every POD, loaded from PDO flows decoded by package flows.
type meteringStore map[string]map[civil.Date]decimal.Decimal

func (m meteringStore) load(t *testing.T, r io.Reader) {
	t.Helper()
	d := flows.NewDecoder(r)
	for {
		rec, err := d.Next()
		if errors.Is(err, io.EOF) {
			return
		}
		require.NoError(t, err)
		month, err := rec.MonthYear.Month()
		require.NoError(t, err)
		intervals, err := rec.Measure.Timeline(flows.ActiveEnergy, month)
		require.NoError(t, err)
		days := m[rec.POD.Text]
		if days == nil {
			days = map[civil.Date]decimal.Decimal{}
			m[rec.POD.Text] = days
		}
		for _, dt := range flows.DayTotals(intervals) {
			days[dt.Day] = dt.Total
		}
	}
}

func (m meteringStore) MeteredEnergy(_ context.Context, _, pod string, from, to civil.Date) (decimal.Decimal, bool, error) {
	days, ok := m[pod]
	if !ok {
		return decimal.Decimal{}, false, nil
	}
	var sum decimal.Decimal
	for d := from; !d.After(to); d = d.AddDays(1) {
		v, ok := days[d]
		if !ok {
			return decimal.Decimal{}, false, nil
		}
		sum = sum.Add(v)
	}
	return sum, true, nil
}

// pdoFile writes a PDO flow with one record per POD for month, spreading
// each POD's energy evenly over the quarter-hours (the last one takes the
// remainder), so the month adds up exactly to the given kWh.
func pdoFile(t *testing.T, month civil.Month, energy map[string]decimal.Decimal, pods ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := flows.NewWriter(&buf)
	require.NoError(t, w.WriteHeader(&flows.Header{FlowCode: flows.V("PDO"), SellerVAT: flows.V("12345678901"),
		DistributorVAT: flows.V("01234567890"), DispatchingContract: flows.V("DP0001")}))
	for _, pod := range pods {
		var slots int
		for d := month.First(); month.Contains(d); d = d.AddDays(1) {
			slots += len(civil.QuarterHours(d))
		}
		each := energy[pod].Div(decimal.NewFromInt(int64(slots))).RoundDown(3)
		last := energy[pod].Sub(each.Mul(decimal.NewFromInt(int64(slots - 1))))
		m := &flows.Measure{Element: "Misura", XSIType: "DettaglioMisuraPDOv2Type",
			Collection: flows.V("P"), DataType: flows.V("E"), Validated: flows.V("S")}
		n := 0
		for d := month.First(); month.Contains(d); d = d.AddDays(1) {
			c := flows.Curve{Kind: flows.ActiveEnergy, Day: flows.V(fmt.Sprintf("%02d", d.Day))}
			for k := 1; k <= len(civil.QuarterHours(d)); k++ {
				n++
				v := each
				if n == slots {
					v = last
				}
				c.SetE(k, strings.Replace(v.StringFixed(3), ".", ",", 1))
			}
			m.Curves = append(m.Curves, c)
		}
		require.NoError(t, w.Write(&flows.Record{POD: flows.V(pod), MonthYear: flows.V(month.Italian()),
			Pdp: flows.Pdp{Set: true, Treatment: flows.V("O"), Voltage: flows.V("400")}, Measure: m}))
	}
	require.NoError(t, w.Close())
	return buf.Bytes()
}

func TestCheckAgainstRegistryAndMetering(t *testing.T) {
	spec := edigen.Example()
	_, detail := generatedPair(t, spec)
	jan := period{civil.Date{Year: 2025, Month: 1, Day: 1}, civil.Date{Year: 2025, Month: 1, Day: 31}}
	reg := registry{
		"IT001E00000001": {{civil.Date{Year: 2024, Month: 1, Day: 1}, civil.Date{Year: 2030, Month: 12, Day: 31}}},
		"IT001E00000002": {{jan.from, civil.Date{Year: 2025, Month: 1, Day: 15}}}, // switched away mid-month
		"IT001E00000003": {jan},
	}
	store := meteringStore{}
	energy := map[string]decimal.Decimal{
		"IT001E00000001": spec.PODs[0].EnergyKWh,                                       // exact
		"IT001E00000002": spec.PODs[1].EnergyKWh.Add(decimal.RequireFromString("0.5")), // within 1 kWh
		"IT001E00000003": decimal.RequireFromString("90000"),                           // 8.9% less than billed
	}
	store.load(t, bytes.NewReader(pdoFile(t, civil.Month{Year: 2025, Month: 1}, energy,
		"IT001E00000001", "IT001E00000002", "IT001E00000003")))
	metered, found, err := store.MeteredEnergy(context.Background(), "acme", "IT001E00000001", jan.from, jan.to)
	require.NoError(t, err)
	assert.True(t, found)
	assertDec(t, "1234.567", metered, "metered January")

	anomalies, err := CheckAgainstData(context.Background(), detail,
		DataCheckOptions{File: "d.xml", Company: "acme", Registry: reg, Metered: store})
	require.NoError(t, err)
	require.Len(t, anomalies, 2, anomalies)
	assert.Equal(t, CodeRegistry, anomalies[0].Code)
	assert.Equal(t, "IT001E00000002", anomalies[0].Key)
	assert.Equal(t, CodeEnergy, anomalies[1].Code)
	assert.Equal(t, "IT001E00000003", anomalies[1].Key)
	assert.Contains(t, anomalies[1].Message, "98765.432")
	assert.Contains(t, anomalies[1].Message, "90000")

	delete(store, "IT001E00000001")
	anomalies, err = CheckAgainstData(context.Background(), detail, DataCheckOptions{Company: "acme", Metered: store})
	require.NoError(t, err)
	require.Len(t, anomalies, 2)
	assert.Contains(t, anomalies[0].Message, "no metering data")

	_, err = CheckAgainstData(context.Background(), detail, DataCheckOptions{Company: "other", Registry: reg})
	assert.Error(t, err)
}

func TestDuplicateFinder(t *testing.T) {
	spec := edigen.Example()
	_, first := generatedPair(t, spec)
	spec.Number = "TR-2025-0009"
	_, again := generatedPair(t, spec)
	spec.Number, spec.TypeCode = "TR-2025-0010", "R"
	_, correction := generatedPair(t, spec)

	d := NewDuplicateFinder()
	assert.Empty(t, d.Add(first, "a.xml"))

	same := d.Add(first, "b.xml")
	require.Len(t, same, 1)
	assert.Equal(t, CodeDuplicate, same[0].Code)
	assert.True(t, same[0].Blocking())
	assert.Contains(t, same[0].Message, "a.xml")

	charges := d.Add(again, "c.xml")
	assert.Len(t, charges, 3*len(edigen.Prices))
	assert.Contains(t, charges[0].Message, "TR-2025-0001")
	assert.False(t, charges[0].Blocking())

	assert.Empty(t, d.Add(correction, "d.xml"))
}

func TestGeneratedFixtureReadsFromDisk(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "transport-invoice.xml"))
	require.NoError(t, err)
	inv, _, err := ReadInvoiceFile(bytes.NewReader(data))
	require.NoError(t, err)
	details, anomalies := DetailsFromInvoice(&inv.Bodies[0], nil, "")
	assert.Empty(t, anomalies)
	require.Len(t, details, 1)
	assert.Len(t, details[0].Points, 3)
}

func TestCheckAgainstDataSkipsEnergyOfCorrections(t *testing.T) {
	spec := edigen.Example()
	spec.Sign, spec.TypeCode = -1, "R"
	_, correction := generatedPair(t, spec)
	anomalies, err := CheckAgainstData(context.Background(), correction,
		DataCheckOptions{Company: "acme", Metered: meteringStore{}})
	require.NoError(t, err)
	assert.Empty(t, anomalies)
}
