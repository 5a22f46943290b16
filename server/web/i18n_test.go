package web

import (
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

func TestCatalogsHaveSameKeys(t *testing.T) {
	cats, err := loadCatalogs()
	require.NoError(t, err)
	keys := func(c catalog) []string {
		var out []string
		for k := range c {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	want := keys(cats[languages[0]])
	for _, lang := range languages[1:] {
		assert.Equal(t, want, keys(cats[lang]), "keys of %s", lang)
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		in, it, en string
	}{
		{"2,654", "2,654", "2.654"},
		{"1234567,890", "1.234.567,890", "1,234,567.890"},
		{"123", "123", "123"},
		{"1000", "1.000", "1,000"},
		{"-4000,5", "-4.000,5", "-4,000.5"},
		{"", "", ""},
		{"abc", "abc", "abc"},
		{"1,2,3", "1,2,3", "1,2,3"},
		{"<b>1</b>", "<b>1</b>", "<b>1</b>"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.it, formatNumber(tt.in, ",", "."), "it %q", tt.in)
		assert.Equal(t, tt.en, formatNumber(tt.in, ".", ","), "en %q", tt.in)
	}
}

func TestLocalizerFormats(t *testing.T) {
	cats, err := loadCatalogs()
	require.NoError(t, err)
	it := &locale{Lang: "it", cat: cats["it"]}
	en := &locale{Lang: "en", cat: cats["en"]}
	d := civil.Date{Year: 2025, Month: time.March, Day: 30}
	assert.Equal(t, "30/03/2025", it.Date(d))
	assert.Equal(t, "2025-03-30", en.Date(d))
	assert.Equal(t, "03/2025", it.Competence("2025-03"))
	assert.Equal(t, "30/03/2025", it.Competence("2025-03-30"))
	instant := time.Date(2025, 1, 15, 12, 0, 0, 0, time.UTC)
	assert.Equal(t, "15/01/2025 13:00:00", it.Time(instant), "Europe/Rome, winter time")
	assert.Equal(t, "02:30 CEST", it.Clock(time.Date(2025, 10, 26, 0, 30, 0, 0, time.UTC)))
	assert.Equal(t, "02:30 CET", it.Clock(time.Date(2025, 10, 26, 1, 30, 0, 0, time.UTC)))
	assert.Equal(t, "10.000", it.Int(10000))
	assert.Equal(t, "missing.key", it.T("missing.key"))
}

func TestSafeNext(t *testing.T) {
	tests := map[string]string{
		"":                      "/loads",
		"/search?pod=IT1":       "/search?pod=IT1",
		"//evil.example/x":      "/loads",
		"/\\evil.example":       "/loads",
		"/a/../\\evil.example":  "/loads",
		"/x/..\\/evil.example":  "/loads",
		"http://evil.example/x": "/loads",
		"javascript:alert(1)":   "/loads",
		"search":                "/loads",
	}
	for in, want := range tests {
		assert.Equal(t, want, safeNext(in), "next %q", in)
	}
}

func TestHourTicksOnClockChangeDays(t *testing.T) {
	cats, err := loadCatalogs()
	require.NoError(t, err)
	l := &locale{Lang: "it", cat: cats["it"]}
	labels := func(day civil.Date) []string {
		from, to := day.Midnight(civil.Rome), day.AddDays(1).Midnight(civil.Rome)
		var out []string
		for _, tk := range hourTicks(from, to, func(time.Time) float64 { return 0 }, l) {
			if tk.Label != "" {
				out = append(out, tk.Label)
			}
		}
		return out
	}
	every3 := []string{"00:00", "03:00", "06:00", "09:00", "12:00", "15:00", "18:00", "21:00", "00:00"}
	assert.Equal(t, every3[:8], labels(civil.Date{Year: 2025, Month: time.October, Day: 15}), "the closing midnight repeats 00:00")
	assert.Equal(t, every3[:8], labels(civil.Date{Year: 2025, Month: time.March, Day: 30}))
	assert.Equal(t, every3[:8], labels(civil.Date{Year: 2025, Month: time.October, Day: 26}))
}

func TestCSVSafeQuotesFormulas(t *testing.T) {
	for _, s := range []string{"=HYPERLINK(\"x\")", "+1", "-1", "@SUM(A1)", "\tx"} {
		assert.Equal(t, "'"+s, csvSafe(s), "value %q", s)
	}
	for _, s := range []string{"", "IT001E00000042", "2,654", "P"} {
		assert.Equal(t, s, csvSafe(s), "value %q", s)
	}
}

func TestPagerBounds(t *testing.T) {
	pg := pager{Page: 3, Size: 100, Total: 250}
	assert.Equal(t, 200, pg.Offset())
	assert.Equal(t, 3, pg.Pages())
	assert.Equal(t, 201, pg.First())
	assert.Equal(t, 250, pg.Last())
	assert.Equal(t, 2, pg.Prev())
	assert.Equal(t, 0, pg.Next())
	empty := pager{Page: 1, Size: 100}
	assert.Equal(t, 0, empty.First())
	assert.Equal(t, 1, empty.Pages())
}
