package flows

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const smallPod = `<DatiPod><Pod>IT001E00000001</Pod></DatiPod>`

func decodeWithLimit(in string, limit int) ([]*Record, *Decoder, error) {
	d := NewDecoderOptions(bytes.NewReader([]byte(in)), DecoderOptions{MaxRecordBytes: limit})
	var recs []*Record
	for {
		r, err := d.Next()
		if err != nil {
			return recs, d, err
		}
		recs = append(recs, r)
	}
}

// Unknown elements directly under the root were kept without bound, so a
// 200 MB file made of one unknown element after the last DatiPod used
// 840 MB. They now share one budget of MaxRecordBytes.
func TestDecodeBoundsTrailingUnknownElements(t *testing.T) {
	in := `<FlussoMisure CodFlusso="PNO">` + smallPod + strings.Repeat("<x/>", 600) + `</FlussoMisure>`
	recs, _, err := decodeWithLimit(in, 1024)
	require.ErrorIs(t, err, ErrTooLarge)
	assert.Contains(t, err.Error(), "outside the DatiPod records")
	assert.Len(t, recs, 1, "the record before them is returned")
}

func TestDecodeBoundsOneLargeTrailingElement(t *testing.T) {
	in := `<FlussoMisure CodFlusso="PNO">` + smallPod + `<x>` + strings.Repeat("<y/>", 600) + `</x></FlussoMisure>`
	_, _, err := decodeWithLimit(in, 1024)
	require.ErrorIs(t, err, ErrTooLarge)
}

func TestDecodeBoundsHeader(t *testing.T) {
	in := `<FlussoMisure CodFlusso="PNO"><IdentificativiFlusso>` + strings.Repeat("<x/>", 600) +
		`</IdentificativiFlusso>` + smallPod + `</FlussoMisure>`
	_, _, err := decodeWithLimit(in, 1024)
	require.ErrorIs(t, err, ErrTooLarge)

	in = `<FlussoMisure CodFlusso="PNO">` + strings.Repeat("<x/>", 600) + smallPod + `</FlussoMisure>`
	_, _, err = decodeWithLimit(in, 1024)
	require.ErrorIs(t, err, ErrTooLarge)
}

// Records do not count against the budget of the elements around them.
func TestDecodeOutsideBudgetExcludesRecords(t *testing.T) {
	in := `<FlussoMisure CodFlusso="PNO"><x/>` + strings.Repeat(smallPod+"\n", 100) + `<y/></FlussoMisure>`
	recs, d, err := decodeWithLimit(in, 1024)
	require.EqualError(t, err, "EOF")
	assert.Len(t, recs, 100)
	require.Len(t, d.TrailingExtra(), 1)
	assert.Equal(t, "<y/>", d.TrailingExtra()[0].XML)
}
