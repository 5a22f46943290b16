package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/accise"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// acciseLinesFile writes a year of billing lines for Torino and Palermo.
func acciseLinesFile(t *testing.T, extra ...accise.Line) string {
	t.Helper()
	var lines []accise.Line
	for m := 1; m <= 12; m++ {
		month := civil.Month{Year: 2025, Month: 1}.AddMonths(m - 1)
		resident := true
		power := decimal.NewFromInt(3)
		lines = append(lines,
			accise.Line{Supply: "IT001E00000001", Commodity: accise.Electricity, Use: accise.UseDwelling, Resident: &resident, PowerKW: &power,
				Province: "TO", Municipality: "L219", From: month.First(), To: month.Last(), Quantity: decimal.NewFromInt(300), Kind: accise.Invoice},
			accise.Line{Supply: "IT001E00000002", Commodity: accise.Electricity, Use: accise.UseNonDwelling,
				Province: "PA", Municipality: "G273", From: month.First(), To: month.Last(), Quantity: decimal.NewFromInt(300000), Kind: accise.Invoice},
		)
	}
	lines = append(lines, accise.Line{Supply: "00880000000001", Commodity: accise.Gas, Use: accise.UseCivil, Province: "TO", Municipality: "L219",
		ClimateZone: "E", From: civil.Date{Year: 2025, Month: 1, Day: 1}, To: civil.Date{Year: 2025, Month: 12, Day: 31},
		Quantity: decimal.NewFromInt(1000), Kind: accise.Invoice})
	lines = append(lines, extra...)
	path := filepath.Join(t.TempDir(), "lines.csv")
	f, err := os.Create(path)
	require.NoError(t, err)
	w := accise.NewLineCSVWriter(f)
	for _, l := range lines {
		require.NoError(t, w.Write(l))
	}
	require.NoError(t, w.Flush())
	require.NoError(t, f.Close())
	return path
}

func acciseRun(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestAcciseHelp(t *testing.T) {
	code, out, _ := acciseRun("accise")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "declare")
	code, _, errOut := acciseRun("accise", "nope")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `unknown subcommand "nope"`)
}

func TestAcciseImport(t *testing.T) {
	in := acciseLinesFile(t)
	code, out, errOut := acciseRun("accise", "import", "-progress", "10", in)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, 26, strings.Count(out, "\n"), "header and 25 lines")
	assert.Contains(t, errOut, "lines.csv: 10 rows read")
	assert.Contains(t, errOut, "25 lines imported, 0 rows rejected")
}

func TestAcciseImportBadRow(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.csv")
	require.NoError(t, os.WriteFile(path, []byte("pod_pdr;categoria_uso;provincia;mese;quantita\nIT001E00000001;abitazione;TO;01/2025;x\n"), 0o600))
	code, _, errOut := acciseRun("accise", "import", path)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "IMP01")
}

func TestAcciseCheck(t *testing.T) {
	clean := acciseLinesFile(t)
	code, out, errOut := acciseRun("accise", "check", "-year", "2025", clean)
	assert.Equal(t, 0, code, errOut)
	assert.Empty(t, out)

	bad := acciseLinesFile(t, accise.Line{Supply: "IT001E00000009", Commodity: accise.Electricity, Use: accise.UseNonDwelling, Province: "XX",
		Municipality: "L219", From: civil.Date{Year: 2025, Month: 3, Day: 1}, To: civil.Date{Year: 2025, Month: 3, Day: 31},
		Quantity: decimal.NewFromInt(10), Kind: accise.Invoice})
	code, out, _ = acciseRun("accise", "check", "-year", "2025", bad)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "ACC02")

	code, _, errOut = acciseRun("accise", "check", clean)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "-year")
}

func TestAcciseDeclare(t *testing.T) {
	in := acciseLinesFile(t)
	dir := t.TempDir()
	code, out, errOut := acciseRun("accise", "declare", "-year", "2025", "-company", "TOE000123", "-seat", "TO",
		"-out", dir, "-dic", "-gas-marker", "GASNAT", in)
	require.Equal(t, 0, code, errOut)
	paths := strings.Fields(out)
	want := []string{"EE_TOE000123_2025_TO.xml", "EE_TOE000123_2025_TO.dic", "EE_TOE000123_2025_PA.xml", "EE_TOE000123_2025_PA.dic",
		"GN_TOE000123_2025_TO.xml", "GN_TOE000123_2025_TO.dic"}
	require.Len(t, paths, len(want))
	for i, p := range paths {
		assert.Equal(t, want[i], filepath.Base(p))
	}

	f, err := os.Open(filepath.Join(dir, "EE_TOE000123_2025_PA.xml"))
	require.NoError(t, err)
	defer f.Close()
	d, err := accise.ReadElectricityXML(f)
	require.NoError(t, err)
	assert.Equal(t, "39000.00", d.Q[0].Rows[0].Amount.StringFixed(2), "12 months of 300,000 kWh")
	assert.Equal(t, "0.00", d.Q[0].Rows[1].Amount.StringFixed(2), "no instalments given")

	if _, err := exec.LookPath("xmllint"); err == nil {
		out, err := exec.Command("xmllint", "--noout", "--schema", "../../accise/testdata/GasNaturale.xsd",
			filepath.Join(dir, "GN_TOE000123_2025_TO.xml")).CombinedOutput()
		assert.NoError(t, err, "%s", out)
	}
}

func TestAcciseDeclareHalfYear(t *testing.T) {
	in := acciseLinesFile(t)
	code, _, errOut := acciseRun("accise", "declare", "-year", "2025", "-half", "1", "-company", "TOE000123", "-seat", "TO", "-out", t.TempDir(), in)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "half-year declarations start with 2026")
}

func TestAcciseDeclareBlocking(t *testing.T) {
	in := acciseLinesFile(t, accise.Line{Supply: "IT001E00000001", Commodity: accise.Electricity, Use: accise.UseNonDwelling, Province: "TO",
		Municipality: "L219", From: civil.Date{Year: 2025, Month: 1, Day: 1}, To: civil.Date{Year: 2025, Month: 1, Day: 31},
		Quantity: decimal.NewFromInt(-10), Kind: accise.Invoice})
	code, _, errOut := acciseRun("accise", "declare", "-year", "2025", "-company", "TOE000123", "-seat", "TO", "-out", t.TempDir(), in)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "blocking anomalies found")
}

func TestAcciseReport(t *testing.T) {
	in := acciseLinesFile(t)
	out := filepath.Join(t.TempDir(), "r.xlsx")
	code, stdout, errOut := acciseRun("accise", "report", "-year", "2025", "-company", "TOE000123", "-seat", "TO", "-o", out, in)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, out+"\n", stdout)
	f, err := excelize.OpenFile(out)
	require.NoError(t, err)
	defer f.Close()
	assert.Contains(t, f.GetSheetList(), accise.SheetSummary)
}

func TestAcciseDeclareInstalments(t *testing.T) {
	in := acciseLinesFile(t)
	dir := t.TempDir()
	code, _, errOut := acciseRun("accise", "declare", "-year", "2025", "-company", "TOE000123", "-seat", "TO", "-out", dir,
		"-instalments", "PA/1411=40000.00", in)
	require.Equal(t, 0, code, errOut)
	f, err := os.Open(filepath.Join(dir, "EE_TOE000123_2025_PA.xml"))
	require.NoError(t, err)
	defer f.Close()
	d, err := accise.ReadElectricityXML(f)
	require.NoError(t, err)
	rows := d.Q[0].Rows
	require.Len(t, rows, 4)
	assert.Equal(t, "40000.00", rows[1].Amount.StringFixed(2))
	assert.Equal(t, "1000.00", rows[3].Amount.StringFixed(2), "credit of 40,000.00 - 39,000.00")

	code, _, errOut = acciseRun("accise", "declare", "-year", "2025", "-company", "TOE000123", "-seat", "TO", "-instalments", "PA=1", in)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "AREA/CHAPTER=EURO")
}

func TestAcciseCheckMunicipalities(t *testing.T) {
	in := acciseLinesFile(t)
	list := filepath.Join(t.TempDir(), "comuni.csv")
	require.NoError(t, os.WriteFile(list, []byte("codice;provincia\nL219;TO\nG273;PA\n"), 0o600))
	code, out, errOut := acciseRun("accise", "check", "-year", "2025", "-municipalities", list, in)
	assert.Equal(t, 0, code, errOut)
	assert.Empty(t, out)

	require.NoError(t, os.WriteFile(list, []byte("L219;TO\n"), 0o600))
	code, out, _ = acciseRun("accise", "check", "-year", "2025", "-municipalities", list, in)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "ACC04")

	require.NoError(t, os.WriteFile(list, []byte("L219;TO\nG27;PA\n"), 0o600))
	code, _, errOut = acciseRun("accise", "check", "-year", "2025", "-municipalities", list, in)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "comuni.csv:2")
}

func TestAcciseDicToXML(t *testing.T) {
	in := acciseLinesFile(t)
	dir := t.TempDir()
	code, _, errOut := acciseRun("accise", "declare", "-year", "2025", "-company", "TOE000123", "-seat", "TO",
		"-out", dir, "-dic", "-gas-marker", "GASNAT", in)
	require.Equal(t, 0, code, errOut)

	outDir := filepath.Join(dir, "back")
	code, out, errOut := acciseRun("accise", "dic", "-out", outDir, "-gas-marker", "GASNAT", filepath.Join(dir, "GN_TOE000123_2025_TO.dic"))
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, filepath.Join(outDir, "GN_TOE000123_2025_TO_GN.xml")+"\n", out)
	f, err := os.Open(filepath.Join(outDir, "GN_TOE000123_2025_TO_GN.xml"))
	require.NoError(t, err)
	defer f.Close()
	d, err := accise.ReadGasXML(f)
	require.NoError(t, err)
	assert.Equal(t, 2025, d.Year)
	assert.NotEmpty(t, d.I)

	code, _, errOut = acciseRun("accise", "dic", "-out", outDir, filepath.Join(dir, "GN_TOE000123_2025_TO.dic"))
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "unknown file marker")
}
