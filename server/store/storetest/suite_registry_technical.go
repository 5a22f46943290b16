package storetest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/store"
)

// testRegistryTechnical checks that the technical data of a supply point
// survive a put, a replacement and a reopen, and stay with their company.
func testRegistryTechnical(t *testing.T, f Factory) {
	s, reopen := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "tech")
	putRegistry(t, s, co, POD(82))

	sp, err := s.SupplyPoint(ctx, co, POD(82))
	require.NoError(t, err)
	assert.Equal(t, store.SupplyTechnical{}, sp.Technical, "a point put without technical data has none")

	want := store.SupplyTechnical{Treatment: "F", ContractedPower: "3", AvailablePower: "3,3",
		Voltage: "230", MeterType: "2G"}
	sp.Technical = want
	require.NoError(t, s.PutSupplyPoint(ctx, sp))
	got, err := reopen(t).SupplyPoint(ctx, co, POD(82))
	require.NoError(t, err)
	assert.Equal(t, want, got.Technical)

	sp.Technical.ContractedPower = "4.5"
	sp.Technical.MeterType = ""
	require.NoError(t, s.PutSupplyPoint(ctx, sp))
	got, err = s.SupplyPoint(ctx, co, POD(82))
	require.NoError(t, err)
	assert.Equal(t, "4.5", got.Technical.ContractedPower)
	assert.Empty(t, got.Technical.MeterType, "a put replaces the whole point")

	other := company(t, s, "tech2")
	putRegistry(t, s, other, POD(82))
	theirs, err := s.SupplyPoint(ctx, other, POD(82))
	require.NoError(t, err)
	assert.Equal(t, store.SupplyTechnical{}, theirs.Technical, "another company's point with the same code is separate")
}
