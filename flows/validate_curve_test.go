package flows

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pdoDays returns a PDO record for month (MM/yyyy) whose Ea curves are
// days and whose Er curves are copies of them.
func pdoDays(month string, days ...Curve) *Record {
	r := pdoRecord()
	r.MonthYear = V(month)
	r.Measure.Curves = nil
	for _, d := range days {
		r.Measure.Curves = append(r.Measure.Curves, d)
	}
	for _, d := range days {
		d.Kind = ReactiveEnergy
		r.Measure.Curves = append(r.Measure.Curves, d)
	}
	return r
}

func spring(dst string, from, to int) Curve { return dstCurve(ActiveEnergy, "31", dst, from, to) }

func springDay() Curve {
	c := dstCurve(ActiveEnergy, "31", "1", 1, 96)
	for n := 9; n <= 12; n++ {
		c.UnsetE(n)
	}
	return c
}

func TestRule27DaylightSaving(t *testing.T) {
	tests := []struct {
		name  string
		month string
		days  []Curve
		field string // Field of the first R27 anomaly; "" when the rule must not fire
	}{
		{name: "spring day as Dst=1 without E9..E12", month: "03/2013", days: []Curve{springDay()}},
		{name: "spring day with E9", month: "03/2013",
			days: []Curve{func() Curve { c := springDay(); c.SetE(9, "0,000"); return c }()}, field: "Ea[1]/E9"},
		{name: "spring day as Dst=0", month: "03/2013", days: []Curve{spring("0", 1, 96)}, field: "Ea[1]/Dst"},
		{name: "spring day without Dst", month: "03/2013", days: []Curve{fullCurve(ActiveEnergy, "31")}, field: "Ea[1]/Dst"},
		{name: "Dst=1 on a normal day", month: "03/2013", days: []Curve{dstCurve(ActiveEnergy, "30", "1", 1, 8)}, field: "Ea[1]/Dst"},
		{name: "autumn day in two parts", month: "10/2013",
			days: []Curve{dstCurve(ActiveEnergy, "27", "2", 1, 12), dstCurve(ActiveEnergy, "27", "3", 9, 96)}},
		{name: "autumn first part beyond E12", month: "10/2013",
			days: []Curve{dstCurve(ActiveEnergy, "27", "2", 1, 13), dstCurve(ActiveEnergy, "27", "3", 9, 96)}, field: "Ea[1]/E13"},
		{name: "autumn second part with E8", month: "10/2013",
			days: []Curve{dstCurve(ActiveEnergy, "27", "2", 1, 12), dstCurve(ActiveEnergy, "27", "3", 8, 96)}, field: "Ea[2]/E8"},
		{name: "autumn second part missing", month: "10/2013",
			days: []Curve{dstCurve(ActiveEnergy, "27", "2", 1, 12)}, field: "Ea[1]/Dst"},
		{name: "autumn first part missing", month: "10/2013",
			days: []Curve{dstCurve(ActiveEnergy, "27", "3", 9, 96)}, field: "Ea[1]/Dst"},
		{name: "autumn day as Dst=0", month: "10/2013", days: []Curve{dstCurve(ActiveEnergy, "27", "0", 1, 96)}, field: "Ea[1]/Dst"},
		{name: "Dst=2 on a normal day", month: "10/2013",
			days: []Curve{dstCurve(ActiveEnergy, "26", "2", 1, 12), dstCurve(ActiveEnergy, "26", "3", 9, 96)}, field: "Ea[1]/Dst"},
		{name: "autumn day of 2021", month: "10/2021",
			days: []Curve{dstCurve(ActiveEnergy, "31", "2", 1, 12), dstCurve(ActiveEnergy, "31", "3", 9, 96)}},
		{name: "last Sunday of October 2021 moved", month: "10/2021",
			days: []Curve{dstCurve(ActiveEnergy, "24", "2", 1, 12), dstCurve(ActiveEnergy, "24", "3", 9, 96)}, field: "Ea[1]/Dst"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := pdoDays(tt.month, tt.days...)
			got := runFile(testOptions(), "", testHeader("PDO"), r)
			dst := withRule(got, RuleDST)
			assert.Empty(t, withRule(got, RuleDuplicate))
			if tt.field == "" {
				assert.Empty(t, dst)
				return
			}
			require.NotEmpty(t, dst)
			assert.Equal(t, tt.field, dst[0].Field)
			assert.Equal(t, Blocking, dst[0].Severity)
			assert.Equal(t, CodeRequiredField, dst[0].Code)
			assert.Equal(t, testPOD, dst[0].Key)
		})
	}
}

func TestRule27DailyFileAutumn(t *testing.T) {
	r := pdo2gRecord()
	r.MonthYear = V("10/2013")
	r.Measure.Curves = []Curve{
		dstCurve(ActiveEnergy, "27", "2", 1, 12), dstCurve(ActiveEnergy, "27", "3", 9, 96),
		dstCurve(ReactiveEnergy, "27", "2", 1, 12), dstCurve(ReactiveEnergy, "27", "3", 9, 96),
	}
	got := runFile(testOptions(), "", testHeader("PDO2G"), r)
	assert.Empty(t, got)
}

func TestCurveDayOutsideMonth(t *testing.T) {
	r := pdoDays("02/2013", fullCurve(ActiveEnergy, "30"))
	got := withRule(runFile(testOptions(), "", testHeader("PDO"), r), RuleCurveDay)
	require.Len(t, got, 2)
	assert.Equal(t, "Ea[1]", got[0].Field)
	assert.Equal(t, "30", got[0].Value)

	r = pdoDays("02/2013", fullCurve(ActiveEnergy, "28"))
	assert.Empty(t, withRule(runFile(testOptions(), "", testHeader("PDO"), r), RuleCurveDay))
}

func TestDuplicateMeasures(t *testing.T) {
	tests := []struct {
		name    string
		flow    string
		records func() []*Record
		fires   bool
		field   string
	}{
		{name: "same day twice in a record", flow: "PDO", records: func() []*Record {
			return []*Record{pdoDays("01/2013", fullCurve(ActiveEnergy, "05"), fullCurve(ActiveEnergy, "05"))}
		}, fires: true, field: "Ea[2]"},
		{name: "same day in two records", flow: "PDO", records: func() []*Record {
			return []*Record{pdoRecord(), pdoRecord()}
		}, fires: true, field: "Ea[1]"},
		{name: "different PODs", flow: "PDO", records: func() []*Record {
			other := pdoRecord()
			other.POD = V("IT001E87654321")
			return []*Record{pdoRecord(), other}
		}},
		{name: "autumn pair", flow: "PDO", records: func() []*Record {
			return []*Record{pdoDays("10/2013", dstCurve(ActiveEnergy, "27", "2", 1, 12), dstCurve(ActiveEnergy, "27", "3", 9, 96))}
		}},
		{name: "readings on the same date", flow: "PNO", records: func() []*Record {
			return []*Record{pnoRecord(), pnoRecord()}
		}, fires: true, field: "DataMisura"},
		{name: "corrections of other months", flow: "RFO", records: func() []*Record {
			other := rfoRecord()
			other.MonthYear = V("12/2012")
			return []*Record{rfoRecord(), other}
		}},
		{name: "corrections of the same month", flow: "RFO", records: func() []*Record {
			return []*Record{rfoRecord(), rfoRecord()}
		}, fires: true, field: "Ea[1]"},
		{name: "corrections of different kinds", flow: "RNO", records: func() []*Record {
			other := rnoRecord()
			other.CorrectionType = V("T")
			other.ServiceDate = V("31/01/2013")
			return []*Record{rnoRecord(), other}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := withRule(runFile(testOptions(), "", testHeader(tt.flow), tt.records()...), RuleDuplicate)
			if !tt.fires {
				assert.Empty(t, got)
				return
			}
			require.NotEmpty(t, got)
			assert.Equal(t, tt.field, got[0].Field)
			assert.Equal(t, testPOD, got[0].Key)
			assert.Equal(t, CodeStructure, got[0].Code)
		})
	}
}

func TestDuplicateMessage(t *testing.T) {
	first, second := dstCurve(ActiveEnergy, "27", "3", 9, 96), dstCurve(ActiveEnergy, "27", "3", 9, 96)
	first.Line, second.Line = 11, 12
	r := pdoDays("10/2013", dstCurve(ActiveEnergy, "27", "2", 1, 12), first, second)
	got := withRule(runFile(testOptions(), "", testHeader("PDO"), r), RuleDuplicate)
	require.Len(t, got, 2) // the Ea and its Er copy
	assert.Equal(t, "Ea[3]", got[0].Field)
	assert.Equal(t, "27", got[0].Value)
	assert.Equal(t, 12, got[0].Line)
	assert.Equal(t, "POD IT001E12345678 has a second measure for 27/10/2013 (Dst=3); the first is on line 11", got[0].Message)
}
