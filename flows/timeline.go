package flows

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/internal/itnum"
)

// ErrCurve is wrapped by every *CurveError.
var ErrCurve = errors.New("invalid curve")

// QuarterHour is the length of one interval of a curve.
const QuarterHour = 15 * time.Minute

// Interval is one quarter-hour of a curve, placed at its real instant.
type Interval struct {
	// Start is the instant the quarter-hour starts, in Europe/Rome. On the
	// autumn day the repeated hour has two distinct starts, first with
	// offset +02:00 and then +01:00.
	Start time.Time
	// Day is the civil day the quarter-hour belongs to.
	Day civil.Date
	// Index is the 0-based position of the quarter-hour in the day as
	// lived: 0..95 on a normal day, 0..91 in spring, 0..99 in autumn.
	Index int
	// Slot is n of the En attribute the value came from.
	Slot int
	// Part is the Dst attribute of the curve element: 0 normal day, 1 spring
	// day, 2 and 3 the first and second part of the autumn day.
	Part int
	// Text is the attribute value exactly as read, such as "1,250".
	Text string
	// Value is Text parsed exactly, in kWh or kvarh per quarter-hour.
	Value decimal.Decimal
}

// End returns the instant the quarter-hour ends.
func (iv Interval) End() time.Time { return iv.Start.Add(QuarterHour) }

// CurveError describes a curve element, or one of its attributes, that
// cannot be placed on the timeline.
type CurveError struct {
	// Kind is the element: Ea, Er, Erc or Eri.
	Kind CurveKind
	// Line is the line of the element (0 when built in code).
	Line int32
	// Day is the element text (GG) exactly as read.
	Day string
	// Dst is the Dst attribute as read, "" when absent.
	Dst string
	// Slot is n of the offending En attribute, or 0 when the whole element
	// is wrong.
	Slot int
	// Value is the offending text.
	Value string
	// Err describes the problem. It wraps ErrCurve, and also
	// itnum.ErrSyntax for a malformed number.
	Err error
}

// Error returns the element, day, slot and problem.
func (e *CurveError) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	fmt.Fprintf(&b, "%s day %q", e.Kind, e.Day)
	if e.Dst != "" {
		fmt.Fprintf(&b, " Dst %s", e.Dst)
	}
	if e.Slot > 0 {
		fmt.Fprintf(&b, " E%d", e.Slot)
		if e.Value != "" || e.Err != nil {
			fmt.Fprintf(&b, "=%q", e.Value)
		}
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	return b.String()
}

// Unwrap returns Err.
func (e *CurveError) Unwrap() error { return e.Err }

// Timeline returns the quarter-hours of every curve element of the given
// kind in m, sorted by instant. month is the competence month of the curves
// (MeseAnno, or the month of DataMisura for daily files); the element text
// gives the day. The slots map to instants as the SII standard lays them out:
//
//   - normal day, Dst 0 or absent: Ek starts at midnight + (k−1)·15 min;
//   - spring day, Dst 1: E1..E8 and E13..E96, E9..E12 absent (92 values);
//   - autumn day, Dst 2: E1..E12 are the first 12 quarter-hours, the last
//     four being the first pass of 02:00–03:00 in summer time;
//   - autumn day, Dst 3: E9..E96 are quarter-hours 12..99, E9..E12 being
//     the second pass of 02:00–03:00 in winter time (100 values in all).
//
// Intervals that can be placed are returned even when others cannot. The
// error joins one *CurveError per problem: a malformed or empty value, a
// slot outside its part, a Dst that does not match the day, a day outside
// the month, a quarter-hour given twice.
func (m *Measure) Timeline(kind CurveKind, month civil.Month) ([]Interval, error) {
	if m == nil {
		return nil, nil
	}
	n := 0
	for i := range m.Curves {
		if m.Curves[i].Kind == kind {
			n += m.Curves[i].Count()
		}
	}
	out := make([]Interval, 0, n)
	var errs []error
	seen := make(map[civil.Date]*[2]uint64) // quarter-hour indexes placed per day
	for i := range m.Curves {
		c := &m.Curves[i]
		if c.Kind != kind {
			continue
		}
		ivs, err := c.Intervals(month)
		if joined, ok := err.(interface{ Unwrap() []error }); ok {
			errs = append(errs, joined.Unwrap()...) // one *CurveError per problem, not per element
		} else if err != nil {
			errs = append(errs, err)
		}
		for _, iv := range ivs {
			bits := seen[iv.Day]
			if bits == nil {
				bits = new([2]uint64)
				seen[iv.Day] = bits
			}
			word, mask := iv.Index/64, uint64(1)<<(iv.Index%64)
			if bits[word]&mask != 0 {
				errs = append(errs, c.errorAt(iv.Slot, iv.Text, "quarter-hour %s given twice", iv.Start.Format(time.RFC3339)))
				continue
			}
			bits[word] |= mask
			out = append(out, iv)
		}
	}
	before := func(i, j int) bool { return out[i].Start.Before(out[j].Start) }
	if !sort.SliceIsSorted(out, before) {
		sort.SliceStable(out, before)
	}
	return out, errors.Join(errs...)
}

// Intervals returns the quarter-hours of one curve element of the given
// month, in slot order, with the mapping described at Measure.Timeline.
//
// NOTE: the S1..S4 attributes of legacy 2G curves (Energia2GType) are not
// placed, because no public source fixes which instants they stand for.
func (c *Curve) Intervals(month civil.Month) ([]Interval, error) {
	day, err := c.date(month)
	if err != nil {
		return nil, err
	}
	part, ok := c.DstPart()
	if !ok {
		return nil, c.errorAt(0, c.Dst.Text, "Dst must be 0, 1, 2 or 3")
	}
	if err := checkPart(day, part); err != nil {
		return nil, c.errorAt(0, "", "%s", err)
	}

	midnight := day.Midnight(civil.Rome)
	out := make([]Interval, 0, c.Count())
	var errs []error
	for slot := 1; slot <= MaxSlots; slot++ {
		text, set := c.E(slot)
		if !set {
			continue
		}
		index, ok := slotIndex(part, slot)
		if !ok {
			errs = append(errs, c.errorAt(slot, text, "E%d is not allowed with Dst %d", slot, part))
			continue
		}
		v, err := itnum.Parse(text, itnum.Numeric12v3)
		if err != nil {
			errs = append(errs, c.errorAt(slot, text, "%w", err))
			continue
		}
		out = append(out, Interval{
			Start: midnight.Add(time.Duration(index) * QuarterHour),
			Day:   day, Index: index, Slot: slot, Part: part, Text: text, Value: v,
		})
	}
	return out, errors.Join(errs...)
}

// date returns the civil day named by the element text in month.
func (c *Curve) date(month civil.Month) (civil.Date, error) {
	text := strings.TrimSpace(c.Day.Text)
	n := 0
	for i := 0; i < len(text); i++ {
		if text[i] < '0' || text[i] > '9' {
			n = -1
			break
		}
		n = n*10 + int(text[i]-'0')
	}
	if len(text) == 0 || len(text) > 2 || n < 1 || n > month.Days() {
		return civil.Date{}, c.errorAt(0, c.Day.Text, "day must be 01..%02d in %s", month.Days(), month.Italian())
	}
	return civil.Date{Year: month.Year, Month: month.Month, Day: n}, nil
}

func (c *Curve) errorAt(slot int, value, format string, args ...any) *CurveError {
	return &CurveError{
		Kind: c.Kind, Line: c.Line, Day: c.Day.Text, Dst: c.Dst.Text, Slot: slot, Value: value,
		Err: fmt.Errorf("%w: "+format, append([]any{ErrCurve}, args...)...),
	}
}

// checkPart checks that the Dst part fits the kind of day.
func checkPart(day civil.Date, part int) error {
	switch kind := civil.KindOf(day); {
	case kind == civil.NormalDay && part != 0:
		return fmt.Errorf("Dst %d on %s, a day without a clock change, which needs Dst 0", part, day)
	case kind == civil.SpringDay && part != 1:
		return fmt.Errorf("Dst %d on %s, the spring clock-change day, which needs Dst 1", part, day)
	case kind == civil.AutumnDay && part != 2 && part != 3:
		return fmt.Errorf("Dst %d on %s, the autumn clock-change day, which needs Dst 2 and 3", part, day)
	}
	return nil
}

// slotIndex returns the 0-based quarter-hour of the day that slot En of a
// curve with the given Dst part stands for.
func slotIndex(part, slot int) (int, bool) {
	switch part {
	case 0:
		return slot - 1, slot <= 96
	case 1:
		switch {
		case slot <= 8:
			return slot - 1, true
		case slot >= 13 && slot <= 96:
			return slot - 5, true
		}
	case 2:
		return slot - 1, slot <= 12
	case 3:
		return slot + 3, slot >= 9 && slot <= 96
	}
	return 0, false
}

// CurveMonth returns the competence month of the record's curves: MeseAnno
// when present, else the month of DataMisura.
func (r *Record) CurveMonth() (civil.Month, error) {
	if r.MonthYear.Set {
		return r.MonthYear.Month()
	}
	if r.MeasureDate.Set {
		d, err := r.MeasureDate.Date()
		if err != nil {
			return civil.Month{}, err
		}
		return d.MonthOf(), nil
	}
	return civil.Month{}, fmt.Errorf("%w: record has neither MeseAnno nor DataMisura", ErrCurve)
}
