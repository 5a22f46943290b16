package storetest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/server/store"
)

// testRejectedLoadsAgain checks that only a load that stored data makes a
// later copy a duplicate: the bytes of a rejected load load again, for
// example after the validation settings changed.
func testRejectedLoadsAgain(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "reload")
	data, _ := Original(88, 100)
	blocking := anomaly.List{{Code: "904", Severity: anomaly.Blocking, Message: "bad"}}
	rejected := load(t, s, co, "bad.xml", data, Header("PDO"), item{HourlyRecord(POD(1), jan2026, 1), blocking})
	require.Equal(t, store.StatusRejected, rejected.Status)

	again := load(t, s, co, "bad.xml", data, Header("PDO"), item{rec: HourlyRecord(POD(1), jan2026, 1)})
	assert.Equal(t, store.StatusLoaded, again.Status, "a rejected load does not make a duplicate")
	assert.Zero(t, again.DuplicateOf)
	assert.NotEqual(t, rejected.ID, again.ID)
	_, n, err := s.SearchRecords(ctx, store.RecordFilter{Company: co})
	require.NoError(t, err)
	assert.Equal(t, 1, n)

	// Once loaded, the same bytes are a duplicate of the load, not of the
	// rejected one.
	_, err = s.BeginLoad(ctx, info(co, "bad-copy.xml", data))
	var dup *store.DuplicateError
	require.ErrorAs(t, err, &dup)
	assert.Equal(t, again.ID, dup.Of)
}
