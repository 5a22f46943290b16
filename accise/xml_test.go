package accise

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

var decimalEqual = cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })

// validate runs xmllint on an XML file with one of the schemas in testdata.
// Without xmllint the test is skipped, or fails under CI=true.
func validate(t *testing.T, schema string, data []byte) {
	t.Helper()
	if _, err := exec.LookPath("xmllint"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("xmllint not found (CI=true): install libxml2-utils")
		}
		t.Skip("xmllint not found: install libxml2-utils to validate the XML")
	}
	file := filepath.Join(t.TempDir(), "decl.xml")
	require.NoError(t, os.WriteFile(file, data, 0o600))
	out, err := exec.Command("xmllint", "--noout", "--schema", filepath.Join("testdata", schema), file).CombinedOutput()
	require.NoError(t, err, "xmllint: %s", out)
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create %s", path)
	assert.Equal(t, string(want), string(got))
}

func TestElectricityXML(t *testing.T) {
	decls, err := BuildElectricity(computeYear(t), yearOptions())
	require.NoError(t, err)
	for _, d := range decls {
		var buf bytes.Buffer
		require.NoError(t, WriteXML(&buf, d))
		validate(t, "EnergiaElettrica.xsd", buf.Bytes())
		golden(t, "year2025_ee_"+d.Q[0].Ambito+".xml", buf.Bytes())

		back, err := ReadElectricityXML(bytes.NewReader(buf.Bytes()))
		require.NoError(t, err)
		assert.Empty(t, cmp.Diff(d, back, decimalEqual, cmpopts.EquateEmpty()))
	}
}

func TestHalfYearXML(t *testing.T) {
	var lines []Line
	for m := 7; m <= 12; m++ {
		month := monthOf2025(m)
		month.Year = 2026
		lines = append(lines, Line{File: "h.csv", Row: m, Supply: "IT001E00000101", Commodity: Electricity, Use: UseDwelling, Resident: yes(), PowerKW: kw("3"),
			Province: "TO", Municipality: "L219", From: month.First(), To: month.Last(), Quantity: dec("250"), Kind: Invoice})
	}
	c, _ := Compute(lines, ComputeOptions{})
	opts := yearOptions()
	opts.Year, opts.Half, opts.SeatProvince = 2026, 2, "TO"
	decls, err := BuildElectricity(c, opts)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, WriteXML(&buf, decls[0]))
	validate(t, "EnergiaElettrica.xsd", buf.Bytes())
	assert.Contains(t, buf.String(), "<EnergiaElettricaSemestrale xmlns=\""+ElectricityNamespace+"\">")
	assert.Contains(t, buf.String(), "<PeriodoRiferimento>2</PeriodoRiferimento>")
	back, err := ReadElectricityXML(&buf)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(decls[0], back, decimalEqual, cmpopts.EquateEmpty()))
}

func TestGasXML(t *testing.T) {
	decls, err := BuildGas(computeYear(t), yearOptions())
	require.NoError(t, err)
	for _, d := range decls {
		var buf bytes.Buffer
		require.NoError(t, WriteXML(&buf, d))
		validate(t, "GasNaturale.xsd", buf.Bytes())
		golden(t, "year2025_gn_"+d.L[0].Ambito+".xml", buf.Bytes())

		back, err := ReadGasXML(bytes.NewReader(buf.Bytes()))
		require.NoError(t, err)
		assert.Empty(t, cmp.Diff(d, back, decimalEqual, cmpopts.EquateEmpty()))
	}
}

func TestReadXMLWrongRoot(t *testing.T) {
	_, err := ReadElectricityXML(strings.NewReader(`<GasNaturale xmlns="` + GasNamespace + `"/>`))
	assert.ErrorIs(t, err, ErrRoot)
	_, err = ReadGasXML(strings.NewReader(`<GasNaturale/>`))
	assert.ErrorIs(t, err, ErrRoot)
	_, err = ReadGasXML(strings.NewReader("<GasNaturale xmlns=\"" + GasNamespace + "\">\n<Anno>x</Anno></GasNaturale>"))
	assert.ErrorContains(t, err, "line 2")
}

func TestWriteXMLRejectsOtherTypes(t *testing.T) {
	assert.Error(t, WriteXML(&bytes.Buffer{}, struct{}{}))
}

func FuzzReadXML(f *testing.F) {
	f.Add([]byte(`<EnergiaElettrica xmlns="` + ElectricityNamespace + `"><Anno>2025</Anno></EnergiaElettrica>`))
	f.Add([]byte(`<GasNaturale xmlns="` + GasNamespace + `"><I><Liquid><Totale>1.5</Totale></Liquid></I></GasNaturale>`))
	f.Add([]byte(`<GasNaturaleSemestrale xmlns="` + GasNamespace + `"><Periodo><Anno>2026</Anno><PeriodoRiferimento>1</PeriodoRiferimento></Periodo>` +
		`<L><Ambito>IT</Ambito><VersMese><Mese>1</Mese><Imp>10.00</Imp></VersMese></L></GasNaturaleSemestrale>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return
		}
		if d, err := ReadElectricityXML(bytes.NewReader(data)); err == nil {
			require.NoError(t, WriteXML(&bytes.Buffer{}, d))
		}
		if d, err := ReadGasXML(bytes.NewReader(data)); err == nil {
			require.NoError(t, WriteXML(&bytes.Buffer{}, d))
		}
	})
}
