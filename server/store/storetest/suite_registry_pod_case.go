package storetest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testRegistryPODCase checks that PutSupplyPoint stores a code upper-cased
// with its registry entry, so that exact and POD-key lookups in any case
// find it and a second put in another case replaces the same point.
func testRegistryPODCase(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "podcase")
	putRegistry(t, s, co, POD(96))
	tests := []struct {
		name, put, stored string
	}{
		{"lower case", strings.ToLower(POD(97)), POD(97)},
		{"mixed case", "It001e00000098", POD(98)},
		{"lower 15th character", POD(99) + "b", POD(99) + "B"},
		{"upper case", POD(100), POD(100)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := s.SupplyPoint(ctx, co, POD(96))
			require.NoError(t, err)
			p.Code = tt.put
			require.NoError(t, s.PutSupplyPoint(ctx, p))

			for _, code := range []string{tt.put, tt.stored, strings.ToLower(tt.stored)} {
				got, err := s.SupplyPoint(ctx, co, code)
				require.NoError(t, err, "lookup by %q", code)
				assert.Equal(t, tt.stored, got.Code, "lookup by %q", code)
			}
			byKey, err := s.SupplyPointByPODKey(ctx, co, strings.ToLower(tt.stored[:14]))
			require.NoError(t, err)
			assert.Equal(t, tt.stored, byKey.Code)
			entries, err := s.RegistryEntries(ctx, co, tt.stored)
			require.NoError(t, err)
			require.Len(t, entries, 1, "the registry entry is keyed by the upper-cased code")
			assert.Equal(t, "S1", entries[0].SiteCode)

			// A put in upper case replaces the point rather than adding one.
			p.Code, p.BillingContractKey = tt.stored, "CT-2"
			require.NoError(t, s.PutSupplyPoint(ctx, p))
			got, err := s.SupplyPoint(ctx, co, tt.put)
			require.NoError(t, err)
			assert.Equal(t, "CT-2", got.BillingContractKey)
			byKey, err = s.SupplyPointByPODKey(ctx, co, tt.stored[:14])
			require.NoError(t, err, "one point per code, not one per case")
			assert.Equal(t, tt.stored, byKey.Code)
		})
	}
}
