package storetest

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/store"
)

// testRegistryPODKey checks that SupplyPointByPODKey finds a supply point
// stored with 14 or 15 characters by its first 14, reports two points
// that share them as ambiguous, and stays within its company.
func testRegistryPODKey(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "podkey")
	putRegistry(t, s, co, POD(90))
	for _, code := range []string{POD(91) + "A", POD(92) + "A", POD(92) + "B", POD(93), POD(93) + "C"} {
		p, err := s.SupplyPoint(ctx, co, POD(90))
		require.NoError(t, err)
		p.Code = code
		require.NoError(t, s.PutSupplyPoint(ctx, p))
	}
	other := company(t, s, "podkey2")
	putRegistry(t, s, other, POD(94)+"D")

	tests := []struct {
		name, key, code string
		err             error
	}{
		{"14 characters stored", POD(90), POD(90), nil},
		{"15 characters stored", POD(91), POD(91) + "A", nil},
		{"two with a 15th character", POD(92), "", store.ErrAmbiguous},
		{"14 and 15 characters stored", POD(93), "", store.ErrAmbiguous},
		{"none stored", POD(95), "", store.ErrNotFound},
		{"another company's point", POD(94), "", store.ErrNotFound},
		{"lower case", "it001e00000091", POD(91) + "A", nil},
		{"15-character key", POD(91) + "A", "", store.ErrInvalid},
		{"13-character key", POD(91)[:13], "", store.ErrInvalid},
		{"empty key", "", "", store.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.SupplyPointByPODKey(ctx, co, tt.key)
			if tt.err != nil {
				require.Error(t, err)
				assert.True(t, errors.Is(err, tt.err), "error %v is not %v", err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.code, got.Code)
			assert.Equal(t, co, got.Company)
			assert.Equal(t, "S1", got.Site, "the whole supply point is returned")
			assert.Equal(t, "09876543210", got.DistributorVAT)
		})
	}

	_, err := s.SupplyPointByPODKey(ctx, co, POD(92))
	assert.ErrorContains(t, err, POD(92)+"A, "+POD(92)+"B", "the error names every code found")
}
