package flows

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/testref"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

const officialSet = "sii-standard-tracciati-misure-v1.8"

// sampleFiles returns the official and legacy sample files.
func sampleFiles(t testing.TB) []string {
	t.Helper()
	var files []string
	for _, pattern := range []string{
		filepath.Join(testref.Flows(t, officialSet, "esempi"), "*.xml"),
		filepath.Join(testref.Flows(t, officialSet, "esempi"), "energia-reattiva-immessa", "*.xml"),
		filepath.Join(testref.Flows(t, "legacy-au-fm-samples"), "*.xml"),
	} {
		m, err := filepath.Glob(pattern)
		require.NoError(t, err)
		files = append(files, m...)
	}
	require.Len(t, files, 23, "official and legacy samples")
	return files
}

// decodeAll decodes every record of data.
func decodeAll(data []byte) (*Header, []*Record, error) {
	d := NewDecoder(bytes.NewReader(data))
	h, err := d.Header()
	if err != nil {
		return nil, nil, err
	}
	var recs []*Record
	for {
		r, err := d.Next()
		if err == io.EOF {
			return h, recs, nil
		}
		if err != nil {
			return h, recs, err
		}
		recs = append(recs, r)
	}
}

// encodeAll writes a header and records back to XML.
func encodeAll(h *Header, recs []*Record) ([]byte, error) {
	var out bytes.Buffer
	w := NewWriter(&out)
	if err := w.WriteHeader(h); err != nil {
		return nil, err
	}
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// ignorePositions compares decoded data without the positions, which
// change when a writer reorders or reindents.
var ignorePositions = cmp.Options{
	cmp.AllowUnexported(Curve{}),
	cmpopts.IgnoreFields(Value{}, "Line", "Index"),
	cmpopts.IgnoreFields(Record{}, "Line", "Column"),
	cmpopts.IgnoreFields(Pdp{}, "Line", "Index"),
	cmpopts.IgnoreFields(Measure{}, "Line", "Index"),
	cmpopts.IgnoreFields(Curve{}, "Line", "Index"),
	cmpopts.IgnoreFields(Element{}, "Line", "Index"),
	cmpopts.IgnoreFields(StDConsumption{}, "Line", "Index"),
	cmpopts.IgnoreFields(MeterChange{}, "Line", "Index"),
	cmpopts.EquateEmpty(),
}

// canonicalCurves orders curves by kind, keeping document order within a
// kind, as the writer emits them.
func canonicalCurves(recs []*Record) {
	for _, r := range recs {
		for _, m := range []*Measure{r.Measure, r.Consumption} {
			if m != nil {
				sort.SliceStable(m.Curves, func(i, j int) bool { return m.Curves[i].Kind < m.Curves[j].Kind })
			}
		}
	}
}

// roundTrip checks that data decodes, encodes and decodes again to equal
// records, and returns the encoded bytes.
func roundTrip(t testing.TB, data []byte) []byte {
	t.Helper()
	h, recs, err := decodeAll(data)
	require.NoError(t, err)
	out, err := encodeAll(h, recs)
	require.NoError(t, err)
	h2, recs2, err := decodeAll(out)
	require.NoError(t, err, "re-decoding the written file:\n%s", out)
	canonicalCurves(recs)
	if diff := cmp.Diff(h, h2, ignorePositions); diff != "" {
		t.Errorf("header changed in the round trip (-read +rewritten):\n%s", diff)
	}
	if diff := cmp.Diff(recs, recs2, ignorePositions); diff != "" {
		t.Errorf("records changed in the round trip (-read +rewritten):\n%s", diff)
	}
	return out
}

func TestSamplesRoundTrip(t *testing.T) {
	xsdDir := testref.Flows(t, officialSet, "xsd")
	for _, file := range sampleFiles(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			out := roundTrip(t, data)
			h, _, err := decodeAll(data)
			require.NoError(t, err)
			info, _ := LookupFlow(h.FlowCode.Text)
			switch info.Family {
			case Periodic:
				xmllintValidates(t, out, filepath.Join(xsdDir, "FlussiDatiMisuraPrelievoEE-Flusso1-Periodico.xsd"))
			case Correction:
				xmllintValidates(t, out, filepath.Join(xsdDir, "FlussiDatiMisuraPrelievoEE-Flusso2-Rettifica.xsd"))
			}
		})
	}
}

func TestHandMadeFilesValidateAfterWriting(t *testing.T) {
	xsdDir := testref.Flows(t, officialSet, "xsd")
	for _, tc := range []struct{ file, xsd string }{
		{"bom.xml", "FlussiDatiMisuraPrelievoEE-Flusso1-Periodico.xsd"},
		{"crlf.xml", "FlussiDatiMisuraPrelievoEE-Flusso1-Periodico.xsd"},
		{"dst-autumn-pair.xml", "FlussiDatiMisuraPrelievoEE-Flusso1-Periodico.xsd"},
		{"xsi-type-spacing.xml", "FlussiDatiMisuraPrelievoEE-Flusso2-Rettifica.xsd"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "decoder", tc.file))
			require.NoError(t, err)
			out := roundTrip(t, data)
			xmllintValidates(t, out, filepath.Join(xsdDir, tc.xsd))
		})
	}
}

// xmllintValidates checks data against an XSD with xmllint. Without
// xmllint the check is skipped, or fails when CI is "true".
func xmllintValidates(t *testing.T, data []byte, xsd string) {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("xmllint not found (CI=true): install Debian's libxml2-utils")
		}
		t.Skip("xmllint not found: install Debian's libxml2-utils to validate written files")
	}
	path := filepath.Join(t.TempDir(), "written.xml")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	out, err := exec.Command(bin, "--noout", "--schema", xsd, path).CombinedOutput()
	assert.NoError(t, err, "xmllint rejects the written file:\n%s", out)
}

func TestSamplesGolden(t *testing.T) {
	for _, file := range sampleFiles(t) {
		name := filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			h, recs, err := decodeAll(data)
			require.NoError(t, err)
			checkGolden(t, filepath.Join("testdata", "golden", strings.TrimSuffix(name, ".xml")+".json"), goldenView(h, recs))
		})
	}
}

// checkGolden compares got, as indented JSON, with the golden file, or
// rewrites the file under -update.
func checkGolden(t *testing.T, path string, got any) {
	t.Helper()
	raw, err := json.Marshal(got)
	require.NoError(t, err)
	var tree any
	require.NoError(t, json.Unmarshal(raw, &tree))
	b, err := json.MarshalIndent(prune(tree), "", "  ")
	require.NoError(t, err)
	b = append(b, '\n')
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, b, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "golden file missing: run go test ./flows -run Golden -update")
	if diff := cmp.Diff(string(want), string(b)); diff != "" {
		t.Errorf("%s differs (-golden +decoded):\n%s", path, diff)
	}
}

// prune drops absent values (objects with "Set": false), nulls and
// zero positions from decoded JSON, so golden files show what was read.
func prune(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if m, ok := e.(map[string]any); ok && m["Set"] == false {
				delete(x, k)
				continue
			}
			if e == nil || e == 0.0 && (k == "Index" || k == "Line") {
				delete(x, k)
				continue
			}
			x[k] = prune(e)
		}
	case []any:
		for i := range x {
			x[i] = prune(x[i])
		}
	}
	return v
}

// curveView shows a curve's attributes, which are unexported in Curve.
type curveView struct {
	Kind string
	Day  Value
	Dst  Value
	// E lists the present E attributes as "n=value" separated by spaces.
	E      string            `json:",omitempty"`
	S      map[string]string `json:",omitempty"`
	Extra  []Attr            `json:",omitempty"`
	Line   int32
	Index  uint16
	Values int
}

type measureView struct {
	*Measure
	Curves []curveView
}

type recordView struct {
	*Record
	Measure     *measureView `json:",omitempty"`
	Consumption *measureView `json:",omitempty"`
}

func viewCurve(c *Curve) curveView {
	v := curveView{Kind: c.Kind.String(), Day: c.Day, Dst: c.Dst, Line: c.Line, Index: c.Index, Values: c.Count(), Extra: c.ExtraAttrs()}
	for n := 1; n <= MaxSlots; n++ {
		if s, ok := c.E(n); ok {
			v.E += fmt.Sprintf(" %d=%s", n, s)
		}
	}
	for n := 1; n <= 4; n++ {
		if s, ok := c.S(n); ok {
			if v.S == nil {
				v.S = map[string]string{}
			}
			v.S[fmt.Sprintf("S%d", n)] = s
		}
	}
	v.E = strings.TrimPrefix(v.E, " ")
	return v
}

func viewMeasure(m *Measure) *measureView {
	if m == nil {
		return nil
	}
	v := &measureView{Measure: m}
	for i := range m.Curves {
		v.Curves = append(v.Curves, viewCurve(&m.Curves[i]))
	}
	return v
}

func goldenView(h *Header, recs []*Record) any {
	views := make([]recordView, len(recs))
	for i, r := range recs {
		views[i] = recordView{Record: r, Measure: viewMeasure(r.Measure), Consumption: viewMeasure(r.Consumption)}
	}
	return struct {
		Header  *Header
		Records []recordView
	}{h, views}
}

func TestWriterCanonicalOrder(t *testing.T) {
	in := `<?xml version="1.0"?>
<FlussoMisure xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" CodFlusso="PNO">
<IdentificativiFlusso><CodContrDisp>DP0001</CodContrDisp><PIvaDistributore>01234567890</PIvaDistributore><PIvaUtente>12345678901</PIvaUtente></IdentificativiFlusso>
<DatiPod><DatiPdp><Tensione>400</Tensione><Trattamento>F</Trattamento><Forfait>NO</Forfait><GruppoMis>SI</GruppoMis></DatiPdp><DataMisura>31/01/2013</DataMisura><Pod>IT001E00000001</Pod>
<Misura xsi:type="DettaglioMisuraNOv2Type"><EaF1>1,000</EaF1><Validato>S</Validato><TipoDato>E</TipoDato><Raccolta>P</Raccolta></Misura></DatiPod>
</FlussoMisure>`
	h, recs, err := decodeAll([]byte(in))
	require.NoError(t, err)
	out, err := encodeAll(h, recs)
	require.NoError(t, err)
	text := string(out)
	order := []string{"<PIvaUtente>", "<PIvaDistributore>", "<CodContrDisp>", "<Pod>", "<DataMisura>", "<DatiPdp>",
		"<Trattamento>", "<Tensione>", "<Forfait>", "<GruppoMis>", `<Misura xsi:type="DettaglioMisuraNOv2Type">`,
		"<Raccolta>", "<TipoDato>", "<Validato>", "<EaF1>"}
	last := -1
	for _, tag := range order {
		i := strings.Index(text, tag)
		assert.Greater(t, i, last, "%s out of canonical order in:\n%s", tag, text)
		last = i
	}
	assert.True(t, strings.HasPrefix(text, `<?xml version="1.0" encoding="utf-8"?>`+"\n"))
}

func TestWriterState(t *testing.T) {
	w := NewWriter(io.Discard)
	assert.ErrorIs(t, w.Write(&Record{}), ErrWriterState)
	require.NoError(t, w.WriteHeader(&Header{FlowCode: V("PDO")}))
	assert.ErrorIs(t, w.WriteHeader(&Header{}), ErrWriterState)
	require.NoError(t, w.Close())
	assert.ErrorIs(t, w.Close(), ErrWriterState)
}

func TestWriterEscapes(t *testing.T) {
	var c Curve
	c.Kind = ActiveEnergy
	c.Day = V("01")
	c.SetE(1, `a"b<&>`)
	c.AddExtraAttr("note", "x\ty\nz")
	rec := &Record{
		POD:     V("IT<&>\"'"),
		Pdp:     Pdp{Set: true, Treatment: V("O")},
		Measure: &Measure{XSIType: "DettaglioMisuraPDOv2Type", Curves: []Curve{c}},
	}
	out, err := encodeAll(&Header{FlowCode: V("PDO")}, []*Record{rec})
	require.NoError(t, err)
	_, recs, err := decodeAll(out)
	require.NoError(t, err, "%s", out)
	require.Len(t, recs, 1)
	assert.Equal(t, "IT<&>\"'", recs[0].POD.Text)
	e1, ok := recs[0].Measure.Curves[0].E(1)
	assert.True(t, ok)
	assert.Equal(t, `a"b<&>`, e1)
	assert.Equal(t, []Attr{{"note", "x\ty\nz"}}, recs[0].Measure.Curves[0].ExtraAttrs())
}

func TestWriterReportsWriteError(t *testing.T) {
	w := NewWriter(failingWriter{})
	require.NoError(t, w.WriteHeader(&Header{FlowCode: V("PDO")}))
	err := w.Close()
	assert.ErrorIs(t, err, errDiskFull)
}

var errDiskFull = errors.New("disk full")

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }

func TestSwitchingAndReplacementRoundTrip(t *testing.T) {
	sof := &Record{
		POD:          V("IT001E00000001"),
		PracticeCode: V("SII201311111111"),
		StartDate:    V("01/02/2025"),
		Pdp: Pdp{Set: true, DispatchPoint: V("NORD"), MeterType: V("G"), Regime2GDate: V("01/01/2020"),
			Treatment: V("O"), Voltage: V("400"), CommittedPower: V("3,000"), Ka: V("1,000"),
			TariffCode: V("BTA1"), Resident: V("SI"), Disconnectable: V("NO"), ProtectionService: V("MT"),
			MeterConfig: V("SI"), CompensationRegime: V("NO")},
	}
	smis := &Record{
		POD:          V("IT001E00000002"),
		Reason:       V("1"),
		Removal:      &MeterChange{MeterType: V("O"), MeasureDate: V("10/02/2025"), DataType: V("E")},
		Installation: &MeterChange{MeterType: V("G"), MeasureDate: V("10/02/2025"), Ka: V("1,000"), ActiveMeter: V("ABC123")},
	}
	smis.Removal.Registers.Ea[0] = V("100,000")
	smis.Installation.Registers.EaM = V("0,000")
	hist := &Record{
		POD:            V("IT001E00000003"),
		MonthYear:      V("01/2025"),
		Pdp:            Pdp{Set: true, Regime2G: V("SI"), Treatment: V("O"), MeterType: V("G")},
		Consumption:    &Measure{Element: "Consumo", DataType: V("E")},
		ConsumptionStD: &StDConsumption{Ea: [3]Value{V("1,000"), V(""), V("0,000")}},
	}
	hist.Consumption.Registers.Ea[0] = V("")
	for _, tc := range []struct {
		code string
		rec  *Record
	}{{"F2G", sof}, {"SMIS", smis}, {"S2G", hist}} {
		t.Run(tc.code, func(t *testing.T) {
			out, err := encodeAll(&Header{FlowCode: V(tc.code)}, []*Record{tc.rec})
			require.NoError(t, err)
			_, recs, err := decodeAll(out)
			require.NoError(t, err, "%s", out)
			require.Len(t, recs, 1)
			if diff := cmp.Diff(tc.rec, recs[0], ignorePositions); diff != "" {
				t.Errorf("record changed (-built +decoded):\n%s\n%s", diff, out)
			}
		})
	}
}
