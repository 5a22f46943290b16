package param

import (
	"math"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
)

func TestReaderText(t *testing.T) {
	r := &Reader{Values: url.Values{"pod": {"  IT001E  ", "second"}, "blank": {" \t"}}}
	assert.Equal(t, "IT001E", r.Text("pod"), "first value, trimmed")
	assert.Equal(t, "", r.Text("blank"))
	assert.Equal(t, "", r.Text("absent"))
	assert.False(t, r.Failed())
}

func TestReaderNilValues(t *testing.T) {
	r := &Reader{}
	assert.Equal(t, "", r.Text("pod"))
	assert.Equal(t, 7, r.Positive("size", 7))
	assert.Equal(t, store.Page{Limit: store.DefaultLimit}, r.Page())
	assert.False(t, r.Failed())
}

func TestReaderIntegers(t *testing.T) {
	tests := []struct {
		name    string
		value   string
		read    func(r *Reader) int
		want    int
		failure *Failure
	}{
		{name: "non-negative blank", value: " ", read: nonNegative, want: 5},
		{name: "non-negative zero", value: "0", read: nonNegative, want: 0},
		{name: "non-negative trimmed", value: " 12 ", read: nonNegative, want: 12},
		{name: "non-negative plus sign", value: "+3", read: nonNegative, want: 3},
		{name: "non-negative negative", value: "-1", read: nonNegative, want: 5,
			failure: &Failure{Name: "n", Value: "-1", Want: NonNegative}},
		{name: "non-negative word", value: "ten", read: nonNegative, want: 5,
			failure: &Failure{Name: "n", Value: "ten", Want: NonNegative}},
		{name: "non-negative overflow", value: "99999999999999999999", read: nonNegative, want: 5,
			failure: &Failure{Name: "n", Value: "99999999999999999999", Want: NonNegative}},
		{name: "positive one", value: "1", read: positive, want: 1},
		{name: "positive blank", value: "", read: positive, want: 5},
		{name: "positive zero", value: "0", read: positive, want: 5,
			failure: &Failure{Name: "n", Value: "0", Want: Positive}},
		{name: "positive decimal", value: "1.5", read: positive, want: 5,
			failure: &Failure{Name: "n", Value: "1.5", Want: Positive}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Reader{Values: url.Values{"n": {tt.value}}}
			assert.Equal(t, tt.want, tt.read(r))
			assertFailure(t, r, tt.failure)
		})
	}
}

func nonNegative(r *Reader) int { return r.NonNegative("n", 5) }

func positive(r *Reader) int { return r.Positive("n", 5) }

func TestReaderID(t *testing.T) {
	tests := []struct {
		value   string
		want    int64
		failure bool
	}{
		{value: "1", want: 1},
		{value: "9223372036854775807", want: 9223372036854775807},
		{value: "9223372036854775808", failure: true},
		{value: "0", failure: true},
		{value: "-4", failure: true},
		{value: "", failure: true},
		{value: " 4", failure: true},
		{value: "4x", failure: true},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			r := &Reader{}
			assert.Equal(t, tt.want, r.ID("load", tt.value))
			if !tt.failure {
				assertFailure(t, r, nil)
				return
			}
			assertFailure(t, r, &Failure{Name: "load", Value: tt.value, Want: Positive})
		})
	}
}

func TestReaderBool(t *testing.T) {
	tests := []struct {
		value   string
		want    bool
		failure bool
	}{
		{value: "", want: true},
		{value: "true", want: true},
		{value: "FALSE", want: false},
		{value: " 0 ", want: false},
		{value: "1", want: true},
		{value: "yes", want: true, failure: true},
		{value: "on", want: true, failure: true},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			r := &Reader{Values: url.Values{"all": {tt.value}}}
			assert.Equal(t, tt.want, r.Bool("all", true))
			if !tt.failure {
				assertFailure(t, r, nil)
				return
			}
			assertFailure(t, r, &Failure{Name: "all", Value: tt.value, Want: Bool})
		})
	}
}

func TestReaderDate(t *testing.T) {
	tests := []struct {
		value   string
		want    civil.Date
		failure bool
	}{
		{value: ""},
		{value: "2026-03-29", want: civil.Date{Year: 2026, Month: time.March, Day: 29}},
		{value: "29/03/2026", want: civil.Date{Year: 2026, Month: time.March, Day: 29}},
		{value: " 2024-02-29 ", want: civil.Date{Year: 2024, Month: time.February, Day: 29}},
		{value: "2025-02-29", failure: true},
		{value: "31/04/2026", failure: true},
		{value: "2026-3-29", failure: true},
		{value: "3/29/2026", failure: true},
		{value: "2026-03-29T00:00:00Z", failure: true},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			r := &Reader{Values: url.Values{"on": {tt.value}}}
			assert.Equal(t, tt.want, r.Date("on"))
			if !tt.failure {
				assertFailure(t, r, nil)
				return
			}
			assertFailure(t, r, &Failure{Name: "on", Value: strings.TrimSpace(tt.value), Want: Date})
		})
	}
}

func TestReaderDateRange(t *testing.T) {
	jan1 := civil.Date{Year: 2026, Month: time.January, Day: 1}
	jan31 := civil.Date{Year: 2026, Month: time.January, Day: 31}
	tests := []struct {
		name     string
		from, to string
		want     store.DateRange
		failure  *Failure
	}{
		{name: "both open"},
		{name: "from only", from: "2026-01-01", want: store.DateRange{From: jan1}},
		{name: "to only", to: "31/01/2026", want: store.DateRange{To: jan31}},
		{name: "one day", from: "2026-01-31", to: "2026-01-31", want: store.DateRange{From: jan31, To: jan31}},
		{name: "mixed forms", from: "01/01/2026", to: "2026-01-31", want: store.DateRange{From: jan1, To: jan31}},
		{name: "reversed", from: "2026-01-31", to: "2026-01-01", want: store.DateRange{From: jan31, To: jan1},
			failure: &Failure{Name: "to", Value: "2026-01-01", Want: DateNotBeforeFrom}},
		{name: "invalid from", from: "2026-13-01", to: "2026-01-01", want: store.DateRange{To: jan1},
			failure: &Failure{Name: "from", Value: "2026-13-01", Want: Date}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Reader{Values: url.Values{"from": {tt.from}, "to": {tt.to}}}
			assert.Equal(t, tt.want, r.DateRange())
			assertFailure(t, r, tt.failure)
		})
	}
}

func TestReaderMonth(t *testing.T) {
	march := civil.Month{Year: 2026, Month: time.March}
	tests := []struct {
		value   string
		want    civil.Month
		failure bool
	}{
		{value: ""},
		{value: "2026-03", want: march},
		{value: "03/2026", want: march},
		{value: "202603", want: march},
		{value: "13/2025", failure: true},
		{value: "2026-00", failure: true},
		{value: "202613", failure: true},
		{value: "2026-03-01", failure: true},
		{value: "3/2026", failure: true},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			r := &Reader{Values: url.Values{"month": {tt.value}}}
			assert.Equal(t, tt.want, r.Month("month"))
			if !tt.failure {
				assertFailure(t, r, nil)
				return
			}
			assertFailure(t, r, &Failure{Name: "month", Value: tt.value, Want: Month})
		})
	}
}

func TestReaderInstant(t *testing.T) {
	tests := []struct {
		name    string
		value   string
		end     bool
		want    time.Time
		failure bool
	}{
		{name: "blank", value: ""},
		{name: "RFC 3339", value: "2026-03-29T01:30:00Z", want: time.Date(2026, time.March, 29, 1, 30, 0, 0, time.UTC)},
		{name: "RFC 3339 with end", value: "2026-03-29T01:30:00+02:00", end: true,
			want: time.Date(2026, time.March, 28, 23, 30, 0, 0, time.UTC)},
		{name: "date start", value: "2026-01-15", want: time.Date(2026, time.January, 14, 23, 0, 0, 0, time.UTC)},
		{name: "date end", value: "15/01/2026", end: true, want: time.Date(2026, time.January, 15, 23, 0, 0, 0, time.UTC)},
		{name: "end before clock change", value: "2026-03-28", end: true,
			want: time.Date(2026, time.March, 28, 23, 0, 0, 0, time.UTC)},
		{name: "end on clock change", value: "2026-03-29", end: true,
			want: time.Date(2026, time.March, 29, 22, 0, 0, 0, time.UTC)},
		{name: "invalid", value: "2026-01-15T25:00:00Z", failure: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Reader{Values: url.Values{"from": {tt.value}}}
			got := r.Instant("from", tt.end)
			assert.True(t, tt.want.Equal(got), "got %v, want %v", got, tt.want)
			if !tt.failure {
				assertFailure(t, r, nil)
				return
			}
			assertFailure(t, r, &Failure{Name: "from", Value: tt.value, Want: Date})
		})
	}
}

func TestReaderPage(t *testing.T) {
	tests := []struct {
		name          string
		offset, limit string
		want          store.Page
		failure       *Failure
	}{
		{name: "defaults", want: store.Page{Limit: store.DefaultLimit}},
		{name: "zero limit", limit: "0", want: store.Page{Limit: store.DefaultLimit}},
		{name: "window", offset: "200", limit: "50", want: store.Page{Offset: 200, Limit: 50}},
		{name: "limit capped", limit: "1000000", want: store.Page{Limit: store.MaxLimit}},
		{name: "negative offset", offset: "-1", want: store.Page{Limit: store.DefaultLimit},
			failure: &Failure{Name: "offset", Value: "-1", Want: NonNegative}},
		{name: "invalid limit", limit: "all", want: store.Page{Limit: store.DefaultLimit},
			failure: &Failure{Name: "limit", Value: "all", Want: NonNegative}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Reader{Values: url.Values{"offset": {tt.offset}, "limit": {tt.limit}}}
			assert.Equal(t, tt.want, r.Page())
			assertFailure(t, r, tt.failure)
		})
	}
}

func TestReaderPageNumber(t *testing.T) {
	tests := []struct {
		name       string
		page, size string
		wantPage   int
		wantSize   int
		failure    *Failure
	}{
		{name: "defaults", wantPage: 1, wantSize: 100},
		{name: "third page", page: "3", size: "20", wantPage: 3, wantSize: 20},
		{name: "size capped", size: "5000", wantPage: 1, wantSize: 1000},
		{name: "last page without overflow", page: strconv.Itoa(math.MaxInt / 20), size: "20",
			wantPage: math.MaxInt / 20, wantSize: 20},
		{name: "offset overflow lowered", page: strconv.Itoa(math.MaxInt/20 + 1), size: "20",
			wantPage: math.MaxInt / 20, wantSize: 20},
		{name: "max int page", page: strconv.Itoa(math.MaxInt), wantPage: math.MaxInt / 100, wantSize: 100},
		{name: "page zero", page: "0", wantPage: 1, wantSize: 100,
			failure: &Failure{Name: "page", Value: "0", Want: Positive}},
		{name: "size zero", size: "0", wantPage: 1, wantSize: 100,
			failure: &Failure{Name: "size", Value: "0", Want: Positive}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Reader{Values: url.Values{"page": {tt.page}, "size": {tt.size}}}
			page, size := r.PageNumber(100, 1000)
			assert.Equal(t, tt.wantPage, page)
			assert.Equal(t, tt.wantSize, size)
			assertFailure(t, r, tt.failure)
		})
	}
}

func TestReaderFailuresInOrder(t *testing.T) {
	r := &Reader{Values: url.Values{"month": {"x"}, "size": {"-2"}}}
	r.Month("month")
	r.Fail("sort", "up", "want.sort")
	r.Positive("size", 10)
	want := []Failure{
		{Name: "month", Value: "x", Want: Month},
		{Name: "sort", Value: "up", Want: "want.sort"},
		{Name: "size", Value: "-2", Want: Positive},
	}
	assert.Equal(t, want, r.Failures)
	first, ok := r.First()
	require.True(t, ok)
	assert.Equal(t, want[0], first)
}

// assertFailure checks that r recorded exactly want, or nothing when want
// is nil.
func assertFailure(t *testing.T, r *Reader, want *Failure) {
	t.Helper()
	if want == nil {
		assert.Empty(t, r.Failures)
		assert.False(t, r.Failed())
		return
	}
	require.Len(t, r.Failures, 1)
	assert.Equal(t, *want, r.Failures[0])
	assert.True(t, r.Failed())
}
