package switching

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/internal/itnum"
	"github.com/bludispatcher/dispatcher/server/store"
)

// Outcome is the result of the rules on one switch.
type Outcome struct {
	Status  store.SwitchStatus
	Reasons anomaly.List
	Data    store.SwitchData
	// Inputs fingerprints the records the outcome was computed from.
	Inputs string
}

// Evaluate runs the rules on the inputs of a switch. Without the reading,
// the functional data or the historical data the switch is incomplete,
// and the reasons name what is missing.
func Evaluate(in *Inputs, opts Options) Outcome {
	opts = opts.withDefaults()
	out := Outcome{Data: data(in), Inputs: fingerprint(in)}
	var missing anomaly.List
	if in.ReadingRow == nil || in.Reading == nil {
		missing = append(missing, RuleReadingMissing.finding(in.POD, "", "", ""))
	}
	if in.Functional == nil {
		missing = append(missing, RuleFunctionalMissing.finding(in.POD, "", "", ""))
	}
	if len(in.History) == 0 {
		missing = append(missing, RuleHistoryMissing.finding(in.POD, "", "", ""))
	}
	if len(missing) > 0 {
		out.Status, out.Reasons = store.SwitchIncomplete, missing
		return out
	}

	c := checker{in: in, opts: opts, data: &out.Data}
	c.dates()
	c.bands()
	c.estimated()
	c.consumption()
	c.registry()
	out.Reasons = c.reasons
	out.Status = statusOf(c.reasons)
	return out
}

// statusOf returns invalid for a blocking finding, to review for a
// warning, and valid otherwise.
func statusOf(reasons anomaly.List) store.SwitchStatus {
	switch {
	case reasons.HasBlocking():
		return store.SwitchInvalid
	case len(reasons) > 0:
		return store.SwitchToReview
	}
	return store.SwitchValid
}

// checker runs the rules on complete inputs.
type checker struct {
	in      *Inputs
	opts    Options
	data    *store.SwitchData
	reasons anomaly.List
}

func (c *checker) add(a anomaly.Anomaly) { c.reasons = append(c.reasons, a) }

// start returns the starting reading: the current correction when one
// replaced the switching reading, else the reading itself.
func (c *checker) start() *store.Reading {
	if c.in.Correction != nil {
		return c.in.Correction
	}
	return c.in.Reading
}

func (c *checker) dates() {
	in := c.in
	want := in.SwitchDate.AddDays(-1)
	got := text(in.ReadingRow.MeasureDate)
	if d, err := civil.ParseDate(got); err != nil || d != want {
		c.add(RuleReadingDate.finding(in.POD, "DataMisura", got, "want "+want.Italian()))
	}
	prest := text(in.ReadingRow.ServiceDate)
	if d, err := civil.ParseDate(prest); err != nil || d != in.SwitchDate {
		c.add(RuleSwitchDate.finding(in.POD, "DataPrest", prest, "DataInizio is "+in.SwitchDate.Italian()))
	}
}

// expectedBands returns the register names the reading must carry.
func (c *checker) expectedBands() []string {
	if c.in.Is2G() {
		var names []string
		for _, q := range []string{"Ea", "Er", "Pot"} {
			for b := 1; b <= 6; b++ {
				names = append(names, q+"F"+strconv.Itoa(b))
			}
		}
		return names
	}
	treatment := c.in.ReadingTechnical["Trattamento"]
	if treatment == "" {
		treatment = c.in.Functional.Fields["Trattamento"]
	}
	if treatment == "M" {
		return []string{"EaM"}
	}
	return []string{"EaF1", "EaF2", "EaF3"}
}

// bands checks that the expected registers are present and that every
// register is a number within the digits of the meter.
func (c *checker) bands() {
	in, start := c.in, c.start()
	for _, name := range c.expectedBands() {
		if v, ok := start.Registers[name]; !ok || v == "" {
			c.add(RuleBandMissing.finding(in.POD, name, v, ""))
		}
	}
	for _, name := range sortedKeys(start.Registers) {
		v := start.Registers[name]
		if v == "" {
			continue
		}
		value, err := itnum.Parse(v, itnum.Numeric12v3)
		if err != nil {
			c.add(RuleRegisterValue.finding(in.POD, name, v, err.Error()))
			continue
		}
		c.digits(name, v, value)
	}
}

// digitFields maps a register prefix to its meter constant and digits.
var digitFields = []struct{ prefix, constant, digits string }{
	{"Ea", "Ka", "CifreAtt"}, {"Er", "Kr", "CifreRea"}, {"Pot", "Kp", "CifrePot"},
}

func (c *checker) digits(name, text string, value decimal.Decimal) {
	tech := c.in.Functional.Fields
	for _, f := range digitFields {
		if !strings.HasPrefix(name, f.prefix+"F") && name != f.prefix+"M" {
			continue
		}
		n, err := strconv.Atoi(tech[f.digits])
		if err != nil || n <= 0 || n > 12 {
			return
		}
		k := decimal.NewFromInt(1)
		if kt, ok := tech[f.constant]; ok {
			if kv, err := itnum.Parse(kt, itnum.Numeric12v3); err == nil && kv.IsPositive() {
				k = kv
			}
		}
		limit := decimal.New(1, int32(n))
		if value.Div(k).GreaterThanOrEqual(limit) {
			c.add(RuleDigits.finding(c.in.POD, name, text,
				fmt.Sprintf("%s %d and %s %s allow less than %s", f.digits, n, f.constant, itnum.FormatDecimal(k, 3), limit.Mul(k).String())))
		}
		return
	}
}

func (c *checker) estimated() {
	if c.in.Correction != nil {
		return // the correction replaced the estimate
	}
	if dt := text(c.in.Reading.DataType); dt == "S" {
		c.add(RuleEstimated.finding(c.in.POD, "TipoDato", dt, ""))
	}
}
