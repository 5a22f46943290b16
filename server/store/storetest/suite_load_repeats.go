package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/store"
)

// testDuplicateRepeats checks that BeginLoad records a duplicate only of
// an earlier load that LoadInfo.Repeats accepts, passing it the earlier
// load's name and start, and loads the bytes again when it accepts none.
func testDuplicateRepeats(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "repeats")
	data, _ := Original(14, 2000)
	started := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	in := info(co, "a-march.xml", data)
	in.StartedAt = started
	tx, err := s.BeginLoad(ctx, in)
	require.NoError(t, err)
	_, err = tx.AddRecord(ctx, Header("PDO"), HourlyRecord(POD(9), jan2026, 9), nil)
	require.NoError(t, err)
	first, err := tx.Commit(ctx)
	require.NoError(t, err)

	// sameSuffix accepts an earlier load whose name ends like name after
	// its first hyphen, and records every call.
	type call struct {
		name    string
		started time.Time
	}
	var calls []call
	sameSuffix := func(name string) func(string, time.Time) bool {
		return func(prev string, prevStarted time.Time) bool {
			calls = append(calls, call{prev, prevStarted})
			_, a, _ := strings.Cut(name, "-")
			_, b, _ := strings.Cut(prev, "-")
			return a == b
		}
	}

	tests := []struct {
		name       string
		file       string
		nilRepeats bool
		dupOf      store.LoadID
	}{
		{"accepted repeat", "b-march.xml", false, first.ID},
		{"nil counts every load", "c-april.xml", true, first.ID},
		{"declined repeat loads again", "d-april.xml", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls = nil
			in := info(co, tt.file, data)
			if !tt.nilRepeats {
				in.Repeats = sameSuffix(tt.file)
			}
			tx, err := s.BeginLoad(ctx, in)
			if tt.dupOf != 0 {
				require.Error(t, err)
				assert.True(t, isDuplicate(err), "error %v is not a DuplicateError", err)
				var dup *store.DuplicateError
				require.ErrorAs(t, err, &dup)
				assert.Equal(t, tt.dupOf, dup.Of)
				assert.Equal(t, tt.file, dup.Load.Name)
				return
			}
			require.NoError(t, err)
			l, err := tx.Commit(ctx)
			require.NoError(t, err)
			assert.NotEqual(t, store.StatusDuplicate, l.Status)
			require.Len(t, calls, 1, "only the committed load that stored data is offered")
			assert.Equal(t, "a-march.xml", calls[0].name)
			assert.True(t, calls[0].started.Equal(started), "started %v, want %v", calls[0].started, started)
		})
	}

	// The load of the declined repeat now counts as an earlier load too.
	in = info(co, "e-april.xml", data)
	in.Repeats = sameSuffix("e-april.xml")
	_, err = s.BeginLoad(ctx, in)
	var dup *store.DuplicateError
	require.ErrorAs(t, err, &dup)
	assert.NotEqual(t, first.ID, dup.Of, "the April load is the one repeated")
}
