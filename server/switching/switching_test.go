package switching_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/flows/flowgen"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/switching"
)

func TestSwitchCompleteAndValid(t *testing.T) {
	e := newEnv(t)
	e.register()
	sw := e.loadComplete(nil)

	assert.Equal(t, store.SwitchValid, sw.Status, "reasons: %v", sw.Reasons)
	assert.Empty(t, sw.Reasons)
	assert.Equal(t, practice0, sw.PracticeCode)
	assert.Equal(t, pod0(), sw.POD)
	assert.Equal(t, switchDay, sw.SwitchDate)
	assert.True(t, sw.Is2G)
	assert.False(t, sw.ValidatedAt.IsZero())
	require.NotNil(t, sw.Data.Reading)
	assert.Equal(t, "SNM2G", sw.Data.Reading.FlowCode)
	assert.Equal(t, switchDay.AddDays(-1), sw.Data.Reading.Date)
	assert.Len(t, sw.Data.Reading.Registers, 18, "EaF1..6, ErF1..6 and PotF1..6")
	assert.Equal(t, "F2G", sw.Data.FunctionalFlow)
	assert.Equal(t, "6", sw.Data.Technical["CifreAtt"])
	assert.Len(t, sw.Data.HistoryMonths, 12)
	assert.NotEmpty(t, sw.Data.MonthlyAverageKWh)

	events := e.exporter.list()
	require.Len(t, events, 1, "a valid switch queues one switch completed event")
	assert.Equal(t, sw.ID, events[0].ID)
	assert.Equal(t, sw.Inputs, sw.ExportedInputs)

	// Validating again with the same data queues nothing more.
	again, err := e.svc.Validate(e.ctx, e.co, practice0, pod0())
	require.NoError(t, err)
	assert.Equal(t, store.SwitchValid, again.Status)
	assert.Len(t, e.exporter.list(), 1)
}

func TestSwitchEstimatedReading(t *testing.T) {
	e := newEnv(t)
	e.register()
	sw := e.loadComplete(func(r *flows.Record) {
		r.Measure.DataType = flows.V("S")
		r.Measure.ObstacleCause = flows.V("NO")
	})
	assert.Equal(t, store.SwitchToReview, sw.Status)
	assert.Equal(t, []string{switchingCode(switching.RuleEstimated)}, codesOf(sw))
	assert.Empty(t, e.exporter.list(), "a switch to review queues no event")
}

func TestSwitchMissingBand(t *testing.T) {
	e := newEnv(t)
	e.register()
	sw := e.loadComplete(func(r *flows.Record) {
		r.Measure.Registers.Ea[4] = flows.Value{}
	})
	assert.Equal(t, store.SwitchInvalid, sw.Status)
	require.Len(t, sw.Reasons, 1)
	assert.Equal(t, switching.RuleBandMissing.Code, sw.Reasons[0].Code)
	assert.Equal(t, "EaF5", sw.Reasons[0].Field)
	assert.Empty(t, e.exporter.list())
}

func TestSwitchReadingAboveDigits(t *testing.T) {
	e := newEnv(t)
	e.register()
	sw := e.loadComplete(func(r *flows.Record) {
		r.Measure.Registers.Ea[0] = flows.V("1234567,000")
	})
	assert.Equal(t, store.SwitchInvalid, sw.Status)
	require.Len(t, sw.Reasons, 1)
	assert.Equal(t, switching.RuleDigits.Code, sw.Reasons[0].Code)
	assert.Equal(t, "EaF1", sw.Reasons[0].Field)
	assert.Equal(t, "1234567,000", sw.Reasons[0].Value)
	assert.Contains(t, sw.Reasons[0].Message, "CifreAtt 6")
}

func TestSwitchConsumptionFarFromHistory(t *testing.T) {
	e := newEnv(t)
	e.register()
	// A periodic reading of 31 October whose F1 register is 100,000 kWh
	// above the switching reading: far more than a home uses in a month.
	_, snm := generated(t, flowgen.Options{FlowCode: "SNM2G"})
	e.load(flowgen.Options{FlowCode: "PNO2G", Day: switchMonth.Last()}, func(r *flows.Record) {
		r.Measure.Registers.Ea[0] = flows.V(addKWh(t, snm.Measure.Registers.Ea[0].Text, 100000))
		r.Measure.Registers.Ea[1] = snm.Measure.Registers.Ea[1]
		r.Measure.Registers.Ea[2] = snm.Measure.Registers.Ea[2]
	})
	sw := e.loadComplete(nil)

	assert.Equal(t, store.SwitchToReview, sw.Status)
	require.Len(t, sw.Reasons, 1)
	assert.Equal(t, switching.RuleConsumption.Code, sw.Reasons[0].Code)
	assert.Equal(t, "EaF1+EaF2+EaF3", sw.Reasons[0].Field)
	assert.Contains(t, sw.Reasons[0].Message, "PNO2G")
	assert.NotEmpty(t, sw.Data.ImpliedMonthlyKWh)
}

func TestSwitchConsumptionWithinTolerance(t *testing.T) {
	e := newEnv(t)
	e.register()
	_, snm := generated(t, flowgen.Options{FlowCode: "SNM2G"})
	sw0 := e.loadComplete(nil)
	avg := sw0.Data.MonthlyAverageKWh
	require.NotEmpty(t, avg)

	// A reading 31 days later whose F1 grew by the historical average.
	e.load(flowgen.Options{FlowCode: "PNO2G", Day: switchMonth.Last()}, func(r *flows.Record) {
		r.Measure.Registers.Ea[0] = flows.V(addKWh(t, snm.Measure.Registers.Ea[0].Text, wholeKWh(t, avg)))
		r.Measure.Registers.Ea[1] = snm.Measure.Registers.Ea[1]
		r.Measure.Registers.Ea[2] = snm.Measure.Registers.Ea[2]
	})
	sw, err := e.svc.Validate(e.ctx, e.co, practice0, pod0())
	require.NoError(t, err)
	assert.Equal(t, store.SwitchValid, sw.Status, "reasons: %v", sw.Reasons)
	assert.NotEmpty(t, sw.Data.ImpliedMonthlyKWh)
}

func TestSwitchLaterCorrectionReopens(t *testing.T) {
	e := newEnv(t)
	e.register()
	sw := e.loadComplete(nil)
	require.Equal(t, store.SwitchValid, sw.Status)
	require.Len(t, e.exporter.list(), 1)

	out := e.loadAndValidate(flowgen.Options{FlowCode: "RSN2G", Reasons: []int{2}}, nil)
	require.Len(t, out, 1)
	reopened := out[0]
	assert.Equal(t, sw.ID, reopened.ID)
	assert.Equal(t, store.SwitchToReview, reopened.Status)
	assert.Equal(t, []string{switching.RuleReopened.Code}, codesOf(reopened))
	require.NotNil(t, reopened.Data.Reading)
	assert.Equal(t, "RSN2G", reopened.Data.Reading.FlowCode)
	assert.Equal(t, "2", reopened.Data.Reading.Reason)
	assert.Len(t, e.exporter.list(), 1, "no event while the switch is to review")

	// The reopen reason stays while the data do not change.
	again, err := e.svc.Validate(e.ctx, e.co, practice0, pod0())
	require.NoError(t, err)
	assert.Equal(t, store.SwitchToReview, again.Status)

	accepted, err := e.svc.Decide(e.ctx, e.co, reopened.ID, store.SwitchDecision{
		Decision: store.DecisionAccept, Actor: "acme/anna", Reason: "corrected reading confirmed"})
	require.NoError(t, err)
	assert.Equal(t, store.SwitchValid, accepted.Status)
	events := e.exporter.list()
	require.Len(t, events, 2, "accepting queues the event with the corrected reading")
	assert.Equal(t, "RSN2G", events[1].Data.Reading.FlowCode)

	// The decision is kept on a later run with the same data.
	after, err := e.svc.Validate(e.ctx, e.co, practice0, pod0())
	require.NoError(t, err)
	assert.Equal(t, store.SwitchValid, after.Status)
	assert.Equal(t, store.DecisionAccept, after.Decision)
	assert.Len(t, e.exporter.list(), 2)

	log, err := e.st.SwitchDecisions(e.ctx, e.co, reopened.ID)
	require.NoError(t, err)
	require.Len(t, log, 1)
	assert.Equal(t, "acme/anna", log[0].Actor)
}

func TestSwitchMissingHistoryPastDeadline(t *testing.T) {
	var logs bytes.Buffer
	e := newEnv(t)
	e.svc = switching.New(e.st, switching.Options{Now: func() time.Time { return e.now }, MissingAfterDays: 10},
		nil, e.exporter, slog.New(slog.NewTextHandler(&logs, nil)))
	e.register()
	e.loadAndValidate(flowgen.Options{FlowCode: "F2G"}, nil)
	out := e.loadAndValidate(flowgen.Options{FlowCode: "SNM2G"}, actual)
	require.Len(t, out, 1)
	assert.Equal(t, store.SwitchIncomplete, out[0].Status)
	assert.Equal(t, []string{switching.RuleHistoryMissing.Code}, codesOf(out[0]))
	assert.True(t, out[0].ValidatedAt.IsZero())

	e.now = e.now.Add(5 * 24 * time.Hour)
	early, total, err := e.svc.Missing(e.ctx, e.co, store.Page{})
	require.NoError(t, err)
	assert.Zero(t, total, "not reported before the deadline")
	assert.Empty(t, early)

	e.now = e.now.Add(6 * 24 * time.Hour)
	late, total, err := e.svc.Missing(e.ctx, e.co, store.Page{})
	require.NoError(t, err)
	assert.Equal(t, 1, total)
	require.Len(t, late, 1)
	assert.Equal(t, practice0, late[0].PracticeCode)

	n, err := e.svc.ReportMissing(e.ctx, []store.CompanyID{e.co})
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Contains(t, logs.String(), "switch still missing data")
	assert.Contains(t, logs.String(), "missing="+switching.RuleHistoryMissing.Code)

	// The historical data arrive: the switch completes.
	done := e.loadAndValidate(flowgen.Options{FlowCode: "S2G"}, nil)
	require.Len(t, done, 1)
	assert.Equal(t, store.SwitchValid, done[0].Status, "reasons: %v", done[0].Reasons)
}

func TestSwitchReadingDateAndRegistry(t *testing.T) {
	e := newEnv(t)
	sw := e.loadComplete(func(r *flows.Record) {
		r.MeasureDate = flows.V("29/09/2025")
	})
	assert.Equal(t, store.SwitchInvalid, sw.Status)
	assert.Equal(t, []string{switching.RuleReadingDate.Code, switching.RuleRegistryMissing.Code}, codesOf(sw))
}

func TestSwitchDecideOnlyToReview(t *testing.T) {
	e := newEnv(t)
	e.register()
	sw := e.loadComplete(nil)
	_, err := e.svc.Decide(e.ctx, e.co, sw.ID, store.SwitchDecision{Decision: store.DecisionReject, Actor: "x"})
	assert.ErrorIs(t, err, store.ErrConflict)
}

func TestRulesHaveUniqueCodes(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range switching.Rules {
		assert.False(t, seen[r.Code], "code %s twice", r.Code)
		seen[r.Code] = true
		assert.NotEmpty(t, r.Name)
		assert.NotEmpty(t, r.Message)
		assert.True(t, strings.HasPrefix(r.Code, "SW"))
	}
}

func switchingCode(r switching.Rule) string { return r.Code }

// generated returns the header and first record of a generated file for
// the switch month and day.
func generated(t *testing.T, opts flowgen.Options) (*flows.Header, *flows.Record) {
	t.Helper()
	opts.PODs, opts.Month, opts.Day, opts.Seed = 1, switchMonth, switchDay, 7
	g, err := flowgen.New(opts)
	require.NoError(t, err)
	return g.Header(), g.Record(0)
}

func TestSwitch1GThreeBands(t *testing.T) {
	e := newEnv(t)
	e.register()
	e.loadAndValidate(flowgen.Options{FlowCode: "SNF"}, nil)
	e.loadAndValidate(flowgen.Options{FlowCode: "SNS"}, nil)
	out := e.loadAndValidate(flowgen.Options{FlowCode: "SNM"}, actual)
	require.Len(t, out, 1)
	sw := out[0]
	assert.False(t, sw.Is2G)
	assert.Equal(t, store.SwitchValid, sw.Status, "reasons: %v", sw.Reasons)
	require.NotNil(t, sw.Data.Reading)
	assert.Equal(t, "SNM", sw.Data.Reading.FlowCode)
	assert.Equal(t, "SNF", sw.Data.FunctionalFlow)
}

func TestSwitch1GMissingThirdBand(t *testing.T) {
	e := newEnv(t)
	e.register()
	e.loadAndValidate(flowgen.Options{FlowCode: "SNF"}, func(r *flows.Record) { r.Pdp.Treatment = flows.V("F") })
	e.loadAndValidate(flowgen.Options{FlowCode: "SNS"}, nil)
	out := e.loadAndValidate(flowgen.Options{FlowCode: "SNM"}, func(r *flows.Record) {
		actual(r)
		r.Pdp.Treatment = flows.V("F")
		r.Measure.Registers = flows.Registers{Ea: [6]flows.Value{flows.V("1000,000"), flows.V("800,000")}}
	})
	require.Len(t, out, 1)
	assert.Equal(t, store.SwitchInvalid, out[0].Status)
	require.Len(t, out[0].Reasons, 1)
	assert.Equal(t, switching.RuleBandMissing.Code, out[0].Reasons[0].Code)
	assert.Equal(t, "EaF3", out[0].Reasons[0].Field)
}

func TestSwitchConsumptionIgnoresShortSpan(t *testing.T) {
	e := newEnv(t)
	e.register()
	_, snm := generated(t, flowgen.Options{FlowCode: "SNM2G"})
	// Three days after the reading: too short a span to judge a month.
	e.load(flowgen.Options{FlowCode: "PNO2G", Day: switchDay.AddDays(2)}, func(r *flows.Record) {
		r.Measure.Registers.Ea[0] = flows.V(addKWh(t, snm.Measure.Registers.Ea[0].Text, 100000))
	})
	sw := e.loadComplete(nil)
	assert.Equal(t, store.SwitchValid, sw.Status, "reasons: %v", sw.Reasons)
	assert.Empty(t, sw.Data.ImpliedMonthlyKWh)
	assert.Contains(t, sw.Data.Notes, "consumption not checked: no other reading of the meter from 7 to 400 days away")
}

// fixedRegistry returns the same technical facts for every POD.
type fixedRegistry map[string]string

func (f fixedRegistry) RegistryFacts(context.Context, store.CompanyID, string, civil.Date) (map[string]string, error) {
	return f, nil
}

func TestSwitchRegistryMismatch(t *testing.T) {
	e := newEnv(t)
	g, err := flowgen.New(flowgen.Options{FlowCode: "F2G", Seed: 7, PODs: 1, Month: switchMonth})
	require.NoError(t, err)
	power := g.Record(0).Pdp.CommittedPower.Text
	e.svc = switching.New(e.st, switching.Options{Now: func() time.Time { return e.now }},
		fixedRegistry{"Tensione": "15000", "PotImp": strings.Replace(power, ",", ".", 1)}, e.exporter, nil)
	e.register()
	sw := e.loadComplete(nil)

	assert.Equal(t, store.SwitchToReview, sw.Status)
	require.Len(t, sw.Reasons, 1, "the power matches as a number: %v", sw.Reasons)
	assert.Equal(t, switching.RuleRegistryMismatch.Code, sw.Reasons[0].Code)
	assert.Equal(t, "Tensione", sw.Reasons[0].Field)
	assert.Contains(t, sw.Reasons[0].Message, "15000")
}
