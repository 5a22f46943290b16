package flows

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// XML 1.0 allows no control characters other than tab, line feed and
// carriage return, and requires well-formed UTF-8 everywhere. A POD or a
// value carrying a NUL byte would otherwise pass the length checks and
// reach a store that rejects it.
func TestDecodeRejectsForbiddenCharacters(t *testing.T) {
	const root = `<FlussoMisure CodFlusso="PDO">` + "\n"
	tests := []struct {
		name   string
		in     string
		line   int
		column int
	}{
		{"NUL in text", root + "<DatiPod><Pod>IT001E\x000000001</Pod></DatiPod></FlussoMisure>", 2, 21},
		{"escape in text", root + "<DatiPod><Pod>IT001E\x1b0000001</Pod></DatiPod></FlussoMisure>", 2, 21},
		{"NUL in CDATA", root + "<DatiPod><Pod><![CDATA[IT\x00]]></Pod></DatiPod></FlussoMisure>", 2, 26},
		{"NUL in text with a reference", root + "<DatiPod><Pod>IT&amp;\x00</Pod></DatiPod></FlussoMisure>", 2, 22},
		{"NUL in attribute", root + "<DatiPod><Misura><Ea E1=\"1,\x0000\">01</Ea></Misura></DatiPod></FlussoMisure>", 2, 28},
		{"NUL in header attribute", `<FlussoMisure CodFlusso="PD` + "\x00" + `O">`, 1, 28},
		{"invalid UTF-8 in attribute", root + "<DatiPod><Misura><Ea E1=\"1,\xff00\">01</Ea></Misura></DatiPod></FlussoMisure>", 2, 28},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := decodeAll([]byte(tc.in))
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrSyntax)
			var se *SyntaxError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, tc.line, se.Line, "line")
			assert.Equal(t, tc.column, se.Column, "column")
		})
	}
}

func TestDecodeKeepsTabAndLineEnds(t *testing.T) {
	in := "<FlussoMisure CodFlusso=\"PNO\">\n<DatiPod><Pod>\tIT001E00000001\r\n</Pod></DatiPod></FlussoMisure>"
	_, recs, err := decodeAll([]byte(in))
	require.NoError(t, err)
	require.Len(t, recs, 1)
	assert.Equal(t, "\tIT001E00000001\n", recs[0].POD.Text)
}
