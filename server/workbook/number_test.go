package workbook

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// TestStreamedNumberDigits writes decimals through a streamed sheet and
// reads the cells back. Each cell contains the exact digits of its decimal,
// as a number when a float64 keeps them all and as text otherwise.
func TestStreamedNumberDigits(t *testing.T) {
	tests := []struct {
		in     string
		kind   excelize.CellType
		stored string
	}{
		{"0", excelize.CellTypeUnset, "0"},
		{"0.000", excelize.CellTypeUnset, "0"},
		{"1.500", excelize.CellTypeUnset, "1.5"},
		{"-2.486", excelize.CellTypeUnset, "-2.486"},
		{"0.1", excelize.CellTypeUnset, "0.1"},
		{"0.000001", excelize.CellTypeUnset, "0.000001"},
		{"149551.792", excelize.CellTypeUnset, "149551.792"},
		{"999999999999.999", excelize.CellTypeUnset, "999999999999.999"},
		{"100000000000000000000", excelize.CellTypeUnset, "100000000000000000000"},
		{"1234567890123456.789", excelize.CellTypeInlineString, "1234567890123456.789"},
		{"-9007199254740993", excelize.CellTypeInlineString, "-9007199254740993"},
	}
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	require.NoError(t, err)
	number, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("#,##0.000###")})
	require.NoError(t, err)
	s := &sheet{f: f, stream: sw, name: "Sheet1", limit: MaxRows, number: number}
	for _, tt := range tests {
		s.add(decimal.RequireFromString(tt.in))
	}
	require.NoError(t, s.err)
	require.NoError(t, sw.Flush())

	var buf bytes.Buffer
	_, err = f.WriteTo(&buf)
	require.NoError(t, err)
	back, err := excelize.OpenReader(&buf)
	require.NoError(t, err)
	defer back.Close()
	for i, tt := range tests {
		ref := "A" + strconv.Itoa(i+1)
		kind, err := back.GetCellType("Sheet1", ref)
		require.NoError(t, err)
		assert.Equal(t, tt.kind, kind, "type of %s", tt.in)
		raw, err := back.GetCellValue("Sheet1", ref, excelize.Options{RawCellValue: true})
		require.NoError(t, err)
		assert.Equal(t, tt.stored, raw, "stored text of %s", tt.in)
		style, err := back.GetCellStyle("Sheet1", ref)
		require.NoError(t, err)
		assert.Equal(t, number, style, "style of %s", tt.in)
	}
}

func TestSheetRejectsRowPastLimit(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	require.NoError(t, err)
	s := &sheet{f: f, stream: sw, name: "Sheet1", limit: 2}
	s.add("a")
	s.add("b")
	require.NoError(t, s.err, "rows up to the limit are written")
	s.add("c")
	require.ErrorIs(t, s.err, ErrTooManyRows)
	assert.Contains(t, s.err.Error(), "needs at least 3 rows")
}

// FuzzStreamNumber checks that a streamed decimal keeps its digits: the
// cell is a float64 that formats back to the decimal's text, or the text
// itself.
func FuzzStreamNumber(f *testing.F) {
	for _, seed := range []string{"0", "1.5", "-2.486", "0.000001", "999999999999.999", "1234567890123456.789", "1e300", "-1e-20"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		d, err := decimal.NewFromString(in)
		if err != nil {
			return
		}
		s := &sheet{number: 1}
		cell := s.streamNumber(d)
		assert.Equal(t, 1, cell.StyleID)
		switch v := cell.Value.(type) {
		case float64:
			assert.Equal(t, d.String(), strconv.FormatFloat(v, 'f', -1, 64))
		case string:
			assert.Equal(t, d.String(), v)
		default:
			t.Fatalf("cell value of %q is a %T", in, v)
		}
	})
}

// TestStreamedSheetPastChunkSize writes more sheet XML than
// excelize.StreamChunkSize, so the stream writer moves rows to a
// temporary file, and reads every row back.
func TestStreamedSheetPastChunkSize(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and reads about 25 MB of sheet XML")
	}
	const rows = 150_000
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	require.NoError(t, err)
	s := &sheet{f: f, stream: sw, name: "Sheet1", limit: MaxRows}
	for i := range rows {
		s.add("IT001E00000001", int64(i), decimal.New(int64(i), -3))
	}
	require.NoError(t, s.err)
	require.NoError(t, sw.Flush())

	var buf bytes.Buffer
	require.NoError(t, (&book{f: f}).writeTo(&buf))
	back, err := excelize.OpenReader(&buf)
	require.NoError(t, err)
	defer back.Close()
	it, err := back.Rows("Sheet1")
	require.NoError(t, err)
	defer it.Close()
	n := 0
	for it.Next() {
		cols, err := it.Columns(excelize.Options{RawCellValue: true})
		require.NoError(t, err)
		want := []string{"IT001E00000001", strconv.Itoa(n), decimal.New(int64(n), -3).String()}
		if !assert.Equal(t, want, cols, "row %d", n+1) {
			break
		}
		n++
	}
	require.NoError(t, it.Error())
	assert.Equal(t, rows, n)
}
