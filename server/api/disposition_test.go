package api

import (
	"mime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestContentDisposition(t *testing.T) {
	cases := []struct {
		name, file, header string
	}{
		{"plain", "01234567890_12345678901_201301_PNO_20130218060523_1DP0001_R.xml",
			"attachment; filename=01234567890_12345678901_201301_PNO_20130218060523_1DP0001_R.xml"},
		{"space", "a b.xml", `attachment; filename="a b.xml"`},
		{"quote and backslash", `a"b\c.xml`,
			"attachment; filename=a_b_c.xml; filename*=UTF-8''a%22b%5Cc.xml"},
		{"header injection", "a\r\nSet-Cookie: x.xml",
			`attachment; filename="a__Set-Cookie: x.xml"; filename*=UTF-8''a%0D%0ASet-Cookie%3A%20x.xml`},
		{"non-ASCII", "misure_perù.xml",
			"attachment; filename=misure_per_.xml; filename*=UTF-8''misure_per%C3%B9.xml"},
		{"empty", "", "attachment; filename=original; filename*=UTF-8''"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := ContentDisposition(tc.file)
			assert.Equal(t, tc.header, got)
			assert.NotContains(t, got, "\r")
			assert.NotContains(t, got, "\n")
			_, params, err := mime.ParseMediaType(got)
			require.NoError(t, err)
			if tc.file != "" {
				assert.Equal(t, tc.file, params["filename"], "filename* decodes to the exact name")
			}
		})
	}
}

// FuzzContentDisposition checks that any file name yields one header line
// that parses back to the same name.
func FuzzContentDisposition(f *testing.F) {
	for _, seed := range []string{"a.xml", `a"b\c.xml`, "a\r\nb", "perù.zip", "", "\xff\xfe.xml"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if len(name) > 1024 {
			return
		}
		got := ContentDisposition(name)
		if strings.ContainsAny(got, "\r\n") {
			t.Fatalf("header %q contains a line break", got)
		}
		_, params, err := mime.ParseMediaType(got)
		if err != nil {
			t.Fatalf("header %q does not parse: %v", got, err)
		}
		if name != "" && utf8.ValidString(name) && params["filename"] != name {
			t.Fatalf("header %q gives filename %q, want %q", got, params["filename"], name)
		}
	})
}
