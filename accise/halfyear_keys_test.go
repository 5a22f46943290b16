package accise

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
)

func TestHalfYearMonthlyDueKeys(t *testing.T) {
	c := computeHalfYear(t, generatedHalfYear())
	tests := []struct {
		key     string
		wantErr string
	}{
		{key: SummaryKey("IT", ChapterCombustion)},
		{key: SummaryKey("PA", ChapterVehicle)},
		{key: SummaryKey("IT", "1411")},
		{key: SummaryKey("FI", "ARISGAN")},
		{key: SummaryKey("PA", "IRS")},
		{key: SummaryKey("FI", ChapterCombustion), wantErr: "not an ambito"},
		{key: SummaryKey("XX", ChapterCombustion), wantErr: "not an ambito"},
		{key: SummaryKey("IT", "ARISGAN"), wantErr: "not a province"},
		{key: SummaryKey("IT", "1422"), wantErr: "chapter"},
		{key: "IT", wantErr: "chapter"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			opts := DeclareOptions{Year: 2026, Half: 1, SeatProvince: "FI",
				MonthlyDue: map[string]map[int]decimal.Decimal{tt.key: {1: dec("10")}}}
			_, errGas := BuildGas(c, opts)
			_, errElectricity := BuildElectricity(c, opts)
			if tt.wantErr == "" {
				assert.NoError(t, errGas)
				assert.NoError(t, errElectricity)
				return
			}
			assert.ErrorIs(t, errGas, ErrRegime)
			assert.ErrorContains(t, errGas, tt.wantErr)
			assert.ErrorIs(t, errElectricity, ErrRegime)
		})
	}
}
