package web

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// curveDay builds an Ea element of day with Dst part dst and the slots
// from..to set to n*10 Wh as kWh text.
func curveDay(day civil.Date, dst string, from, to int, load store.LoadID) store.CurveDay {
	d := store.CurveDay{RecordRef: store.RecordRef{Load: load, Seq: 1}, KindName: "Ea", Kind: flows.ActiveEnergy, Day: day, Dst: &dst}
	part, _ := strconv.Atoi(dst)
	for n := 1; n <= to; n++ {
		s := store.Slot{N: n}
		if n >= from {
			s.Set = true
			s.Text = fmt.Sprintf("%d,%03d", n/100, n*10%1000)
			s.Start, _ = store.SlotStart(day, part, n)
		}
		d.Slots = append(d.Slots, s)
	}
	return d
}

// clockChangeDays are the elements of a normal, a spring and an autumn day
// as the flows write them.
func clockChangeDays() map[string][]store.CurveDay {
	normal := civil.Date{Year: 2025, Month: time.October, Day: 15}
	spring := civil.Date{Year: 2025, Month: time.March, Day: 30}
	autumn := civil.Date{Year: 2025, Month: time.October, Day: 26}
	springDay := curveDay(spring, "1", 1, 96, 1)
	for i := 8; i < 12; i++ {
		springDay.Slots[i] = store.Slot{N: i + 1}
	}
	return map[string][]store.CurveDay{
		"normal": {curveDay(normal, "0", 1, 96, 1)},
		"spring": {springDay},
		"autumn": {curveDay(autumn, "2", 1, 12, 1), curveDay(autumn, "3", 9, 96, 1)},
	}
}

func TestChartPointsOnRealInstants(t *testing.T) {
	cats, err := loadCatalogs()
	require.NoError(t, err)
	l := &locale{Lang: "it", cat: cats["it"]}
	want := map[string]int{"normal": 96, "spring": 92, "autumn": 100}
	for name, days := range clockChangeDays() {
		t.Run(name, func(t *testing.T) {
			day := days[0].Day
			pts := curvePoints(days, "Ea")
			require.Len(t, pts, want[name])
			for i := 1; i < len(pts); i++ {
				assert.Equal(t, 15*time.Minute, pts[i].Start.Sub(pts[i-1].Start), "point %d follows the previous by a quarter-hour", i)
			}
			c := buildChart(pts, day.Midnight(civil.Rome), day.AddDays(1).Midnight(civil.Rome), l, "02/01")
			assert.Len(t, c.Series, 1, "no gap in the line")
			assert.Equal(t, want[name], len(strings.Fields(c.Series[0])))

			var b strings.Builder
			fmt.Fprintf(&b, "points %d\n", c.Points)
			for _, tk := range c.XTicks {
				fmt.Fprintf(&b, "x %.1f %s\n", tk.Pos, tk.Label)
			}
			for _, tk := range c.YTicks {
				fmt.Fprintf(&b, "y %.1f %s\n", tk.Pos, tk.Label)
			}
			fmt.Fprintf(&b, "series %s\n", c.Series[0])
			golden := filepath.Join("testdata", "chart-"+name+".golden")
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(b.String()), 0o644))
			}
			expected, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -update to write %s", golden)
			assert.Equal(t, string(expected), b.String())
		})
	}
}

func TestCurvePointsNewestLoadWins(t *testing.T) {
	day := civil.Date{Year: 2025, Month: time.October, Day: 15}
	older := curveDay(day, "0", 1, 96, 1)
	newer := curveDay(day, "0", 1, 96, 2)
	newer.Slots[0].Text = "9,999"
	pts := curvePoints([]store.CurveDay{older, newer}, "Ea")
	require.Len(t, pts, 96)
	assert.Equal(t, "9,999", pts[0].Text)
	assert.Equal(t, store.LoadID(2), pts[0].Load)
}

func TestDayTotalsSplitAtRomeMidnight(t *testing.T) {
	days := clockChangeDays()
	pts := curvePoints(append(days["autumn"], curveDay(civil.Date{Year: 2025, Month: time.October, Day: 27}, "0", 1, 96, 1)), "Ea")
	totals := dayTotals(pts)
	require.Len(t, totals, 2)
	assert.Equal(t, 100, totals[0].Quarters)
	assert.Equal(t, 96, totals[1].Quarters)
	assert.Equal(t, "0,960", totals[1].Max)
}
