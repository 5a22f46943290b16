package api

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParamsErrorText pins the error text of each expected form, which
// clients see in the error field of a 400 response.
func TestParamsErrorText(t *testing.T) {
	tests := []struct {
		name  string
		query url.Values
		read  func(p *params)
		want  string
	}{
		{name: "negative offset", query: url.Values{"offset": {"-1"}}, read: func(p *params) { p.page() },
			want: `invalid query parameter offset="-1": want a non-negative integer`},
		{name: "bool", query: url.Values{"all": {" yes "}}, read: func(p *params) { p.bool("all", false) },
			want: `invalid query parameter all="yes": want true or false`},
		{name: "date", query: url.Values{"on": {"2025-02-29"}}, read: func(p *params) { p.date("on") },
			want: `invalid query parameter on="2025-02-29": want a date as yyyy-mm-dd or dd/mm/yyyy`},
		{name: "reversed range", query: url.Values{"from": {"2026-02-01"}, "to": {"31/01/2026"}}, read: func(p *params) { p.dateRange() },
			want: `invalid query parameter to="31/01/2026": want a date not before from`},
		{name: "month", query: url.Values{"month": {"13/2025"}}, read: func(p *params) { p.month("month") },
			want: `invalid query parameter month="13/2025": want a month as yyyy-mm, mm/yyyy or yyyymm`},
		{name: "instant", query: url.Values{"from": {"2026-01-01T25:00:00Z"}}, read: func(p *params) { p.instant("from", false) },
			want: `invalid query parameter from="2026-01-01T25:00:00Z": want a date as yyyy-mm-dd or dd/mm/yyyy`},
		{name: "id", read: func(p *params) { p.id("load", "0") },
			want: `invalid query parameter load="0": want a positive integer`},
		{name: "own check", read: func(p *params) { p.fail("format", "xml", "json or csv") },
			want: `invalid query parameter format="xml": want json or csv`},
		{name: "first failure kept", query: url.Values{"limit": {"x"}, "on": {"y"}},
			read: func(p *params) { p.date("on"); p.page(); p.fail("format", "xml", "json or csv") },
			want: `invalid query parameter on="y": want a date as yyyy-mm-dd or dd/mm/yyyy`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &params{q: tt.query}
			tt.read(p)
			require.Error(t, p.err)
			assert.Equal(t, tt.want, p.err.Error())
		})
	}
}

func TestParamsValidLeavesNoError(t *testing.T) {
	p := &params{q: url.Values{"offset": {"10"}, "all": {"true"}, "month": {"2026-03"}, "from": {"2026-01-01"}}}
	p.page()
	p.bool("all", false)
	p.month("month")
	p.dateRange()
	p.instant("from", false)
	p.id("load", "12")
	assert.NoError(t, p.err)
}
