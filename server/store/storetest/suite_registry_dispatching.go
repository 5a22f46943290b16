package storetest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testRegistryDispatching checks that the dispatching user, commercial
// counterparty and dispatching contract of a supply point survive a put,
// a replacement and a reopen, and stay with their company.
func testRegistryDispatching(t *testing.T, f Factory) {
	s, reopen := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "disp")
	putRegistry(t, s, co, POD(83))

	sp, err := s.SupplyPoint(ctx, co, POD(83))
	require.NoError(t, err)
	assert.Empty(t, sp.UdDVAT, "a point put without a dispatching user has none")
	assert.Empty(t, sp.CounterpartyVAT, "a point put without a counterparty has none")
	assert.Empty(t, sp.DispatchingContract, "a point put without a dispatching contract has none")

	sp.UdDVAT, sp.CounterpartyVAT, sp.DispatchingContract = "01234567897", "DE123456789", "DP0427"
	sp.Technical.Treatment = "O"
	require.NoError(t, s.PutSupplyPoint(ctx, sp))
	got, err := reopen(t).SupplyPoint(ctx, co, POD(83))
	require.NoError(t, err)
	assert.Equal(t, "01234567897", got.UdDVAT)
	assert.Equal(t, "DE123456789", got.CounterpartyVAT)
	assert.Equal(t, "DP0427", got.DispatchingContract)
	assert.Equal(t, "O", got.Technical.Treatment, "the technical data are kept alongside")
	assert.Equal(t, "09876543210", got.DistributorVAT)

	sp.CounterpartyVAT, sp.DispatchingContract = "12345678903", ""
	require.NoError(t, s.PutSupplyPoint(ctx, sp))
	got, err = s.SupplyPoint(ctx, co, POD(83))
	require.NoError(t, err)
	assert.Equal(t, "01234567897", got.UdDVAT)
	assert.Equal(t, "12345678903", got.CounterpartyVAT)
	assert.Empty(t, got.DispatchingContract, "a put replaces the whole point")

	other := company(t, s, "disp2")
	putRegistry(t, s, other, POD(83))
	theirs, err := s.SupplyPoint(ctx, other, POD(83))
	require.NoError(t, err)
	assert.Empty(t, theirs.UdDVAT, "another company's point with the same code is separate")
	assert.Empty(t, theirs.CounterpartyVAT, "another company's point with the same code is separate")
}
