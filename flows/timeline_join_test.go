package flows

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Measure.Timeline promises one *CurveError per problem in its joined
// error. A caller that unwraps one level, as the inspect command does,
// must find each bad slot on its own, not one error per curve element.
func TestTimelineJoinsFlatCurveErrors(t *testing.T) {
	bad := testCurve(ActiveEnergy, "31", "", 1, 96)
	bad.SetE(5, "1.234,567")
	bad.SetE(6, "")
	other := testCurve(ActiveEnergy, "30", "", 1, 96)
	other.SetE(7, "-0,500")
	m := &Measure{Curves: []Curve{bad, other}}

	_, err := m.Timeline(ActiveEnergy, civil.Month{Year: 2025, Month: time.January})
	require.Error(t, err)
	joined, ok := err.(interface{ Unwrap() []error })
	require.True(t, ok, "the error is a join")
	parts := joined.Unwrap()
	require.Len(t, parts, 3)
	var slots []int
	for _, e := range parts {
		var ce *CurveError
		require.True(t, errors.As(e, &ce))
		_, nested := e.(interface{ Unwrap() []error })
		assert.False(t, nested, "part %v is itself a join", e)
		slots = append(slots, ce.Slot)
	}
	assert.Equal(t, []int{5, 6, 7}, slots)
}
