package api

import (
	"net/url"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseAcciseRequestAmounts(t *testing.T) {
	tests := []struct {
		name        string
		query       url.Values
		monthly     map[string]map[int]string
		instalments map[string]string
		wantErr     string
	}{
		{name: "repeated monthly", query: url.Values{"monthly": {"IT/1421/1=1.00", "IT/1421/2=2.00,IT/1412/2=3.00"}},
			monthly: map[string]map[int]string{"IT/1421": {1: "1", 2: "2"}, "IT/1412": {2: "3"}}},
		{name: "repeated instalments", query: url.Values{"instalments": {"IT/1411=1.00", "TO/ARISGAN=2.50"}},
			instalments: map[string]string{"IT/1411": "1", "TO/ARISGAN": "2.5"}},
		{name: "monthly twice", query: url.Values{"monthly": {"IT/1421/1=1.00,IT/1421/1=2.00"}}, wantErr: "monthly"},
		{name: "monthly twice in two parameters", query: url.Values{"monthly": {"IT/1421/1=1.00", "IT/1421/1=1.00"}}, wantErr: "monthly"},
		{name: "instalments twice", query: url.Values{"instalments": {"IT/1411=1.00,IT/1411=1.00"}}, wantErr: "instalments"},
		{name: "monthly exponent", query: url.Values{"monthly": {"IT/1421/1=1e999999999"}}, wantErr: "monthly"},
		{name: "instalments exponent", query: url.Values{"instalments": {"IT/1411=1e999999999"}}, wantErr: "instalments"},
		{name: "monthly thousands point", query: url.Values{"monthly": {"IT/1421/1=2.500"}}, wantErr: "monthly"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := url.Values{"year": {"2026"}, "half": {"1"}, "excise_code": {"TOE000123"}, "seat": {"TO"}}
			for k, v := range tt.query {
				q[k] = v
			}
			p := &params{q: q}
			req := parseAcciseRequest(p, true)
			if tt.wantErr != "" {
				require.Error(t, p.err)
				assert.Contains(t, p.err.Error(), "invalid query parameter "+tt.wantErr+"=")
				return
			}
			require.NoError(t, p.err)
			if tt.monthly != nil {
				assert.Equal(t, tt.monthly, monthlyStrings(req.monthly))
			}
			if tt.instalments != nil {
				assert.Equal(t, tt.instalments, amountStrings(req.declare.InstalmentsDue))
			}
		})
	}
}

func TestParseAcciseRequestHalf(t *testing.T) {
	tests := []struct {
		half    string
		wantErr bool
	}{
		{"0", false}, {"1", false}, {"2", false}, {"-1", true}, {"3", true},
	}
	for _, tt := range tests {
		t.Run(tt.half, func(t *testing.T) {
			p := &params{q: url.Values{"year": {"2026"}, "half": {tt.half}}}
			parseAcciseRequest(p, false)
			if !tt.wantErr {
				assert.NoError(t, p.err)
				return
			}
			require.Error(t, p.err)
			assert.Contains(t, p.err.Error(), "invalid query parameter half=")
		})
	}
}

func amountStrings(m map[string]decimal.Decimal) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v.String()
	}
	return out
}

func monthlyStrings(m map[string]map[int]decimal.Decimal) map[string]map[int]string {
	out := map[string]map[int]string{}
	for k, months := range m {
		out[k] = map[int]string{}
		for month, v := range months {
			out[k][month] = v.String()
		}
	}
	return out
}
