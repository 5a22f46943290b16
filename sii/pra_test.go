package sii

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

func readPRA(t *testing.T, r *PRAReader) []*PRARecord {
	t.Helper()
	var out []*PRARecord
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return out
		}
		require.NoError(t, err)
		out = append(out, rec)
	}
}

func TestDefaultPRAProfile(t *testing.T) {
	p := DefaultPRAProfile()
	assert.Equal(t, "default", p.Name)
	assert.Equal(t, ";", p.Comma)
	assert.Equal(t, "kWh", p.EnergyUnit)
	assert.Equal(t, PRAColumns{Area: "AREA_RIF", Distributor: "PIVA_DISTR", Date: "DATA", Hour: "ORA", QuarterHour: "QUARTO_ORA", Energy: "ENERGIA"}, p.Columns)
	assert.NotEmpty(t, p.Source)
}

func TestPRAReaderDefaultProfile(t *testing.T) {
	data := "\xEF\xBB\xBFAREA_RIF;PIVA_DISTR;DATA;ORA;QUARTO_ORA;ENERGIA\n" +
		"AREA01;12345678903;31/03/2024;1;;1.234,5\n" +
		"AREA01;12345678903;31/03/2024;3;;100\n" +
		"AREA01;12345678903;27/10/2024;;100;2,25\n" +
		"\n" +
		"AREA01;12345678903;31/03/2024;24;;7\n"
	r, err := NewPRAReader(strings.NewReader(data), DefaultPRAProfile())
	require.NoError(t, err)
	recs := readPRA(t, r)
	require.Len(t, recs, 4)

	first := recs[0]
	assert.Equal(t, 2, first.Line)
	assert.Equal(t, "AREA01", first.Area)
	assert.Equal(t, Hourly, first.Resolution)
	assert.Equal(t, civil.Date{Year: 2024, Month: time.March, Day: 31}, first.Date)
	assert.True(t, decimal.RequireFromString("1234.5").Equal(first.EnergyKWh.Decimal))
	assert.Equal(t, "AREA01/12345678903/2024-03-31/hour/1", first.Key())
	// 31 March 2024 is the spring day: Ora 3 starts at 03:00 summer time.
	assert.Equal(t, time.Date(2024, 3, 31, 1, 0, 0, 0, time.UTC), recs[1].Start)
	// 27 October 2024 is the autumn day: quarter-hour 100 ends at midnight.
	assert.Equal(t, QuarterHourly, recs[2].Resolution)
	assert.Equal(t, time.Date(2024, 10, 27, 22, 45, 0, 0, time.UTC), recs[2].Start)
	assert.Equal(t, civil.Date{Year: 2024, Month: time.October, Day: 28}.Midnight(civil.Rome).UTC(), recs[2].End)
	// The spring day has no Ora 24.
	assert.True(t, recs[3].Start.IsZero())
	out := NewPRAValidator(PRAValidatorOptions{File: "pra.csv"}).Check(recs[3])
	require.Len(t, out, 1)
	assert.Equal(t, CodePRAPeriod, out[0].Code)
	assert.Equal(t, 6, out[0].Line)
}

const customProfile = `{
  "name": "distributore-x",
  "comma": ",",
  "headerRow": 3,
  "dateLayout": "yyyymmdd",
  "energyUnit": "MWh",
  "columns": {"area": "Area", "date": "Giorno", "hour": "Ora", "energy": "MWh"}
}`

func TestPRAReaderCustomProfile(t *testing.T) {
	p, err := LoadPRAProfile(strings.NewReader(customProfile))
	require.NoError(t, err)
	data := "Prelievo residuo d'area\nmarzo 2024\nora,giorno,mwh,area,note\n5,20240301,\"1,5\",NORD1,x\n"
	r, err := NewPRAReader(strings.NewReader(data), p)
	require.NoError(t, err)
	recs := readPRA(t, r)
	require.Len(t, recs, 1)
	assert.Equal(t, "NORD1", recs[0].Area)
	assert.Equal(t, "", recs[0].DistributorVAT)
	assert.Equal(t, 5, recs[0].Period)
	assert.True(t, decimal.NewFromInt(1500).Equal(recs[0].EnergyKWh.Decimal), "MWh are converted to kWh")
	assert.Empty(t, NewPRAValidator(PRAValidatorOptions{}).Check(recs[0]))
}

func TestPRAReaderXLSX(t *testing.T) {
	f := excelize.NewFile()
	sheet := f.GetSheetName(0)
	rows := [][]any{
		{"PRA marzo 2024"},
		{"AREA_RIF", "PIVA_DISTR", "DATA", "ORA", "ENERGIA"},
		{"AREA01", "12345678903", "01/03/2024", 1, 10.5},
		{},
		{"AREA01", "12345678903", "01/03/2024", 2, "11,25"},
	}
	for i, row := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		require.NoError(t, err)
		require.NoError(t, f.SetSheetRow(sheet, cell, &row))
	}
	var buf bytes.Buffer
	require.NoError(t, f.Write(&buf))

	p := DefaultPRAProfile()
	p.HeaderRow = 2
	r, err := NewPRAReaderXLSX(&buf, p)
	require.NoError(t, err)
	defer r.Close()
	recs := readPRA(t, r)
	require.Len(t, recs, 2)
	assert.Equal(t, 3, recs[0].Line)
	assert.True(t, decimal.RequireFromString("10.5").Equal(recs[0].EnergyKWh.Decimal))
	assert.Equal(t, 5, recs[1].Line, "empty spreadsheet rows keep the row numbers")
	assert.True(t, decimal.RequireFromString("11.25").Equal(recs[1].EnergyKWh.Decimal))
}

func TestPRAValidator(t *testing.T) {
	data := "AREA_RIF;PIVA_DISTR;DATA;ORA;ENERGIA\n" +
		"AREA01;12345678903;01/03/2024;1;10\n" +
		"AREA01;12345678903;01/03/2024;1;11\n" +
		";123;2024-03-01;x;abc;extra\n" +
		"AREA01;12345678903;01/03/2024;2;-4\n"
	r, err := NewPRAReader(strings.NewReader(data), DefaultPRAProfile())
	require.NoError(t, err)
	recs := readPRA(t, r)
	require.Len(t, recs, 4)
	v := NewPRAValidator(PRAValidatorOptions{File: "pra.csv"})
	assert.Empty(t, v.Check(recs[0]))
	assert.Equal(t, []string{CodePRADuplicate}, codesOf(v.Check(recs[1])))
	assert.Equal(t, []string{CodePRAArea, CodePRADistributor, CodePRADate, CodePRAPeriod, CodePRAEnergy, CodePRAWidth}, codesOf(v.Check(recs[2])))
	assert.Equal(t, []string{CodePRANegative}, codesOf(v.Check(recs[3])))
	assert.Empty(t, NewPRAValidator(PRAValidatorOptions{AllowNegative: true}).Check(recs[3]))
}

func TestPRAProfileErrors(t *testing.T) {
	tests := []struct {
		name string
		json string
		want string
	}{
		{"unknown key", `{"name":"x","colums":{}}`, "unknown field"},
		{"no area", `{"name":"x","columns":{"date":"D","hour":"H","energy":"E"}}`, "columns.area"},
		{"no period", `{"name":"x","columns":{"area":"A","date":"D","energy":"E"}}`, "hour"},
		{"bad unit", `{"name":"x","energyUnit":"GWh","columns":{"area":"A","date":"D","hour":"H","energy":"E"}}`, "energyUnit"},
		{"bad layout", `{"name":"x","dateLayout":"mm/dd/yy","columns":{"area":"A","date":"D","hour":"H","energy":"E"}}`, "date layout"},
		{"bad comma", `{"name":"x","comma":";;","columns":{"area":"A","date":"D","hour":"H","energy":"E"}}`, "comma"},
		{"bad encoding", `{"name":"x","encoding":"ebcdic","columns":{"area":"A","date":"D","hour":"H","energy":"E"}}`, "encoding"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadPRAProfile(strings.NewReader(tt.json))
			require.ErrorIs(t, err, ErrInvalidProfile)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestPRAReaderMissingColumn(t *testing.T) {
	_, err := NewPRAReader(strings.NewReader("AREA_RIF;DATA;ORA\nA;01/03/2024;1\n"), DefaultPRAProfile())
	assert.ErrorIs(t, err, ErrMissingColumn)
	assert.Contains(t, err.Error(), "ENERGIA")
	_, err = NewPRAReader(strings.NewReader(""), DefaultPRAProfile())
	assert.ErrorIs(t, err, ErrNoHeader)
}

// A 4 MB workbook whose sheet unpacks to 4 GiB of white space used to be
// opened, and took minutes and gigabytes of memory. Workbooks that declare
// more than maxWorkbookSize unpacked are now rejected before unpacking.
func TestPRAReaderXLSXBombRejected(t *testing.T) {
	f := excelize.NewFile()
	require.NoError(t, f.SetSheetRow(f.GetSheetName(0), "A1", &[]any{"AREA_RIF", "PIVA_DISTR", "DATA", "ORA", "ENERGIA"}))
	var book bytes.Buffer
	require.NoError(t, f.Write(&book))
	src, err := zip.NewReader(bytes.NewReader(book.Bytes()), int64(book.Len()))
	require.NoError(t, err)

	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	for _, entry := range src.File {
		if entry.Name != "xl/worksheets/sheet1.xml" {
			require.NoError(t, zw.Copy(entry))
			continue
		}
		// The sheet declares more than the limit; its data is never read.
		header := entry.FileHeader
		header.UncompressedSize64 = maxWorkbookSize + 1
		w, err := zw.CreateRaw(&header)
		require.NoError(t, err)
		raw, err := entry.OpenRaw()
		require.NoError(t, err)
		_, err = io.Copy(w, raw)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())

	_, err = NewPRAReaderXLSX(&bomb, DefaultPRAProfile())
	require.Error(t, err)
	assert.ErrorContains(t, err, "unzip size exceeds")
}
