package reseller

import (
	"bytes"
	"crypto/sha256"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/flows/flowgen"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/internal/testref"
)

const (
	groupSeller   = "01234567897" // flowgen's default PIvaUtente
	groupContract = "DP0427"      // flowgen's default CodContrDisp
)

// generatedPODs returns the distinct PODs of a generated file, in order.
func generatedPODs(t *testing.T, g *flowgen.Generator) []string {
	t.Helper()
	var pods []string
	seen := map[string]bool{}
	for i := 0; i < g.Len(); i++ {
		pod := g.Record(i).POD.Text
		if !seen[pod] {
			seen[pod] = true
			pods = append(pods, pod)
		}
	}
	return pods
}

// groupTable routes six PODs. pods[0] and pods[5] go by contract to alfa,
// pods[1] explicitly to beta and pods[2] by counterparty to gamma. pods[3]
// goes to beta until 15 October 2025 and to gamma after. pods[4] has a
// counterparty outside the group, so it is unassigned.
func groupTable(t testing.TB, pods []string) *Router {
	t.Helper()
	require.Len(t, pods, 6)
	table := &Table{
		Companies: []Company{
			{ID: "alfa", Contracts: []Contract{{groupSeller, groupContract}}, CounterpartyVATs: []string{"11111111119"}},
			{ID: "beta", PODs: []PODAssignment{{POD: pods[1]}, {POD: pods[3], Validity: Validity{To: day("2025-10-15")}}}},
			{ID: "gamma", CounterpartyVATs: []string{"22222222224"}, PODs: []PODAssignment{{POD: pods[3], Validity: Validity{From: day("2025-10-16")}}}},
		},
		Counterparties: []Counterparty{
			{POD: pods[2], VAT: "22222222224"},
			{POD: pods[4], VAT: "99999999999"},
		},
	}
	router, err := table.Compile()
	require.NoError(t, err)
	return router
}

func generate(t *testing.T, opts flowgen.Options) (string, []byte, *flowgen.Generator) {
	t.Helper()
	g, err := flowgen.New(opts)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, g.Write(&buf))
	return g.FileName().String(), buf.Bytes(), g
}

// schemaOf returns the official XSD of a flow file, or "" when the flow has
// none (legacy, switching and meter replacement files).
func schemaOf(t *testing.T, name string) string {
	fn, err := flows.ParseFileName(name)
	require.NoError(t, err)
	if fn.Legacy() {
		return ""
	}
	switch fn.Flow.Family {
	case flows.Periodic:
		return "FlussiDatiMisuraPrelievoEE-Flusso1-Periodico.xsd"
	case flows.Correction:
		return "FlussiDatiMisuraPrelievoEE-Flusso2-Rettifica.xsd"
	}
	return ""
}

func TestSplitFlowEveryKind(t *testing.T) {
	lint := xmllint(t)
	xsdDir := testref.Flows(t, "sii-standard-tracciati-misure-v1.8", "xsd")
	for _, opts := range flowgen.Catalog(7, 6) {
		name, input, g := generate(t, opts)
		t.Run(strings.TrimSuffix(name, ".xml"), func(t *testing.T) {
			pods := generatedPODs(t, g)
			router := groupTable(t, pods)
			sink := newMemSink()
			rep, err := SplitFlow(name, bytes.NewReader(input), router, sink, FlowOptions{})
			require.NoError(t, err)
			require.NoError(t, rep.Check())
			assert.Equal(t, g.Len(), rep.Input.Records)
			assert.Equal(t, 6, rep.Input.PODs)

			checkPartsMatchReport(t, rep, sink)
			checkPODsRouted(t, rep, sink, pods)
			checkUnassignedReported(t, rep, pods[4])
			checkPartsValid(t, name, input, sink, lint, xsdDir)
		})
	}
}

// checkPartsMatchReport decodes every committed part and compares its
// header, name and totals with the report.
func checkPartsMatchReport(t *testing.T, rep *Report, sink *memSink) {
	t.Helper()
	require.Len(t, sink.committed, len(rep.Parts))
	for _, p := range rep.Parts {
		data, ok := sink.committed[p.Company]
		require.True(t, ok, "part of %s not committed", p.Company)
		assert.Equal(t, rep.File, sink.names[p.Company])
		assert.Equal(t, int64(len(data)), p.Size, p.Company)
		assert.Equal(t, sha256.Sum256(data), p.SHA256, p.Company)
		got := totalsOf(t, data)
		assert.Equal(t, p.Totals.Records, got.Records, p.Company)
		assert.Equal(t, p.Totals.PODs, got.PODs, p.Company)
		assert.True(t, p.Totals.EaQuarterHours.Equal(got.EaQuarterHours), "%s: Ea %s, written %s", p.Company, p.Totals.EaQuarterHours, got.EaQuarterHours)
		assert.True(t, p.Totals.equalSums(got), p.Company)
	}
}

// checkPODsRouted checks that each POD's records are in the expected parts.
func checkPODsRouted(t *testing.T, rep *Report, sink *memSink, pods []string) {
	t.Helper()
	where := map[string]map[string]bool{}
	for company, data := range sink.committed {
		_, recs := decodeAll(t, data)
		for _, r := range recs {
			if where[r.POD.Text] == nil {
				where[r.POD.Text] = map[string]bool{}
			}
			where[r.POD.Text][company] = true
		}
	}
	assert.Equal(t, map[string]bool{"alfa": true}, where[pods[0]])
	assert.Equal(t, map[string]bool{"beta": true}, where[pods[1]])
	assert.Equal(t, map[string]bool{"gamma": true}, where[pods[2]])
	assert.Equal(t, map[string]bool{Unassigned: true}, where[pods[4]])
	assert.Equal(t, map[string]bool{"alfa": true}, where[pods[5]])
	// pods[3] moves on 16 October: it is in beta, gamma or both depending
	// on the days of the file.
	assert.NotEmpty(t, where[pods[3]])
	assert.Subset(t, []string{"beta", "gamma"}, keys(where[pods[3]]))
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func checkUnassignedReported(t *testing.T, rep *Report, pod string) {
	t.Helper()
	part, ok := rep.Part(Unassigned)
	require.True(t, ok)
	assert.Len(t, rep.Unassigned, part.Totals.Records)
	for _, u := range rep.Unassigned {
		assert.Equal(t, pod, u.POD)
		assert.Contains(t, u.Reason, "99999999999")
		assert.Positive(t, u.Line)
	}
}

// checkPartsValid validates each part with the flows validator, which may
// find no blocking rule the input does not break already, and with xmllint
// against the official schema when the input conforms to it.
func checkPartsValid(t *testing.T, name string, input []byte, sink *memSink, lint, xsdDir string) {
	t.Helper()
	inputRules := blockingRules(t, name, input)
	xsd := schemaOf(t, name)
	inputConforms := xsd != "" && schemaErrors(t, lint, filepath.Join(xsdDir, xsd), name, input) == ""
	if xsd != "" {
		assert.True(t, inputConforms, "generated input must conform to %s", xsd)
	}
	for company, data := range sink.committed {
		for rule := range blockingRules(t, name, data) {
			assert.True(t, inputRules[rule], "part of %s breaks rule %s, the input does not", company, rule)
		}
		if inputConforms {
			assert.Empty(t, schemaErrors(t, lint, filepath.Join(xsdDir, xsd), name, data), "part of %s", company)
		}
	}
}

// TestSplitFlowMidMonthMove follows a POD that moves from beta to gamma on
// 16 October 2025 through an hourly PDO: its curve days are divided.
func TestSplitFlowMidMonthMove(t *testing.T) {
	name, input, g := generate(t, flowgen.Options{FlowCode: "PDO", PODs: 6, Seed: 3})
	pods := generatedPODs(t, g)
	sink := newMemSink()
	rep, err := SplitFlow(name, bytes.NewReader(input), groupTable(t, pods), sink, FlowOptions{})
	require.NoError(t, err)

	assert.Equal(t, 1, rep.SplitRecords)
	assert.Equal(t, 1, rep.ExtraPieces)
	assert.Equal(t, 1, rep.SharedPODs)

	days := func(company string) (ea, er []string) {
		_, recs := decodeAll(t, sink.committed[company])
		for _, r := range recs {
			if r.POD.Text != pods[3] {
				continue
			}
			for _, c := range r.Measure.Curves {
				switch c.Kind {
				case flows.ActiveEnergy:
					ea = append(ea, c.Day.Text)
				case flows.ReactiveEnergy:
					er = append(er, c.Day.Text)
				}
			}
			assert.Equal(t, "10/2025", r.MonthYear.Text)
			assert.True(t, r.Measure.PotMax.Set, "every piece keeps PotMax")
		}
		return ea, er
	}
	betaEa, betaEr := days("beta")
	gammaEa, gammaEr := days("gamma")
	require.NotEmpty(t, betaEa)
	require.NotEmpty(t, gammaEa)
	assert.Equal(t, "01", betaEa[0])
	assert.Equal(t, "15", betaEa[len(betaEa)-1])
	assert.Equal(t, "16", gammaEa[0])
	assert.Equal(t, "31", gammaEa[len(gammaEa)-1])
	assert.Equal(t, betaEa, betaEr)
	assert.Equal(t, gammaEa, gammaEr)
	// 26 October has two Ea elements (Dst 2 and 3): both go to gamma.
	assert.Len(t, gammaEa, 17)
	assert.Len(t, betaEa, 15)

	// The Ea of the POD in the two parts adds up to the input's.
	var whole, parts Totals = newTotals(), newTotals()
	_, recs := decodeAll(t, input)
	for _, r := range recs {
		if r.POD.Text == pods[3] {
			whole.add(r)
		}
	}
	for _, company := range []string{"beta", "gamma"} {
		_, recs := decodeAll(t, sink.committed[company])
		for _, r := range recs {
			if r.POD.Text == pods[3] {
				parts.add(r)
			}
		}
	}
	assert.True(t, whole.EaQuarterHours.Equal(parts.EaQuarterHours), "input %s, parts %s", whole.EaQuarterHours, parts.EaQuarterHours)
	assert.Equal(t, 2, parts.Records)
}

// TestSplitFlowMidMonthRegisters checks that a record with band registers
// whose days span the move goes whole to the company of its day and is
// noted.
func TestSplitFlowMidMonthRegisters(t *testing.T) {
	name, input, g := generate(t, flowgen.Options{FlowCode: "RFO2G", PODs: 6, Seed: 3})
	pods := generatedPODs(t, g)
	// Give the record of pods[3] an extra curve day before the move.
	h, recs := decodeAll(t, input)
	var buf bytes.Buffer
	w := flows.NewWriter(&buf)
	require.NoError(t, w.WriteHeader(h))
	for _, r := range recs {
		if r.POD.Text == pods[3] {
			early := r.Measure.Curves[0]
			early.Day = flows.V("10")
			r.Measure.Curves = append([]flows.Curve{early}, r.Measure.Curves...)
		}
		require.NoError(t, w.Write(r))
	}
	require.NoError(t, w.Close())

	sink := newMemSink()
	rep, err := SplitFlow(name, bytes.NewReader(buf.Bytes()), groupTable(t, pods), sink, FlowOptions{})
	require.NoError(t, err)
	assert.Zero(t, rep.SplitRecords)
	require.Len(t, rep.Notes, 1)
	assert.Equal(t, pods[3], rep.Notes[0].POD)
	assert.Contains(t, rep.Notes[0].Message, "went whole to gamma")
	_, gammaRecs := decodeAll(t, sink.committed["gamma"])
	var moved []*flows.Record
	for _, r := range gammaRecs {
		if r.POD.Text == pods[3] {
			moved = append(moved, r)
		}
	}
	require.Len(t, moved, 1)
	assert.Equal(t, "10", moved[0].Measure.Curves[0].Day.Text)
}

func TestSplitFlowMonthLevelRule(t *testing.T) {
	// A PNO reading dated 31 October and an SNM reading with DataPrest 26
	// October both fall after the move, so pods[3] goes to gamma only.
	for _, code := range []string{"PNO", "SNM", "RNO"} {
		t.Run(code, func(t *testing.T) {
			name, input, g := generate(t, flowgen.Options{FlowCode: code, PODs: 6, Seed: 3})
			pods := generatedPODs(t, g)
			sink := newMemSink()
			_, err := SplitFlow(name, bytes.NewReader(input), groupTable(t, pods), sink, FlowOptions{})
			require.NoError(t, err)
			_, recs := decodeAll(t, sink.committed["gamma"])
			var got []string
			for _, r := range recs {
				got = append(got, r.POD.Text)
			}
			assert.Contains(t, got, pods[3])
		})
	}
}

func TestRecordDayRules(t *testing.T) {
	oct := civil.Month{Year: 2025, Month: 10}
	periodic, _ := flows.LookupFlow("PNO")
	historical, _ := flows.LookupFlow("SNS")
	functional, _ := flows.LookupFlow("SNF")
	smis, _ := flows.LookupFlow("SMIS")
	cases := []struct {
		name string
		info flows.FlowInfo
		rec  flows.Record
		want civil.Date
	}{
		{"DataPrest before DataMisura", periodic, flows.Record{ServiceDate: flows.V("26/10/2025"), MeasureDate: flows.V("25/10/2025")}, day("2025-10-26")},
		{"DataMisura", periodic, flows.Record{MeasureDate: flows.V("31/10/2025")}, day("2025-10-31")},
		{"MeseAnno last day", periodic, flows.Record{MonthYear: flows.V("02/2024")}, day("2024-02-29")},
		{"file month last day", periodic, flows.Record{}, day("2025-10-31")},
		{"malformed DataMisura falls back", periodic, flows.Record{MeasureDate: flows.V("31/13/2025"), MonthYear: flows.V("09/2025")}, day("2025-09-30")},
		{"historical switching month", historical, flows.Record{MonthYear: flows.V("09/2024")}, day("2025-10-01")},
		{"functional DataInizio", functional, flows.Record{StartDate: flows.V("01/10/2025")}, day("2025-10-01")},
		{"meter replacement", smis, flows.Record{Installation: &flows.MeterChange{MeasureDate: flows.V("12/10/2025")}}, day("2025-10-12")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, recordDay(tc.info, oct, &tc.rec))
		})
	}
	assert.True(t, recordDay(periodic, civil.Month{}, &flows.Record{}).IsZero())
}

func TestSplitFlowUnknownContractUnassigned(t *testing.T) {
	name, input, g := generate(t, flowgen.Options{FlowCode: "PNO2G", PODs: 6, Seed: 3, DispatchingContract: "DP0999"})
	pods := generatedPODs(t, g)
	sink := newMemSink()
	rep, err := SplitFlow(name, bytes.NewReader(input), groupTable(t, pods), sink, FlowOptions{})
	require.NoError(t, err)
	part, ok := rep.Part(Unassigned)
	require.True(t, ok)
	// pods[0], pods[4] and pods[5] have no POD or group counterparty rule.
	assert.Equal(t, 3, part.Totals.PODs)
	assert.Len(t, rep.Unassigned, 3)
	_, hasAlfa := rep.Part("alfa")
	assert.False(t, hasAlfa, "a company with no records gets no part")
	assert.NotContains(t, sink.parts, "alfa")
}

func TestSplitFlowTruncatedAbortsParts(t *testing.T) {
	name, input, g := generate(t, flowgen.Options{FlowCode: "PDO", PODs: 6, Seed: 3})
	cut := input[:len(input)*2/3]
	sink := newMemSink()
	_, err := SplitFlow(name, bytes.NewReader(cut), groupTable(t, generatedPODs(t, g)), sink, FlowOptions{})
	require.Error(t, err)
	assert.ErrorIs(t, err, flows.ErrUnexpectedEOF)
	assert.Empty(t, sink.committed, "no part of a failed split is committed")
	for company, p := range sink.parts {
		assert.True(t, p.done, "part of %s left open", company)
	}
}

func TestSplitFlowSinkFailureAbortsParts(t *testing.T) {
	name, input, g := generate(t, flowgen.Options{FlowCode: "PNO", PODs: 6, Seed: 3})
	sink := failingSink{memSink: newMemSink(), company: "gamma"}
	_, err := SplitFlow(name, bytes.NewReader(input), groupTable(t, generatedPODs(t, g)), sink, FlowOptions{})
	require.ErrorContains(t, err, "disk full")
	assert.Empty(t, sink.committed)
}

func TestSplitFlowNotAFlow(t *testing.T) {
	router := groupTable(t, []string{"IT001E00000000", "IT001E00000001", "IT001E00000002", "IT001E00000003", "IT001E00000004", "IT001E00000005"})
	_, err := SplitFlow("x.xml", strings.NewReader("<NewDataSet/>"), router, newMemSink(), FlowOptions{})
	assert.ErrorIs(t, err, flows.ErrNotFlow)
}

func TestPartName(t *testing.T) {
	assert.Equal(t, "a.xml", partName("in/batch.zip!inner/a.xml"))
	assert.Equal(t, "a.xml", partName(`C:\in\a.xml`))
	assert.Equal(t, "a.xml", partName("a.xml"))
	assert.Equal(t, "a!b.xml", partName("in/a!b.xml"), "a \"!\" is part of the name")
}

func TestCheckDetectsImbalance(t *testing.T) {
	rep := &Report{File: "f.xml", Kind: KindFlow, Input: newTotals()}
	rep.Input.Records = 2
	part := newTotals()
	part.Records = 1
	rep.Parts = []PartReport{{Company: "alfa", Totals: part}}
	assert.ErrorIs(t, rep.Check(), ErrBalance)
}
