package flows_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
)

// Programs outside the module cannot import internal/civil, so the month a
// timeline needs must be reachable through package flows.
func TestMonthBuildableOutsideModule(t *testing.T) {
	m, err := flows.ParseMonthYear("10/2025")
	require.NoError(t, err)
	assert.Equal(t, flows.Month{Year: 2025, Month: time.October}, m)

	d, err := flows.ParseDate("26/10/2025")
	require.NoError(t, err)
	assert.Equal(t, flows.Date{Year: 2025, Month: time.October, Day: 26}, d)

	_, err = flows.ParseMonthYear("2025-10")
	assert.Error(t, err)
}
