package accise

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

func dispatcherProfile(t testing.TB) Profile {
	t.Helper()
	p, ok := DefaultProfiles().Profile("dispatcher")
	require.True(t, ok)
	return p
}

func TestCSVImport(t *testing.T) {
	f, err := os.Open("testdata/lines.csv")
	require.NoError(t, err)
	defer f.Close()
	r, err := NewCSVReader(f, ImportOptions{Profile: dispatcherProfile(t), File: "lines.csv"})
	require.NoError(t, err)
	lines, found, err := ReadAll(r)
	require.NoError(t, err)
	require.Len(t, lines, 4)
	require.Len(t, found, 1)

	first := lines[0]
	assert.Equal(t, "IT001E00000001", first.Supply)
	assert.Equal(t, Electricity, first.Commodity)
	assert.Equal(t, UseDwelling, first.Use)
	assert.True(t, first.IsResident())
	assert.Equal(t, "3", first.PowerKW.String())
	assert.Equal(t, day("2025-01-01"), first.From)
	assert.Equal(t, day("2025-01-31"), first.To)
	assert.Equal(t, "5.22", first.BilledExcise.StringFixed(2))
	assert.Equal(t, 2, first.Row)

	assert.Equal(t, "300000", lines[1].Quantity.String())
	assert.Equal(t, "3250", lines[1].BilledExcise.String())
	assert.Nil(t, lines[1].BilledSurcharge)

	assert.Equal(t, Gas, lines[2].Commodity)
	assert.Equal(t, UseCivil, lines[2].Use)
	assert.Equal(t, "E", lines[2].ClimateZone)
	assert.False(t, lines[2].ExCasmez)
	assert.True(t, lines[3].ExCasmez)
	assert.Equal(t, CreditNote, lines[3].Kind)

	bad := found[0]
	assert.Equal(t, CodeUnreadableRow, bad.Code)
	assert.Equal(t, 6, bad.Line)
	assert.Equal(t, "quantita", bad.Field)
	assert.Equal(t, "x", bad.Value)
	assert.Equal(t, "00880000000003", bad.Key)
}

func TestCSVImportMissingColumns(t *testing.T) {
	_, err := NewCSVReader(strings.NewReader("pod_pdr;quantita\nX;1\n"), ImportOptions{Profile: dispatcherProfile(t), File: "x.csv"})
	require.ErrorIs(t, err, ErrMissingColumn)
	assert.ErrorContains(t, err, "use, province, from or period")
}

func TestCSVImportGenericProfile(t *testing.T) {
	p, ok := DefaultProfiles().Profile("generic")
	require.True(t, ok)
	in := "\ufeffPOD,Uso,Prov.,Competenza,Consumo kWh,Codice Catastale\nIT001E00000009,Domestico,RM,2025-03,\"1.234,5\",H501\n"
	r, err := NewCSVReader(strings.NewReader(in), ImportOptions{Profile: p, File: "g.csv"})
	require.NoError(t, err)
	l, err := r.Read()
	require.NoError(t, err)
	assert.Equal(t, UseDwelling, l.Use)
	assert.Equal(t, "1234.5", l.Quantity.String())
	assert.Equal(t, "RM", l.Province)
	assert.Equal(t, day("2025-03-31"), l.To)
	_, err = r.Read()
	assert.Equal(t, io.EOF, err)
}

func TestGasDomesticMeansCivil(t *testing.T) {
	in := "pod_pdr;categoria_uso;provincia;mese;quantita\n00880000000001;domestico;TO;01/2026;10\n"
	r, err := NewCSVReader(strings.NewReader(in), ImportOptions{Profile: dispatcherProfile(t)})
	require.NoError(t, err)
	l, err := r.Read()
	require.NoError(t, err)
	assert.Equal(t, Gas, l.Commodity)
	assert.Equal(t, UseCivil, l.Use)
}

func TestCSVProgress(t *testing.T) {
	var b strings.Builder
	b.WriteString("pod_pdr;categoria_uso;provincia;mese;quantita\n")
	for range 25 {
		b.WriteString("IT001E00000001;abitazione;TO;01/2025;10\n")
	}
	var calls []Progress
	r, err := NewCSVReader(strings.NewReader(b.String()), ImportOptions{
		Profile: dispatcherProfile(t), ProgressEvery: 10,
		Progress: func(p Progress) { calls = append(calls, p) },
	})
	require.NoError(t, err)
	lines, found, err := ReadAll(r)
	require.NoError(t, err)
	assert.Empty(t, found)
	assert.Len(t, lines, 25)
	require.Len(t, calls, 3)
	assert.Equal(t, 10, calls[0].Rows)
	assert.Equal(t, 20, calls[1].Rows)
	assert.True(t, calls[2].Done)
	assert.Equal(t, 25, calls[2].Rows)
	assert.Equal(t, int64(b.Len()), calls[2].Bytes)
}

func TestCSVBadQuoteKeepsGoing(t *testing.T) {
	in := "pod_pdr;categoria_uso;provincia;mese;quantita\nIT001E00000001;abitazione;TO;01/2025;1\"0\nIT001E00000001;abitazione;TO;02/2025;10\n"
	r, err := NewCSVReader(strings.NewReader(in), ImportOptions{Profile: dispatcherProfile(t)})
	require.NoError(t, err)
	lines, found, err := ReadAll(r)
	require.NoError(t, err)
	assert.Len(t, lines, 1)
	assert.Len(t, found, 1)
}

func workbook(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		require.NoError(t, err)
		require.NoError(t, f.SetSheetRow("Sheet1", cell, &row))
	}
	var buf bytes.Buffer
	require.NoError(t, f.Write(&buf))
	return buf.Bytes()
}

func TestXLSXImport(t *testing.T) {
	data := workbook(t, [][]any{
		{"Codice ditta", "POD/PDR", "Categoria uso", "Provincia", "Data inizio", "Data fine", "Quantità", "Accisa"},
		{},
		{"IT00TOA00001A", "IT001E00000002", "altri usi", "TO", "01/02/2025", "28/02/2025", 300000, 3250},
		{"IT00TOA00001A", "IT001E00000003", "boh", "TO", "01/02/2025", "28/02/2025", 1, 0},
	})
	p, _ := DefaultProfiles().Profile("generic")
	x, err := NewXLSXReader(bytes.NewReader(data), "", ImportOptions{Profile: p, File: "w.xlsx"})
	require.NoError(t, err)
	defer x.Close()
	lines, found, err := ReadAll(x)
	require.NoError(t, err)
	require.Len(t, lines, 1)
	assert.Equal(t, 3, lines[0].Row)
	assert.Equal(t, UseNonDwelling, lines[0].Use)
	assert.Equal(t, "300000", lines[0].Quantity.String())
	require.Len(t, found, 1)
	assert.Equal(t, 4, found[0].Line)
	assert.Equal(t, "Categoria uso", found[0].Field)
}

func TestXLSXImportSizeLimit(t *testing.T) {
	rows := [][]any{{"pod_pdr", "categoria_uso", "provincia", "mese", "quantita"}}
	for range 200 {
		rows = append(rows, []any{"IT001E00000001", "abitazione", "TO", "01/2025", 100})
	}
	data := workbook(t, rows)
	_, err := NewXLSXReader(bytes.NewReader(data), "", ImportOptions{Profile: dispatcherProfile(t), File: "big.xlsx", MaxUnzippedSize: 1024})
	assert.ErrorContains(t, err, "invalid workbook")
	assert.ErrorContains(t, err, "size")
	x, err := NewXLSXReader(bytes.NewReader(data), "", ImportOptions{Profile: dispatcherProfile(t), File: "big.xlsx", MaxUnzippedSize: 1 << 20})
	require.NoError(t, err)
	assert.NoError(t, x.Close())
}

func TestXLSXImportInvalidWorkbook(t *testing.T) {
	_, err := NewXLSXReader(strings.NewReader("not a zip"), "", ImportOptions{Profile: dispatcherProfile(t), File: "bad.xlsx"})
	assert.ErrorContains(t, err, "invalid workbook")
}

func TestRowErrorUnwrap(t *testing.T) {
	var err error = &RowError{File: "f", Row: 3, Field: FieldQuantity, Value: "x", Err: errors.New("not a number")}
	assert.ErrorIs(t, err, ErrInvalidRow)
	assert.Equal(t, `f:3: quantity "x": not a number`, err.Error())
}

func FuzzCSVImport(f *testing.F) {
	seed, err := os.ReadFile("testdata/lines.csv")
	require.NoError(f, err)
	f.Add(seed)
	f.Add([]byte("pod_pdr;categoria_uso;provincia;mese;quantita\n\"a;b\n"))
	f.Add([]byte("pod_pdr;categoria_uso;provincia;mese;quantita;tipo_documento;data_documento\nIT001E00000001;altri usi;TO;11/2025;10;R;10/03/2026\n"))
	f.Add([]byte(""))
	p := dispatcherProfile(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return
		}
		r, err := NewCSVReader(bytes.NewReader(data), ImportOptions{Profile: p})
		if err != nil {
			return
		}
		lines, _, err := ReadAll(r)
		if err != nil {
			return
		}
		c, _ := Compute(lines, ComputeOptions{})
		Check(c, YearCheckOptions(2025))
	})
}

func FuzzXLSXImport(f *testing.F) {
	f.Add(workbook(f, [][]any{
		{"pod_pdr", "categoria_uso", "provincia", "mese", "quantita"},
		{"IT001E00000001", "abitazione", "TO", "01/2025", 100},
	}))
	f.Add([]byte("PK\x03\x04"))
	p := dispatcherProfile(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return
		}
		x, err := NewXLSXReader(bytes.NewReader(data), "", ImportOptions{Profile: p, MaxUnzippedSize: 8 << 20})
		if err != nil {
			return
		}
		defer x.Close()
		_, _, _ = ReadAll(x)
	})
}

func TestLineCSVRoundTrip(t *testing.T) {
	lines := generatedYear()
	lines[0].BilledExcise = kw("5.2")
	lines[1].PowerKW = nil
	var buf bytes.Buffer
	w := NewLineCSVWriter(&buf)
	for _, l := range lines {
		require.NoError(t, w.Write(l))
	}
	require.NoError(t, w.Flush())
	r, err := NewCSVReader(&buf, ImportOptions{Profile: dispatcherProfile(t), File: "year.csv"})
	require.NoError(t, err)
	back, found, err := ReadAll(r)
	require.NoError(t, err)
	require.Empty(t, found)
	require.Len(t, back, len(lines))
	for i := range lines {
		want, got := lines[i], back[i]
		assert.Equal(t, want.Supply, got.Supply)
		assert.Equal(t, want.Commodity, got.Commodity)
		assert.Equal(t, want.Use, got.Use)
		assert.Equal(t, want.Resident, got.Resident)
		assert.Equal(t, want.ExCasmez, got.ExCasmez)
		assert.Equal(t, want.From, got.From)
		assert.Equal(t, want.To, got.To)
		assert.Equal(t, want.Kind, got.Kind)
		assert.True(t, want.Quantity.Equal(got.Quantity), "row %d quantity", i)
		if want.PowerKW == nil {
			assert.Nil(t, got.PowerKW)
		} else {
			assert.True(t, want.PowerKW.Equal(*got.PowerKW), "row %d power", i)
		}
	}
	assert.Equal(t, "5.2", back[0].BilledExcise.String())
}

func TestCommodityFromUse(t *testing.T) {
	in := "pod_pdr;categoria_uso;provincia;mese;quantita;residente\n" +
		"X1;civile;TO;202501;10;\n" +
		"X2;altri usi;TO;2025-01;10;\n" +
		"X3;esente;TO;01/2025;10;\n" +
		"X4;abitazione;TO;01/2025;10;forse\n"
	r, err := NewCSVReader(strings.NewReader(in), ImportOptions{Profile: dispatcherProfile(t), File: "u.csv"})
	require.NoError(t, err)
	lines, found, err := ReadAll(r)
	require.NoError(t, err)
	require.Len(t, lines, 2)
	assert.Equal(t, Gas, lines[0].Commodity)
	assert.Equal(t, Electricity, lines[1].Commodity)
	require.Len(t, found, 2)
	assert.Contains(t, found[0].Message, "add a commodity column")
	assert.Equal(t, "residente", found[1].Field)
	assert.Equal(t, "commodity", found[0].Field, "no column, so the import field")
}

func TestRowErrorCause(t *testing.T) {
	cause := errors.New("not a number")
	err := &RowError{Err: cause}
	assert.Equal(t, cause, err.Cause())
}

func TestParsePeriodForms(t *testing.T) {
	for _, s := range []string{"03/2025", "202503", "2025-03"} {
		m, err := parseMonth(s)
		require.NoError(t, err, s)
		assert.Equal(t, "2025-03", m.String(), s)
	}
	for _, s := range []string{"15/03/2025", "2025-03-15", "2025-03-15T00:00:00"} {
		d, err := parseDay(s)
		require.NoError(t, err, s)
		assert.Equal(t, "2025-03-15", d.String(), s)
	}
	_, err := parseMonth("13/2025")
	assert.Error(t, err)
}
