package flows

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func decodeWithNodes(in string, nodes int) ([]*Record, *Decoder, error) {
	d := NewDecoderOptions(strings.NewReader(in), DecoderOptions{MaxRecordNodes: nodes})
	var recs []*Record
	for {
		r, err := d.Next()
		if err != nil {
			return recs, d, err
		}
		recs = append(recs, r)
	}
}

// Tiny elements and attributes cost far more memory decoded than in the
// file: a 48 MB DatiPod of twelve million empty elements took 1.5 GB
// within the byte limit. Their number is now bounded too.
func TestDecodeBoundsNodesOfRecord(t *testing.T) {
	in := `<FlussoMisure CodFlusso="PNO"><DatiPod><Pod>IT001E00000001</Pod>` + strings.Repeat("<x/>", 200) + `</DatiPod></FlussoMisure>`
	_, _, err := decodeWithNodes(in, 100)
	require.ErrorIs(t, err, ErrTooLarge)
	assert.Contains(t, err.Error(), "more than 100 elements and attributes")

	in = `<FlussoMisure CodFlusso="PNO"><DatiPod><Misura><Ea` + manyAttrs("x", 200) + `>01</Ea></Misura></DatiPod></FlussoMisure>`
	_, _, err = decodeWithNodes(in, 100)
	require.ErrorIs(t, err, ErrTooLarge)
}

func TestDecodeBoundsNodesOutsideRecords(t *testing.T) {
	in := `<FlussoMisure CodFlusso="PNO">` + smallPod + strings.Repeat("<x/>", 200) + `</FlussoMisure>`
	recs, _, err := decodeWithNodes(in, 100)
	require.ErrorIs(t, err, ErrTooLarge)
	assert.Contains(t, err.Error(), "outside the DatiPod records with more than 100 elements and attributes")
	assert.Len(t, recs, 1)

	in = `<FlussoMisure CodFlusso="PNO">` + strings.Repeat("<x/>", 200) + smallPod + `</FlussoMisure>`
	_, _, err = decodeWithNodes(in, 100)
	require.ErrorIs(t, err, ErrTooLarge)
}

func TestDecodeNodeBoundPerRecord(t *testing.T) {
	in := `<FlussoMisure CodFlusso="PNO">` + strings.Repeat(smallPod, 300) + `</FlussoMisure>`
	recs, _, err := decodeWithNodes(in, 10)
	require.EqualError(t, err, "EOF")
	assert.Len(t, recs, 300, "each record has two elements")
}
