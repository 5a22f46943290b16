package store

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

func TestJSONOmitsZeroDateAndS(t *testing.T) {
	row, err := json.Marshal(RecordRow{POD: "IT001E00000001"})
	require.NoError(t, err)
	assert.NotContains(t, string(row), `"date"`, "an SMIS record has no competence date")
	assert.NotContains(t, string(row), "0000-00-00")

	row, err = json.Marshal(RecordRow{Date: civil.Date{Year: 2026, Month: 1, Day: 31}})
	require.NoError(t, err)
	assert.Contains(t, string(row), `"date":"2026-01-31"`)

	day, err := json.Marshal(CurveDay{KindName: "Ea", Slots: []Slot{{N: 1, Text: "1,000", Set: true}}})
	require.NoError(t, err)
	assert.NotContains(t, string(day), `"s"`, "a curve without S1..S4 carries no empty slots")

	var legacy CurveDay
	legacy.S[1] = Slot{N: 2, Text: "0,500", Set: true}
	day, err = json.Marshal(legacy)
	require.NoError(t, err)
	assert.Contains(t, string(day), `"s":[`)
}
