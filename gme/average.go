package gme

import (
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// AverageDecimals is the number of decimals of computed averages, as in
// the GME files.
const AverageDecimals = 6

// Curve is a consumption curve used to weight prices.
type Curve interface {
	// EnergyBetween returns the energy in kWh consumed in [start, end);
	// ok is false when the curve has no data for that interval.
	EnergyBetween(start, end time.Time) (kWh decimal.Decimal, ok bool)
}

// Interval is the energy of one metering interval starting at Start.
type Interval struct {
	Start time.Time
	KWh   decimal.Decimal
}

// IntervalCurve is a Curve made of metering intervals sorted by Start. Its
// intervals must be as long as the price intervals or shorter (an hourly
// curve weights hourly prices, a quarter-hour curve weights both).
type IntervalCurve []Interval

// NewIntervalCurve returns the intervals as a curve, sorted by start.
func NewIntervalCurve(intervals []Interval) IntervalCurve {
	c := make(IntervalCurve, len(intervals))
	copy(c, intervals)
	sort.Slice(c, func(i, j int) bool { return c[i].Start.Before(c[j].Start) })
	return c
}

// EnergyBetween sums the intervals that start in [start, end).
func (c IntervalCurve) EnergyBetween(start, end time.Time) (decimal.Decimal, bool) {
	i := sort.Search(len(c), func(i int) bool { return !c[i].Start.Before(start) })
	sum := decimal.Zero
	found := false
	for ; i < len(c) && c[i].Start.Before(end); i++ {
		sum = sum.Add(c[i].KWh)
		found = true
	}
	return sum, found
}

// AveragerOptions choose the price series and the month to average.
type AveragerOptions struct {
	// Month is the calendar month averaged; records of other days are
	// ignored.
	Month civil.Month
	// Kind is the price resolution: KindPrices (hourly, the default) or
	// KindPrices15. Records of the other kind are ignored, so that a month
	// holding both files is not counted twice.
	Kind Kind
	// Market is the market code, "MGP" when empty.
	Market string
	// Series is the field averaged, "PUN" when empty; a zone name such as
	// "NORD" averages that zonal price.
	Series string
	// Curve, when set, weights each price by the energy of its interval;
	// when nil the averages are arithmetic.
	Curve Curve
}

// Average is the mean price of one band.
type Average struct {
	// Value is the mean in €/MWh, rounded to AverageDecimals; valid only
	// when Set is true.
	Value decimal.Decimal
	// Set reports whether the band had any price (and, when weighted, any
	// consumption).
	Set bool
	// Count is the number of price intervals in the band.
	Count int
	// KWh is the consumption that weighted the band (zero when arithmetic).
	KWh decimal.Decimal
}

// BandAverages are the monthly averages by ARERA band (delibera 181/06):
// F1, F2, F3, F23 (F2 and F3 together) and Base (every interval).
type BandAverages struct {
	Month    civil.Month
	Series   string
	Weighted bool
	F1       Average
	F2       Average
	F3       Average
	F23      Average
	Base     Average
	// MissingConsumption counts the price intervals skipped because the
	// curve had no data for them (weighted averages only).
	MissingConsumption int
}

// BandAverager accumulates the prices of one month as they stream by.
type BandAverager struct {
	opts    AveragerOptions
	bands   [4]accumulator // index 1..3 for F1..F3
	missing int
}

type accumulator struct {
	sum    decimal.Decimal // Σ price, or Σ price×kWh when weighted
	weight decimal.Decimal // Σ kWh when weighted
	count  int
}

// NewBandAverager returns an averager with the given options.
func NewBandAverager(opts AveragerOptions) *BandAverager {
	if opts.Kind == KindOther {
		opts.Kind = KindPrices
	}
	if opts.Market == "" {
		opts.Market = "MGP"
	}
	if opts.Series == "" {
		opts.Series = "PUN"
	}
	return &BandAverager{opts: opts}
}

// Add takes one record into the averages. It ignores records of another
// month, market or kind, and records without a valid value of the series.
// The band of an interval is the band of its start instant: hourly and
// quarter-hour intervals never straddle two bands.
func (a *BandAverager) Add(rec *Record) {
	if rec.Kind != a.opts.Kind || rec.Market != a.opts.Market || !a.opts.Month.Contains(rec.Date) {
		return
	}
	price, ok := rec.Price(a.opts.Series)
	if !ok {
		return
	}
	acc := &a.bands[civil.BandAt(rec.Start)]
	if a.opts.Curve == nil {
		acc.sum = acc.sum.Add(price)
		acc.count++
		return
	}
	kWh, ok := a.opts.Curve.EnergyBetween(rec.Start, rec.End)
	if !ok {
		a.missing++
		return
	}
	acc.sum = acc.sum.Add(price.Mul(kWh))
	acc.weight = acc.weight.Add(kWh)
	acc.count++
}

// Result returns the averages of the records added so far.
func (a *BandAverager) Result() BandAverages {
	f1, f2, f3 := a.bands[civil.F1], a.bands[civil.F2], a.bands[civil.F3]
	weighted := a.opts.Curve != nil
	return BandAverages{
		Month:              a.opts.Month,
		Series:             a.opts.Series,
		Weighted:           weighted,
		F1:                 f1.average(weighted),
		F2:                 f2.average(weighted),
		F3:                 f3.average(weighted),
		F23:                f2.plus(f3).average(weighted),
		Base:               f1.plus(f2).plus(f3).average(weighted),
		MissingConsumption: a.missing,
	}
}

func (x accumulator) plus(y accumulator) accumulator {
	return accumulator{sum: x.sum.Add(y.sum), weight: x.weight.Add(y.weight), count: x.count + y.count}
}

func (x accumulator) average(weighted bool) Average {
	avg := Average{Count: x.count, KWh: x.weight}
	if !weighted {
		if x.count > 0 {
			avg.Value = x.sum.DivRound(decimal.NewFromInt(int64(x.count)), AverageDecimals)
			avg.Set = true
		}
		return avg
	}
	if x.weight.IsPositive() {
		avg.Value = x.sum.DivRound(x.weight, AverageDecimals)
		avg.Set = true
	}
	return avg
}
