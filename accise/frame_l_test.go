package accise

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gasSummaryChapterRows are the rows of gas frame L by chapter: 1412
// (autotrazione) on rows 1-5 and 11, 1421 (combustione) on rows 6-10 and
// 12-15, as in the frame L of a public seller billing system for 2024.
var gasSummaryChapterRows = map[string][]int{
	ChapterVehicle:    {1, 2, 3, 4, 5, 11},
	ChapterCombustion: {6, 7, 8, 9, 10, 12, 13, 14, 15},
}

func TestGasFrameLLayoutChapters(t *testing.T) {
	def := DefaultLayout().Frame(Gas, "L")
	byChapter := map[string][]int{}
	for _, r := range def.Rows {
		require.NotZero(t, r.Row, "row %q", r.Key)
		byChapter[r.Chapter] = append(byChapter[r.Chapter], r.Row)
	}
	assert.Equal(t, gasSummaryChapterRows, byChapter)
}

func TestGasFrameLCombustionRows(t *testing.T) {
	c := computeYear(t)
	opts := yearOptions()
	decls, err := BuildGas(c, opts)
	require.NoError(t, err)
	seen := map[string]bool{}
	for _, d := range decls {
		byChapter := map[string]decimal.Decimal{}
		for _, f := range d.I {
			byChapter[f.Chapter] = byChapter[f.Chapter].Add(frameTotal(f))
		}
		for _, l := range d.L {
			seen[l.Chapter] = true
			for _, r := range l.Rows {
				assert.Contains(t, gasSummaryChapterRows[l.Chapter], r.Row, "chapter %s", l.Chapter)
			}
			liquidated, ok := DefaultLayout().Row(Gas, "L", l.Chapter+":liquidated")
			require.True(t, ok, "chapter %s", l.Chapter)
			amount, found := summaryAmount(l, liquidated.Row)
			require.True(t, found, "chapter %s row %d", l.Chapter, liquidated.Row)
			assert.True(t, byChapter[l.Chapter].Equal(amount), "chapter %s: frame I %s, frame L %s", l.Chapter, byChapter[l.Chapter], amount)
		}
	}
	assert.True(t, seen[ChapterCombustion], "the generated year has combustion gas")
	assert.True(t, seen[ChapterVehicle], "the generated year has vehicle gas")
}

func TestGasSettlementCombustionRow(t *testing.T) {
	c := computeYear(t)
	opts := yearOptions()
	decls, err := BuildGas(c, opts)
	require.NoError(t, err)
	settled, err := GasSettlements("FIE000123", decls, opts, ymd(2026, 3, 20), ScheduleOptions{})
	require.NoError(t, err)
	for _, d := range decls {
		for _, l := range d.L {
			row, _ := DefaultLayout().Row(Gas, "L", l.Chapter+":liquidated")
			want, _ := summaryAmount(l, row.Row)
			tax := TaxGasCombustion
			if l.Chapter == ChapterVehicle {
				tax = TaxGasVehicle
			}
			var got *Settlement
			for i := range settled {
				if settled[i].Account.Tax == tax && settled[i].Account.Area == opts.areaOfCode(l.Ambito) {
					got = &settled[i]
				}
			}
			require.NotNil(t, got, "settlement of chapter %s in %s", l.Chapter, l.Ambito)
			assert.True(t, want.Equal(got.Liquidated), "chapter %s: want %s, got %s", l.Chapter, want, got.Liquidated)
		}
	}
}

func summaryAmount(f SummaryFrame, row int) (decimal.Decimal, bool) {
	for _, r := range f.Rows {
		if r.Row == row {
			return r.Amount.Decimal, true
		}
	}
	return decimal.Zero, false
}
