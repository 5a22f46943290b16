package itnum

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseNumeric(t *testing.T) {
	tests := []struct {
		in     string
		format Format
		want   string
		ok     bool
	}{
		{"0,000", Numeric6v3, "0", true},
		{"1,234", Numeric6v3, "1.234", true},
		{"999999,999", Numeric6v3, "999999.999", true},
		{"1000000,000", Numeric6v3, "", false},
		{"1000000,000", Numeric7v3, "1000000", true},
		{"123456789012,123", Numeric12v3, "123456789012.123", true},
		{"1.234,567", Numeric12v3, "", false},
		{"-0,500", Numeric6v3, "", false},
		{"0,5", Numeric6v3, "", false},
		{"00,500", Numeric6v3, "", false},
		{"1,2345", Numeric6v3, "", false},
		{"", Numeric6v3, "", false},
		{"12", Numeric6v3, "", false},
		{",500", Numeric6v3, "", false},
		{"1,5a0", Numeric6v3, "", false},
		{" 1,500", Numeric6v3, "", false},
		{"-1,500", Format{MaxIntDigits: 6, Decimals: 3, Signed: true}, "-1.5", true},
		{"+1,500", Format{MaxIntDigits: 6, Decimals: 3, Signed: true}, "", false},
		{"12", Format{MaxIntDigits: 3}, "12", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in, tt.format)
			if !tt.ok {
				require.Error(t, err)
				assert.True(t, errors.Is(err, ErrSyntax))
				var se *SyntaxError
				require.True(t, errors.As(err, &se))
				assert.Equal(t, tt.in, se.Value)
				return
			}
			require.NoError(t, err)
			assert.True(t, got.Equal(decimal.RequireFromString(tt.want)), "got %s", got)
		})
	}
}

func TestParseKeepsScale(t *testing.T) {
	d, err := Parse("1,500", Numeric6v3)
	require.NoError(t, err)
	assert.Equal(t, "1,500", FormatDecimal(d, 3))
	assert.Equal(t, int32(-3), d.Exponent())
}

func TestFormatDecimal(t *testing.T) {
	assert.Equal(t, "0,000", FormatDecimal(decimal.Zero, 3))
	assert.Equal(t, "12,346", FormatDecimal(decimal.RequireFromString("12.3455"), 3))
	assert.Equal(t, "-1,50", FormatDecimal(decimal.RequireFromString("-1.5"), 2))
}

func TestParseLoose(t *testing.T) {
	tests := map[string]string{
		"1.234,56":  "1234.56",
		"1234,56":   "1234.56",
		"1234.56":   "1234.56",
		"-12,5":     "-12.5",
		" 7 ":       "7",
		"1 234,5":   "1234.5",
		"0,0074988": "0.0074988",
	}
	for in, want := range tests {
		got, err := ParseLoose(in)
		require.NoError(t, err, in)
		assert.True(t, got.Equal(decimal.RequireFromString(want)), "%s: got %s", in, got)
	}
	for _, bad := range []string{"", "abc", "1e5", "1,2,3"} {
		_, err := ParseLoose(bad)
		assert.ErrorIs(t, err, ErrSyntax, bad)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"0,000", "1,234", "999999,999", "1.234,567", "-0,500", "0,5", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse(s, Numeric12v3)
		if err != nil {
			return
		}
		// A value that parses must format back to the same text.
		if got := FormatDecimal(d, 3); got != s {
			t.Fatalf("Parse(%q) formats back as %q", s, got)
		}
	})
}

func TestParseLooseRejectsOverlongInput(t *testing.T) {
	long := strings.Repeat("9", 1_000_000)
	_, err := ParseLoose(long)
	require.ErrorIs(t, err, ErrSyntax)
	var se *SyntaxError
	require.True(t, errors.As(err, &se))
	assert.Less(t, len(se.Value), 100, "the error must not carry the whole input")

	d, err := ParseLoose(strings.Repeat("9", MaxLooseLength))
	require.NoError(t, err)
	assert.Equal(t, MaxLooseLength, len(d.String()))
}
