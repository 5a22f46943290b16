package web

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/internal/itnum"
	"github.com/bludispatcher/dispatcher/server/store"
)

// Chart geometry in SVG user units.
const (
	chartWidth   = 960
	chartHeight  = 320
	chartLeft    = 70
	chartRight   = 10
	chartTop     = 24
	chartBottom  = 40
	quarterHour  = 15 * time.Minute
	plotWidth    = chartWidth - chartLeft - chartRight
	plotHeight   = chartHeight - chartTop - chartBottom
	yTickCount   = 4
	hourLabelGap = 3
)

// curvePoint is one quarter-hour of the chart: its real start instant and
// its value.
type curvePoint struct {
	Start time.Time
	Text  string
	Value decimal.Decimal
	Load  store.LoadID
	Dst   string
}

// chart is a server-rendered SVG line chart of quarter-hours. The x axis
// is real time, so a spring day spans 23 hours and an autumn day 25.
type chart struct {
	Width, Height int
	// Series are the polylines' points attributes; a missing quarter-hour
	// starts a new series, so no line bridges a gap.
	Series                   []string
	Points                   int
	XTicks                   []tick
	YTicks                   []tick
	Left, Top, Right, Bottom int
}

// tick is an axis grid line with an optional label.
type tick struct {
	Pos   float64
	Label string
}

// curvePoints returns the set quarter-hours of kind in days, ordered by
// start instant. When two loads give the same instant the newer one wins.
func curvePoints(days []store.CurveDay, kind string) []curvePoint {
	var pts []curvePoint
	for i := range days {
		d := &days[i]
		if d.KindName != kind {
			continue
		}
		dst := ""
		if d.Dst != nil {
			dst = *d.Dst
		}
		for _, s := range d.Slots {
			if !s.Set || s.Start.IsZero() || s.Text == "" {
				continue
			}
			v, ok := parseComma(s.Text)
			if !ok {
				continue
			}
			pts = append(pts, curvePoint{Start: s.Start, Text: s.Text, Value: v, Load: d.Load, Dst: dst})
		}
	}
	slices.SortStableFunc(pts, func(a, b curvePoint) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return int(b.Load - a.Load)
	})
	return slices.CompactFunc(pts, func(a, b curvePoint) bool { return a.Start.Equal(b.Start) })
}

// buildChart draws pts over the real interval [from, to). Day charts get
// an hour grid labelled every three wall-clock hours; longer ones a grid
// at every Europe/Rome midnight labelled with dayLayout.
func buildChart(pts []curvePoint, from, to time.Time, l *locale, dayLayout string) chart {
	c := chart{Width: chartWidth, Height: chartHeight, Points: len(pts),
		Left: chartLeft, Top: chartTop, Right: chartWidth - chartRight, Bottom: chartHeight - chartBottom}
	span := to.Sub(from).Seconds()
	if span <= 0 {
		return c
	}
	maxValue := decimal.Zero
	for _, p := range pts {
		if p.Value.GreaterThan(maxValue) {
			maxValue = p.Value
		}
	}
	// Float64 only places points on the drawing; values stay decimal.
	top := maxValue.InexactFloat64()
	if top <= 0 {
		top = 1
	}
	x := func(t time.Time) float64 { return chartLeft + t.Sub(from).Seconds()/span*plotWidth }
	y := func(v float64) float64 { return chartTop + plotHeight - v/top*plotHeight }

	var b []byte
	var prev time.Time
	for i, p := range pts {
		if i > 0 && p.Start.Sub(prev) != quarterHour {
			c.Series = append(c.Series, string(b))
			b = b[:0]
		}
		if len(b) > 0 {
			b = append(b, ' ')
		}
		// Each quarter-hour is drawn at its middle instant.
		b = strconv.AppendFloat(b, x(p.Start.Add(quarterHour/2)), 'f', 1, 64)
		b = append(b, ',')
		b = strconv.AppendFloat(b, y(p.Value.InexactFloat64()), 'f', 1, 64)
		prev = p.Start
	}
	if len(b) > 0 {
		c.Series = append(c.Series, string(b))
	}

	for i := 0; i <= yTickCount; i++ {
		v := maxValue.Mul(decimal.NewFromInt(int64(i))).Div(decimal.NewFromInt(yTickCount))
		c.YTicks = append(c.YTicks, tick{Pos: y(v.InexactFloat64()), Label: l.Num(itnum.FormatDecimal(v, 3))})
	}
	if to.Sub(from) <= 25*time.Hour {
		c.XTicks = hourTicks(from, to, x, l)
	} else {
		c.XTicks = dayTicks(from, to, x, dayLayout)
	}
	return c
}

// hourTicks puts a grid line at every real hour and labels the ones whose
// Europe/Rome wall clock is a multiple of three hours, each clock reading
// once (the repeated autumn hour is labelled on its first pass).
func hourTicks(from, to time.Time, x func(time.Time) float64, l *locale) []tick {
	var out []tick
	seen := map[string]bool{}
	for t := from; !t.After(to); t = t.Add(time.Hour) {
		local := t.In(civil.Rome)
		label := ""
		clock := local.Format("15:04")
		if local.Hour()%hourLabelGap == 0 && !seen[clock] {
			label = clock
			seen[clock] = true
		}
		out = append(out, tick{Pos: x(t), Label: label})
	}
	return out
}

// dayTicks puts a grid line at every Europe/Rome midnight. A month labels
// every third day, so that the labels do not overlap.
func dayTicks(from, to time.Time, x func(time.Time) float64, layout string) []tick {
	var out []tick
	step := 1
	if to.Sub(from) > 16*24*time.Hour {
		step = 3
	}
	d := civil.DateOf(from.In(civil.Rome))
	for i, t := 0, d.Midnight(civil.Rome); t.Before(to); i++ {
		tk := tick{Pos: x(t)}
		if i%step == 0 {
			tk.Label = t.In(civil.Rome).Format(layout)
		}
		out = append(out, tk)
		d = d.AddDays(1)
		t = d.Midnight(civil.Rome)
	}
	return out
}

// dayTotal is one day of a week or month chart's table.
type dayTotal struct {
	Day      civil.Date
	Quarters int
	Total    string
	Max      string
}

// dayTotals sums pts per Europe/Rome day.
func dayTotals(pts []curvePoint) []dayTotal {
	var out []dayTotal
	var sum, peak decimal.Decimal
	flush := func(d civil.Date, n int) {
		out = append(out, dayTotal{Day: d, Quarters: n, Total: itnum.FormatDecimal(sum, 3), Max: itnum.FormatDecimal(peak, 3)})
	}
	var day civil.Date
	n := 0
	for _, p := range pts {
		d := civil.DateOf(p.Start.In(civil.Rome))
		if d != day && n > 0 {
			flush(day, n)
			sum, peak, n = decimal.Zero, decimal.Zero, 0
		}
		day = d
		n++
		sum = sum.Add(p.Value)
		if p.Value.GreaterThan(peak) {
			peak = p.Value
		}
	}
	if n > 0 {
		flush(day, n)
	}
	return out
}

// sumPoints returns the total of pts with three decimals.
func sumPoints(pts []curvePoint) string {
	sum := decimal.Zero
	for _, p := range pts {
		sum = sum.Add(p.Value)
	}
	return itnum.FormatDecimal(sum, 3)
}

// curveKindNames are the curve elements in their order in a Misura.
var curveKindNames = []string{"Ea", "Er", "Erc", "Eri"}

// curveKinds lists the curve kinds present in days, in element order.
func curveKinds(days []store.CurveDay) []string {
	seen := map[string]bool{}
	for _, d := range days {
		seen[d.KindName] = true
	}
	var out []string
	for _, k := range curveKindNames {
		if seen[k] {
			out = append(out, k)
		}
	}
	return out
}

// parseComma reads a number as the flows write it: digits with a decimal
// comma, such as "1,740". Values that do not parse are left off the chart
// (the validator reports them as anomalies).
func parseComma(s string) (decimal.Decimal, bool) {
	if strings.Contains(s, ".") {
		return decimal.Decimal{}, false
	}
	d, err := decimal.NewFromString(strings.Replace(s, ",", ".", 1))
	return d, err == nil
}
