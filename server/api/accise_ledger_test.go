package api

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/accise"
)

func TestMovementsJSONToCSV(t *testing.T) {
	items := `[{"company":"IT00TOE00001A","tax":"ee","area":"IT","date":"2026-03-16","kind":"credit","amount":6000.50,
		"note":"saldo;\na credito"},
		{"tax":"ee","amount":true},
		{"company":"IT00TOE00001A","tax":"ee","area":"IT","date":"2026-03-31","period":"2026-02","kind":"due","amount":"x"},
		{"company":"IT00TOE00001A","tax":"ee","area":"IT","date":"2026-04-30","period":"2026-03","kind":"due","amount":"12,30"}]`
	conv, err := movementsJSONToCSV([]byte(items))
	require.NoError(t, err)
	ms, bad, err := accise.ReadMovements(bytes.NewReader(conv.csv))
	require.NoError(t, err)
	require.Len(t, ms, 2)
	assert.Equal(t, "6000.5", ms[0].Amount.String())
	assert.Equal(t, "saldo;\na credito", ms[0].Note, "a separator and a line break inside a value are quoted")
	assert.Equal(t, "12.3", ms[1].Amount.String(), "a decimal comma in a string")

	require.Len(t, conv.rejected, 1)
	assert.Equal(t, 2, conv.rejected[0].Item, "an amount that is neither number nor text")
	rejected := rejectedMovements(bad, conv.items)
	require.Len(t, rejected, 1)
	assert.Equal(t, 3, rejected[0].Item, "the third item, after a note spanning two lines")
	assert.Equal(t, "amount", rejected[0].Column)
	assert.Equal(t, "x", rejected[0].Value)

	conv, err = movementsJSONToCSV([]byte(`[{"unknown":1}]`))
	require.NoError(t, err)
	assert.Len(t, conv.rejected, 1, "unknown field")
	_, err = movementsJSONToCSV([]byte(`{"company":"x"}`))
	assert.Error(t, err, "an object, not an array")
}

func TestValidClaimID(t *testing.T) {
	for id, want := range map[string]bool{"RC-1a2b3c4d": true, "2026.01_A": true, "": false, "..": false,
		"a/b": false, "a b": false, "abcdefghijabcdefghijabcdefghijabcdef": false} {
		assert.Equal(t, want, validClaimID(id), id)
	}
}

// FuzzMovementsJSON checks that no JSON body makes the movement upload
// panic and that every item converted is either read or reported.
func FuzzMovementsJSON(f *testing.F) {
	f.Add([]byte(`[{"company":"IT00TOE00001A","tax":"ee","area":"IT","date":"2026-03-16","kind":"credit","amount":"6000.00"}]`))
	f.Add([]byte(`[{"tax":"zz","amount":1e400,"note":"\u0000;\n\""}]`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"a":1}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) > 1<<14 {
			return
		}
		conv, err := movementsJSONToCSV(body)
		if err != nil {
			return
		}
		ms, bad, err := accise.ReadMovements(bytes.NewReader(conv.csv))
		if err != nil {
			t.Fatalf("the converted CSV has no usable header: %v\n%s", err, conv.csv)
		}
		for _, rm := range rejectedMovements(bad, conv.items) {
			if rm.Item == 0 {
				t.Fatalf("rejected row without its item: %+v\n%s", rm, conv.csv)
			}
		}
		if got := len(ms) + len(bad) + len(conv.rejected); got != len(conv.items)+len(conv.rejected) {
			t.Fatalf("%d items read or rejected, want %d", got, len(conv.items)+len(conv.rejected))
		}
	})
}
