package gme

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/internal/testref"
)

// readAll reads every record of r and collects the row errors apart.
func readAll(t testing.TB, r *Reader) ([]*Record, []error) {
	t.Helper()
	var recs []*Record
	var rowErrs []error
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return recs, rowErrs
		}
		var rowErr *RowError
		if errors.As(err, &rowErr) {
			rowErrs = append(rowErrs, err)
			continue
		}
		require.NoError(t, err)
		recs = append(recs, rec)
	}
}

func readFile(t *testing.T, path string) []*Record {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	recs, rowErrs := readAll(t, NewReader(f))
	require.Empty(t, rowErrs)
	return recs
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestReaderHourlySample(t *testing.T) {
	recs := readFile(t, testref.Dir(t, "sii-gme", "gme", "20210830MGPPrezzi.xml"))
	require.Len(t, recs, 24)

	first := recs[0]
	assert.Equal(t, KindPrices, first.Kind)
	assert.Equal(t, "MGP", first.Market)
	assert.Equal(t, civil.Date{Year: 2021, Month: time.August, Day: 30}, first.Date)
	assert.Equal(t, 1, first.Period)
	assert.Equal(t, "MGP/Prezzi/2021-08-30/1", first.Key())
	assert.Equal(t, time.Date(2021, 8, 29, 22, 0, 0, 0, time.UTC), first.Start)
	assert.Equal(t, time.Date(2021, 8, 29, 23, 0, 0, 0, time.UTC), first.End)
	assert.Len(t, first.Fields, 22, "PUN, NAT and 20 zones")

	pun, ok := first.PUN()
	require.True(t, ok)
	assert.True(t, dec("114.90568").Equal(pun), "PUN hour 1 = %s", pun)
	nat, ok := first.Price("NAT")
	require.True(t, ok)
	assert.True(t, dec("106.99").Equal(nat))
	cala, ok := first.Price("CALA")
	require.True(t, ok)
	assert.True(t, dec("130").Equal(cala))
	xgre, ok := first.Get("XGRE")
	require.True(t, ok)
	assert.Equal(t, "130,000000", xgre.Text)

	last := recs[23]
	assert.Equal(t, 24, last.Period)
	pun, ok = last.PUN()
	require.True(t, ok)
	assert.True(t, dec("123.9416").Equal(pun))
	cnor, ok := last.Price("CNOR")
	require.True(t, ok)
	assert.True(t, dec("123.05").Equal(cnor))
	assert.Equal(t, time.Date(2021, 8, 30, 21, 0, 0, 0, time.UTC), last.Start)
}

func TestReaderOtherSamples(t *testing.T) {
	tests := []struct {
		file      string
		kind      Kind
		market    string
		rows      int
		field     string
		hour1     string
		hasPUN    bool
		numFields int
	}{
		{"20210902MI1Prezzi.xml", KindPrices, "MI1", 24, "NAT", "132.99", false, 17},
		{"20210922MGPPrezziConvenzionali.xml", KindConventionalPrices, "MGP", 24, "CALA", "187", false, 16},
		{"20210902MGPQuantita.xml", KindQuantities, "MGP", 24, "TOTALE_ACQUISTI", "29464.322", false, 0},
		{"20210902MI1Quantita.xml", KindQuantities, "MI1", 24, "TOTALE_ACQUISTI", "1189.471", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			recs := readFile(t, testref.Dir(t, "sii-gme", "gme", tt.file))
			require.Len(t, recs, tt.rows)
			first := recs[0]
			assert.Equal(t, tt.kind, first.Kind)
			assert.Equal(t, tt.market, first.Market)
			assert.Equal(t, 1, first.Period)
			v, ok := first.Price(tt.field)
			require.True(t, ok)
			assert.True(t, dec(tt.hour1).Equal(v), "%s = %s", tt.field, v)
			_, ok = first.PUN()
			assert.Equal(t, tt.hasPUN, ok)
			if tt.numFields > 0 {
				assert.Len(t, first.Fields, tt.numFields)
			}
			for _, rec := range recs {
				for _, f := range rec.Fields {
					assert.True(t, f.Valid, "%s line %d %s=%q", tt.file, f.Line, f.Name, f.Text)
				}
			}
			assert.Equal(t, 24, recs[23].Period)
		})
	}
}

func TestReaderQuantitiesValue(t *testing.T) {
	recs := readFile(t, testref.Dir(t, "sii-gme", "gme", "20210902MGPQuantita.xml"))
	v, ok := recs[11].Price("TOTALE_ACQUISTI")
	require.True(t, ok)
	assert.True(t, dec("40341.492").Equal(v))
}

func TestReaderDSTHourly(t *testing.T) {
	tests := []struct {
		file  string
		hours int
		// starts of hours 2, 3 and 4 in UTC
		starts [3]time.Time
	}{
		// 28 March 2021: 02:00 CET jumps to 03:00 CEST, so Ora 3 is 03:00 local.
		{"20210328MGPPrezzi.xml", 23, [3]time.Time{
			time.Date(2021, 3, 28, 0, 0, 0, 0, time.UTC),
			time.Date(2021, 3, 28, 1, 0, 0, 0, time.UTC),
			time.Date(2021, 3, 28, 2, 0, 0, 0, time.UTC),
		}},
		// 31 October 2021: 02:00–03:00 is lived twice; Ora 3 is 02:00 summer
		// time and Ora 4 is 02:00 winter time.
		{"20211031MGPPrezzi.xml", 25, [3]time.Time{
			time.Date(2021, 10, 30, 23, 0, 0, 0, time.UTC),
			time.Date(2021, 10, 31, 0, 0, 0, 0, time.UTC),
			time.Date(2021, 10, 31, 1, 0, 0, 0, time.UTC),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			recs := readFile(t, filepath.Join("testdata", tt.file))
			require.Len(t, recs, tt.hours)
			for i, want := range tt.starts {
				assert.Equal(t, want, recs[i+1].Start, "Ora %d", i+2)
			}
			assertContiguous(t, recs, time.Hour)
			day := recs[0].Date
			assert.Equal(t, day.Midnight(civil.Rome).UTC(), recs[0].Start)
			assert.Equal(t, day.AddDays(1).Midnight(civil.Rome).UTC(), recs[len(recs)-1].End)
		})
	}
}

func TestReaderDSTQuarterHours(t *testing.T) {
	tests := []struct {
		file    string
		periods int
	}{
		{"20260329MGPPrezzi15.xml", 92},
		{"20251026MGPPrezzi15.xml", 100},
		{"20251001MGPPrezzi15.xml", 96},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			recs := readFile(t, filepath.Join("testdata", tt.file))
			require.Len(t, recs, tt.periods)
			assert.Equal(t, KindPrices15, recs[0].Kind)
			assert.Equal(t, "PT15", recs[0].Granularity)
			assertContiguous(t, recs, 15*time.Minute)
			day := recs[0].Date
			assert.Equal(t, civil.QuarterHours(day)[tt.periods-1].UTC(), recs[tt.periods-1].Start)
			assert.Equal(t, day.AddDays(1).Midnight(civil.Rome).UTC(), recs[tt.periods-1].End)
		})
	}
}

func TestReaderQuarterHourEmptyZone(t *testing.T) {
	recs := readFile(t, filepath.Join("testdata", "20251026MGPPrezzi15.xml"))
	f, ok := recs[6].Get("SUD")
	require.True(t, ok, "empty element is present")
	assert.True(t, f.Empty)
	assert.False(t, f.Valid)
	_, ok = recs[6].Price("SUD")
	assert.False(t, ok, "empty value is not a price")
	_, ok = recs[6].Price("CALA")
	assert.False(t, ok, "absent zone")
	pun, ok := recs[9].PUN()
	require.True(t, ok)
	assert.True(t, dec("101").Equal(pun), "Periodo 10 PUN = %s", pun)
}

// assertContiguous checks that each interval starts where the previous ends.
func assertContiguous(t *testing.T, recs []*Record, step time.Duration) {
	t.Helper()
	for i, rec := range recs {
		assert.Equal(t, i+1, rec.Period)
		assert.Equal(t, step, rec.End.Sub(rec.Start))
		if i > 0 {
			assert.Equal(t, recs[i-1].End, rec.Start, "period %d", rec.Period)
		}
	}
}

const rowTemplate = `<Prezzi><Data>%s</Data><Mercato>MGP</Mercato><Ora>%s</Ora><PUN>1,5</PUN></Prezzi>`

func TestReaderRowErrors(t *testing.T) {
	tests := []struct {
		name  string
		row   string
		field string
		want  error
	}{
		{"missing day", `<Prezzi><Ora>1</Ora></Prezzi>`, "Data", ErrMissingField},
		{"bad day", `<Prezzi><Data>2021-08-30</Data><Ora>1</Ora></Prezzi>`, "Data", ErrInvalidField},
		{"impossible day", `<Prezzi><Data>20210230</Data><Ora>1</Ora></Prezzi>`, "Data", ErrInvalidField},
		{"missing hour", `<Prezzi><Data>20210830</Data></Prezzi>`, "Ora", ErrMissingField},
		{"bad hour", `<Prezzi><Data>20210830</Data><Ora>x</Ora></Prezzi>`, "Ora", ErrInvalidField},
		{"hour 25 on normal day", `<Prezzi><Data>20210830</Data><Ora>25</Ora></Prezzi>`, "Ora", ErrPeriodOutOfRange},
		{"hour 24 on spring day", `<Prezzi><Data>20210328</Data><Ora>24</Ora></Prezzi>`, "Ora", ErrPeriodOutOfRange},
		{"hour 0", `<Prezzi><Data>20210830</Data><Ora>0</Ora></Prezzi>`, "Ora", ErrPeriodOutOfRange},
		{"period 97", `<Prezzi15><Data>20251001</Data><Periodo>97</Periodo></Prezzi15>`, "Periodo", ErrPeriodOutOfRange},
		{"nested value", `<Prezzi><Data>20210830</Data><Ora>1</Ora><PUN><x/></PUN></Prezzi>`, "PUN", ErrNestedElement},
	}
	good := `<Prezzi><Data>20210830</Data><Mercato>MGP</Mercato><Ora>2</Ora><PUN>1,5</PUN></Prezzi>`
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := "<NewDataSet>" + tt.row + good + "</NewDataSet>"
			recs, rowErrs := readAll(t, NewReader(strings.NewReader(doc)))
			require.Len(t, rowErrs, 1)
			assert.ErrorIs(t, rowErrs[0], tt.want)
			var rowErr *RowError
			require.ErrorAs(t, rowErrs[0], &rowErr)
			assert.Equal(t, tt.field, rowErr.Field)
			require.Len(t, recs, 1, "the good row after the bad one is still read")
			assert.Equal(t, 2, recs[0].Period)
		})
	}
}

func TestReaderZeroPaddedHour(t *testing.T) {
	doc := `<NewDataSet><PrezziConvenzionali><Data>20210922</Data><Mercato>MGP</Mercato><Ora>07</Ora><NORD>187</NORD></PrezziConvenzionali></NewDataSet>`
	recs, rowErrs := readAll(t, NewReader(strings.NewReader(doc)))
	require.Empty(t, rowErrs)
	require.Len(t, recs, 1)
	assert.Equal(t, 7, recs[0].Period)
}

func TestReaderInvalidNumberKept(t *testing.T) {
	doc := `<NewDataSet><Prezzi><Data>20210830</Data><Mercato>MGP</Mercato><Ora>1</Ora><PUN>1.234,5</PUN><NAT>-3,25</NAT></Prezzi></NewDataSet>`
	recs, _ := readAll(t, NewReader(strings.NewReader(doc)))
	require.Len(t, recs, 1)
	pun, ok := recs[0].Get("PUN")
	require.True(t, ok)
	assert.False(t, pun.Valid)
	assert.Equal(t, "1.234,5", pun.Text)
	nat, ok := recs[0].Price("NAT")
	require.True(t, ok, "negative prices are valid")
	assert.True(t, dec("-3.25").Equal(nat))
}

func TestReaderSyntaxErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  string
	}{
		{"empty", ""},
		{"truncated", "<NewDataSet><Prezzi><Data>2021"},
		{"mismatched", "<NewDataSet><Prezzi></Data></NewDataSet>"},
		{"foreign encoding", `<?xml version="1.0" encoding="windows-1252"?><NewDataSet/>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(strings.NewReader(tt.doc))
			_, err := r.Next()
			var syn *SyntaxError
			require.ErrorAs(t, err, &syn)
			_, again := r.Next()
			assert.Equal(t, err, again, "fatal errors are sticky")
		})
	}
}

// A value of a million digits used to take seconds to parse, because
// big-number parsing is quadratic in the digits; a hostile file of a few
// such values stalled the reader.
func TestReaderOverlongNumberInvalid(t *testing.T) {
	digits := strings.Repeat("1", 1_000_000)
	doc := `<NewDataSet><Prezzi><Data>20210830</Data><Mercato>MGP</Mercato><Ora>1</Ora><PUN>` +
		digits + `</PUN><NAT>` + strings.Repeat("9", maxNumberLength-3) + `,12</NAT></Prezzi></NewDataSet>`
	recs, _ := readAll(t, NewReader(strings.NewReader(doc)))
	require.Len(t, recs, 1)
	pun, ok := recs[0].Get("PUN")
	require.True(t, ok)
	assert.False(t, pun.Valid, "a million-digit PUN is not a price")
	assert.Len(t, pun.Text, len(digits), "the text is kept as read")
	_, ok = recs[0].Price("NAT")
	assert.True(t, ok, "a value of exactly maxNumberLength characters is read")
}

// A value of 100 MB used to be held whole by the XML decoder, several
// times over; a zip entry of 1 MB could expand into one such value.
func TestReaderLongTextRunRejected(t *testing.T) {
	doc := `<NewDataSet><Prezzi><Data>20210830</Data><Mercato>MGP</Mercato><Ora>1</Ora><PUN>` +
		strings.Repeat(" ", maxRunLength+1) + `</PUN></Prezzi></NewDataSet>`
	r := NewReader(strings.NewReader(doc))
	_, err := r.Next()
	var syn *SyntaxError
	require.ErrorAs(t, err, &syn)
	assert.ErrorIs(t, err, ErrRunTooLong)
	assert.Equal(t, 1, syn.Line)

	ok := `<NewDataSet><Prezzi><Data>20210830</Data><Mercato>MGP</Mercato><Ora>1</Ora><PUN>` +
		strings.Repeat(" ", maxRunLength-20) + `1,5</PUN></Prezzi></NewDataSet>`
	recs, _ := readAll(t, NewReader(strings.NewReader(ok)))
	require.Len(t, recs, 1)
	pun, valid := recs[0].PUN()
	assert.True(t, valid)
	assert.Equal(t, "1.5", pun.String())
}
