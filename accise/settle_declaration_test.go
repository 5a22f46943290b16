package accise

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSettlementsFromDeclarations(t *testing.T) {
	c := computeYear(t)
	opts := yearOptions()
	ee, err := BuildElectricity(c, opts)
	require.NoError(t, err)
	filed := ymd(2026, 3, 20)
	settled, err := ElectricitySettlements("FIE000123", ee, opts, filed, ScheduleOptions{})
	require.NoError(t, err)
	byArea := map[string]Settlement{}
	for _, s := range settled {
		byArea[s.Account.Area] = s
	}
	require.Contains(t, byArea, "IT", "the seat's province code maps back to its ambito")
	require.Contains(t, byArea, "PA")
	it := byArea["IT"]
	assert.Equal(t, "30000.00", it.InstalmentsDue.StringFixed(2))
	assert.True(t, it.Liquidated.Sub(it.InstalmentsDue).Equal(it.Debit.Sub(it.Credit)))
	assert.Equal(t, ymd(2026, 3, 31), it.Due, "the 2025 electricity balance may be paid by 31 March 2026")
	assert.Equal(t, NewInstalments(it.Liquidated), it.NewInstalments)

	gas, err := BuildGas(c, opts)
	require.NoError(t, err)
	gs, err := GasSettlements("FIE000123", gas, opts, filed, ScheduleOptions{})
	require.NoError(t, err)
	taxes := map[Tax]bool{}
	for _, s := range gs {
		taxes[s.Account.Tax] = true
		if s.Account.Tax.Regional() {
			assert.Equal(t, "FI", s.Account.Area)
			assert.Equal(t, ymd(2026, 3, 31), s.Due)
		}
	}
	assert.True(t, taxes[TaxGasCombustion])
	assert.True(t, taxes[TaxArisgan])
	assert.True(t, taxes[TaxIRS])
}

func TestSettleHalfYear(t *testing.T) {
	s, err := Settle(eeIT, 2026, 1, dec("30000"), dec("28000"), ymd(2026, 9, 10), ScheduleOptions{})
	require.NoError(t, err)
	assert.Equal(t, "2000.00", s.Debit.StringFixed(2))
	assert.Equal(t, ymd(2026, 9, 30), s.Due)
	assert.True(t, s.NewInstalments[0].IsZero(), "no instalments in the monthly regime")
	_, err = Settle(eeIT, 2026, 0, dec("1"), dec("0"), ymd(2027, 3, 1), ScheduleOptions{})
	assert.ErrorIs(t, err, ErrRegime)
}
