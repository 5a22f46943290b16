package flows

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// manyAttrs returns n attributes named prefix0, prefix1, … with empty
// values, each preceded by a space.
func manyAttrs(prefix string, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, ` %s%d=""`, prefix, i)
	}
	return b.String()
}

// The scanner compared attribute names only on tags with at most eight
// attributes, so a root carrying CodFlusso twice among more attributes
// was accepted and the last value won.
func TestDecodeRejectsRepeatedAttributeOnLongTag(t *testing.T) {
	in := `<FlussoMisure CodFlusso="PDO"` + manyAttrs("a", 10) + ` CodFlusso="PNO"></FlussoMisure>`
	_, _, err := decodeAll([]byte(in))
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrSyntax)
	assert.Contains(t, err.Error(), "attribute CodFlusso repeated")
}

func TestDecodeRejectsRepeatedUnknownCurveAttribute(t *testing.T) {
	in := `<FlussoMisure CodFlusso="PDO"><DatiPod><Misura><Ea E1="1,000"` + manyAttrs("x", 50) +
		` x7="again">01</Ea></Misura></DatiPod></FlussoMisure>`
	_, _, err := decodeAll([]byte(in))
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrSyntax)
	assert.Contains(t, err.Error(), "attribute x7 repeated")
}

// A curve tag with many unknown attributes keeps them all, in order. The
// repeated-name check used to compare each one with all before it, so
// such a tag, well within the record size limit, took hours to decode.
func TestDecodeKeepsManyUnknownCurveAttributes(t *testing.T) {
	const n = 20000
	in := `<FlussoMisure CodFlusso="PDO"><DatiPod><Misura><Ea E1="1,000"` + manyAttrs("x", n) +
		`>01</Ea></Misura></DatiPod></FlussoMisure>`
	_, recs, err := decodeAll([]byte(in))
	require.NoError(t, err)
	require.Len(t, recs, 1)
	extra := recs[0].Measure.Curves[0].ExtraAttrs()
	require.Len(t, extra, n)
	assert.Equal(t, "x0", extra[0].Name)
	assert.Equal(t, fmt.Sprintf("x%d", n-1), extra[n-1].Name)
}

// Misura with many prefixed "type" attributes used to look up the
// namespace of each one among all attributes of the tag.
func TestDecodeManyPrefixedTypeAttributes(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 20000; i++ {
		fmt.Fprintf(&b, ` p%d:type="x"`, i)
	}
	in := `<FlussoMisure xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" CodFlusso="PDO"><DatiPod><Misura` +
		b.String() + ` xsi:type="DettaglioMisuraPDOv2Type"></Misura></DatiPod></FlussoMisure>`
	_, recs, err := decodeAll([]byte(in))
	require.NoError(t, err)
	require.Len(t, recs, 1)
	assert.Equal(t, "DettaglioMisuraPDOv2Type", recs[0].Measure.XSIType)
}

func BenchmarkDecodeManyCurveAttributes(b *testing.B) {
	data := []byte(`<FlussoMisure CodFlusso="PDO"><DatiPod><Misura><Ea E1="1,000"` + manyAttrs("x", 50000) +
		`>01</Ea></Misura></DatiPod></FlussoMisure>`)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, _, err := decodeAll(data); err != nil {
			b.Fatal(err)
		}
	}
}
