package sqlstore

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/server/store"
)

func TestPackSlotsRoundTrip(t *testing.T) {
	var c flows.Curve
	c.SetE(1, "0,000")
	c.SetE(2, "")
	c.SetE(4, "12,345")
	c.SetE(100, "1.000,5")
	slots, s := packCurve(&c)
	assert.Nil(t, s, "no S attribute, no S pack")
	got, err := unpackSlots(slots)
	require.NoError(t, err)
	require.Len(t, got, 100)
	want := []store.Slot{{N: 1, Text: "0,000", Set: true}, {N: 2, Text: "", Set: true}, {N: 3}, {N: 4, Text: "12,345", Set: true}}
	if diff := cmp.Diff(want, got[:4]); diff != "" {
		t.Errorf("slots 1-4 (-want +got):\n%s", diff)
	}
	assert.Equal(t, store.Slot{N: 100, Text: "1.000,5", Set: true}, got[99])
	for _, sl := range got[4:99] {
		assert.False(t, sl.Set, "E%d", sl.N)
	}
}

func TestPackCurveS(t *testing.T) {
	var c flows.Curve
	c.SetS(3, "7")
	_, s := packCurve(&c)
	got, err := unpackSlots(s)
	require.NoError(t, err)
	assert.Equal(t, []store.Slot{{N: 1}, {N: 2}, {N: 3, Text: "7", Set: true}, {N: 4}}, got)
}

func TestPackEmptyCurve(t *testing.T) {
	var c flows.Curve
	slots, _ := packCurve(&c)
	got, err := unpackSlots(slots)
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestUnpackSlotsInvalid(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"wrong version", []byte{2, 0}},
		{"length past end", []byte{packVersion, 5, 'a'}},
		{"truncated varint", []byte{packVersion, 0x80}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := unpackSlots(tc.in)
			assert.ErrorIs(t, err, errPacked)
		})
	}
}

func FuzzUnpackSlots(f *testing.F) {
	var c flows.Curve
	c.SetE(1, "1,000")
	c.SetE(3, "")
	good, _ := packCurve(&c)
	f.Add(good)
	f.Add([]byte{packVersion})
	f.Add([]byte{packVersion, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 4096 {
			return
		}
		slots, err := unpackSlots(b)
		if err != nil {
			return
		}
		// Whatever decodes must encode back to the same bytes.
		again := packSlots(len(slots), func(n int) (string, bool) {
			return slots[n-1].Text, slots[n-1].Set
		})
		if string(again) != string(b) {
			// Non-minimal varints decode but re-encode shorter; only a
			// changed slot list is a failure.
			back, err := unpackSlots(again)
			if err != nil || !cmp.Equal(back, slots) {
				t.Fatalf("round trip changed the slots: %v vs %v (%v)", slots, back, err)
			}
		}
	})
}

func TestRebindDollar(t *testing.T) {
	assert.Equal(t, "SELECT $1, $2 FROM t WHERE a = $3", RebindDollar("SELECT ?, ? FROM t WHERE a = ?"))
	assert.Equal(t, "SELECT 1", RebindDollar("SELECT 1"))
}

func TestReadMigrationsRejectsBadNames(t *testing.T) {
	_, err := readMigrations(fstestMap("init.sql"))
	assert.ErrorContains(t, err, "want a name like 0001_init.sql")
	_, err = readMigrations(fstestMap("0001_a.sql", "0001_b.sql"))
	assert.ErrorContains(t, err, "share version 1")
	migs, err := readMigrations(fstestMap("0002_b.sql", "0001_a.sql", "README.md"))
	require.NoError(t, err)
	require.Len(t, migs, 2)
	assert.Equal(t, 1, migs[0].version)
	assert.Equal(t, "0002_b.sql", migs[1].name)
}
