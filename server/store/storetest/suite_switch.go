package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
)

// testSwitches runs the SwitchStore checks.
func testSwitches(t *testing.T, f Factory) {
	t.Run("PutAndRead", func(t *testing.T) { testSwitchPut(t, f) })
	t.Run("List", func(t *testing.T) { testSwitchList(t, f) })
	t.Run("OfLoad", func(t *testing.T) { testSwitchesOfLoad(t, f) })
	t.Run("Decide", func(t *testing.T) { testSwitchDecide(t, f) })
	t.Run("QueueCompleted", func(t *testing.T) { testSwitchQueueCompleted(t, f) })
	t.Run("QueueWithdrawn", func(t *testing.T) { testSwitchQueueWithdrawn(t, f) })
	t.Run("WithdrawnOfferOrder", func(t *testing.T) { testSwitchWithdrawnOfferOrder(t, f) })
	t.Run("ReadingWithoutDate", func(t *testing.T) { testSwitchReadingWithoutDate(t, f) })
}

// testSwitchReadingWithoutDate is a regression test: a starting reading
// whose file gave no valid date was stored as "0000-00-00", and reading
// the switch back then failed as invalid stored data.
func testSwitchReadingWithoutDate(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "sw")

	in := sampleSwitch(co, 1)
	in.Data.Reading.Date = civil.Date{}
	put, err := s.PutSwitch(ctx, in)
	require.NoError(t, err)

	got, err := s.Switch(ctx, co, put.ID)
	require.NoError(t, err)
	require.NotNil(t, got.Data.Reading)
	assert.True(t, got.Data.Reading.Date.IsZero())
	list, total, err := s.ListSwitches(ctx, store.SwitchFilter{Company: co})
	require.NoError(t, err)
	assert.Len(t, list, 1)
	assert.Equal(t, 1, total)
}

// sampleSwitch returns a switch to review of POD n.
func sampleSwitch(co store.CompanyID, n int) store.Switch {
	return store.Switch{
		Company:      co,
		PracticeCode: "SII" + POD(n)[6:] + "000",
		POD:          POD(n),
		SwitchDate:   civil.Date{Year: 2025, Month: time.October, Day: 1},
		Is2G:         true,
		Status:       store.SwitchToReview,
		Reasons: anomaly.List{{Code: "SW-ESTIMATED", Rule: "estimated", Severity: anomaly.Warning,
			Key: POD(n), Field: "TipoDato", Value: "S", Message: "the switching reading is an estimate"}},
		Data: store.SwitchData{
			Reading: &store.SwitchReading{
				Record:    store.RecordRef{Load: 1, Seq: n},
				FlowCode:  "SNM2G",
				Date:      civil.Date{Year: 2025, Month: time.September, Day: 30},
				DataType:  "S",
				Registers: map[string]string{"EaF1": "1234,000", "EaF2": ""},
			},
			Technical:     map[string]string{"Tensione": "230", "PotImp": "3,000"},
			HistoryMonths: []string{"2024-09", "2024-10"},
			Notes:         []string{"no other reading"},
		},
		Inputs: "r1/1",
	}
}

func testSwitchPut(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "sw")
	other := company(t, s, "other")

	in := sampleSwitch(co, 1)
	put, err := s.PutSwitch(ctx, in)
	require.NoError(t, err)
	assert.NotZero(t, put.ID)
	assert.False(t, put.FirstSeen.IsZero())
	assert.Equal(t, in.Reasons, put.Reasons)
	assert.Empty(t, cmp.Diff(in.Data, put.Data))
	assert.Equal(t, in.SwitchDate, put.SwitchDate)
	assert.True(t, put.Is2G)

	got, err := s.Switch(ctx, co, put.ID)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(put, got))
	byCode, err := s.SwitchByPractice(ctx, co, in.PracticeCode)
	require.NoError(t, err)
	assert.Equal(t, put.ID, byCode.ID)

	_, err = s.Switch(ctx, other, put.ID)
	assert.ErrorIs(t, err, store.ErrNotFound, "another company's switch is not found")
	_, err = s.SwitchByPractice(ctx, other, in.PracticeCode)
	assert.ErrorIs(t, err, store.ErrNotFound)

	require.NoError(t, s.MarkSwitchExported(ctx, co, put.ID, "r1/1"))
	assert.ErrorIs(t, s.MarkSwitchExported(ctx, other, put.ID, "r1/1"), store.ErrNotFound)

	// A second put replaces the data and keeps the ID, FirstSeen and the
	// exported fingerprint.
	again := in
	again.Status = store.SwitchValid
	again.Reasons = nil
	again.Inputs = "r1/1+c2/1"
	again.ValidatedAt = time.Date(2025, 10, 5, 8, 0, 0, 0, time.UTC)
	replaced, err := s.PutSwitch(ctx, again)
	require.NoError(t, err)
	assert.Equal(t, put.ID, replaced.ID)
	assert.Equal(t, put.FirstSeen, replaced.FirstSeen)
	assert.Equal(t, store.SwitchValid, replaced.Status)
	assert.Empty(t, replaced.Reasons)
	assert.Equal(t, "r1/1", replaced.ExportedInputs)
	assert.True(t, again.ValidatedAt.Equal(replaced.ValidatedAt))

	_, err = s.PutSwitch(ctx, store.Switch{Company: co, POD: POD(2), Status: store.SwitchValid})
	assert.ErrorIs(t, err, store.ErrInvalid, "practice code is required")
	bad := sampleSwitch(co, 3)
	bad.Status = "done"
	_, err = s.PutSwitch(ctx, bad)
	assert.ErrorIs(t, err, store.ErrInvalid, "unknown status")
}

func testSwitchList(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "list")
	other := company(t, s, "list-other")

	statuses := []store.SwitchStatus{store.SwitchIncomplete, store.SwitchValid, store.SwitchToReview, store.SwitchIncomplete}
	for i, st := range statuses {
		sw := sampleSwitch(co, i+1)
		sw.Status = st
		sw.SwitchDate = civil.Date{Year: 2025, Month: time.Month(i + 1), Day: 1}
		sw.FirstSeen = time.Date(2025, time.Month(i+1), 1, 0, 0, 0, 0, time.UTC)
		_, err := s.PutSwitch(ctx, sw)
		require.NoError(t, err)
	}
	_, err := s.PutSwitch(ctx, sampleSwitch(other, 9))
	require.NoError(t, err)

	all, total, err := s.ListSwitches(ctx, store.SwitchFilter{Company: co})
	require.NoError(t, err)
	assert.Equal(t, 4, total)
	require.Len(t, all, 4)
	assert.Equal(t, POD(4), all[0].POD, "newest switch date first")

	incomplete, total, err := s.ListSwitches(ctx, store.SwitchFilter{Company: co, Statuses: []store.SwitchStatus{store.SwitchIncomplete}})
	require.NoError(t, err)
	assert.Equal(t, 2, total)
	assert.Len(t, incomplete, 2)

	old, total, err := s.ListSwitches(ctx, store.SwitchFilter{Company: co,
		Statuses:        []store.SwitchStatus{store.SwitchIncomplete},
		FirstSeenBefore: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	assert.Equal(t, 1, total)
	require.Len(t, old, 1)
	assert.Equal(t, POD(1), old[0].POD)

	byPOD, total, err := s.ListSwitches(ctx, store.SwitchFilter{Company: co, POD: POD(2)})
	require.NoError(t, err)
	assert.Equal(t, 1, total)
	require.Len(t, byPOD, 1)
	assert.Equal(t, store.SwitchValid, byPOD[0].Status)

	page, total, err := s.ListSwitches(ctx, store.SwitchFilter{Company: co, Page: store.Page{Offset: 1, Limit: 2}})
	require.NoError(t, err)
	assert.Equal(t, 4, total)
	require.Len(t, page, 2)
	assert.Equal(t, POD(3), page[0].POD)
}

func testSwitchesOfLoad(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "ofload")
	other := company(t, s, "ofload-other")

	first := sampleSwitch(co, 1)
	_, err := s.PutSwitch(ctx, first)
	require.NoError(t, err)
	_, err = s.PutSwitch(ctx, sampleSwitch(co, 2))
	require.NoError(t, err)
	_, err = s.PutSwitch(ctx, sampleSwitch(other, 1))
	require.NoError(t, err)

	rec := &flows.Record{POD: flows.V(POD(1)), MeasureDate: flows.V("31/10/2025"),
		Pdp: flows.Pdp{Set: true, Treatment: flows.V("F")}}
	data, _ := Original(71, 200)
	l := load(t, s, co, "pno2g.xml", data, Header("PNO2G"), item{rec: rec})

	got, err := s.SwitchesOfLoad(ctx, co, l.ID)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, first.PracticeCode, got[0].PracticeCode)

	none, err := s.SwitchesOfLoad(ctx, other, l.ID)
	require.NoError(t, err)
	assert.Empty(t, none, "another company's load names none of its switches")
}

func testSwitchDecide(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "decide")
	other := company(t, s, "decide-other")

	review, err := s.PutSwitch(ctx, sampleSwitch(co, 1))
	require.NoError(t, err)
	valid := sampleSwitch(co, 2)
	valid.Status = store.SwitchValid
	validSw, err := s.PutSwitch(ctx, valid)
	require.NoError(t, err)

	accept := store.SwitchDecision{Decision: store.DecisionAccept, Actor: "decide/anna", Reason: "reading confirmed by phone"}
	_, err = s.DecideSwitch(ctx, co, validSw.ID, accept)
	assert.ErrorIs(t, err, store.ErrConflict, "a valid switch takes no decision")
	_, err = s.DecideSwitch(ctx, other, review.ID, accept)
	assert.ErrorIs(t, err, store.ErrNotFound, "another company cannot decide")
	_, err = s.DecideSwitch(ctx, co, review.ID, store.SwitchDecision{Decision: "maybe", Actor: "x"})
	assert.ErrorIs(t, err, store.ErrInvalid)
	_, err = s.DecideSwitch(ctx, co, review.ID, store.SwitchDecision{Decision: store.DecisionAccept})
	assert.ErrorIs(t, err, store.ErrInvalid, "the actor is required")

	decided, err := s.DecideSwitch(ctx, co, review.ID, accept)
	require.NoError(t, err)
	assert.Equal(t, store.SwitchValid, decided.Status)
	assert.Equal(t, store.DecisionAccept, decided.Decision)
	stored, err := s.Switch(ctx, co, review.ID)
	require.NoError(t, err)
	assert.Equal(t, store.SwitchValid, stored.Status)
	assert.Equal(t, store.DecisionAccept, stored.Decision)

	_, err = s.DecideSwitch(ctx, co, review.ID, accept)
	assert.ErrorIs(t, err, store.ErrConflict, "a decided switch takes no second decision")

	// Reopened with new inputs, then rejected.
	reopened := sampleSwitch(co, 1)
	reopened.Inputs = "r1/1+c3/1"
	_, err = s.PutSwitch(ctx, reopened)
	require.NoError(t, err)
	rejected, err := s.DecideSwitch(ctx, co, review.ID, store.SwitchDecision{
		Decision: store.DecisionReject, Actor: "decide/marco", Reason: "corrected reading below the previous one"})
	require.NoError(t, err)
	assert.Equal(t, store.SwitchInvalid, rejected.Status)

	log, err := s.SwitchDecisions(ctx, co, review.ID)
	require.NoError(t, err)
	require.Len(t, log, 2)
	assert.Equal(t, store.DecisionAccept, log[0].Decision)
	assert.Equal(t, "decide/anna", log[0].Actor)
	assert.Equal(t, "reading confirmed by phone", log[0].Reason)
	assert.Equal(t, store.SwitchToReview, log[0].From)
	assert.Equal(t, store.SwitchValid, log[0].To)
	assert.Equal(t, "r1/1", log[0].Inputs)
	assert.False(t, log[0].DecidedAt.IsZero())
	assert.Equal(t, store.DecisionReject, log[1].Decision)
	assert.Equal(t, store.SwitchInvalid, log[1].To)
	assert.Equal(t, "r1/1+c3/1", log[1].Inputs)

	_, err = s.SwitchDecisions(ctx, other, review.ID)
	assert.ErrorIs(t, err, store.ErrNotFound)
}

func testSwitchQueueCompleted(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "queue")
	other := company(t, s, "queue-other")

	rec := &flows.Record{POD: flows.V(POD(1)), MeasureDate: flows.V("30/09/2025"), ServiceDate: flows.V("01/10/2025"),
		PracticeCode: flows.V("SII100000000001"), Pdp: flows.Pdp{Set: true, Treatment: flows.V("F")},
		Measure: &flows.Measure{Element: "Misura", XSIType: "DettaglioMisuraSNM2GType", Collection: flows.V("S"),
			DataType: flows.V("E"), Validated: flows.V("S"),
			Registers: flows.Registers{Ea: [6]flows.Value{flows.V("1000,000")}}}}
	data, _ := Original(81, 200)
	l := load(t, s, co, "snm2g.xml", data, Header("SNM2G"), item{rec: rec})

	sw := sampleSwitch(co, 1)
	sw.Status = store.SwitchValid
	sw.Data.Reading.Record = store.RecordRef{Load: l.ID, Seq: 1}
	_, err := s.PutSwitch(ctx, sw)
	require.NoError(t, err)
	require.NoError(t, s.QueueSwitchCompleted(ctx, sw))
	require.NoError(t, s.QueueSwitchCompleted(ctx, sw), "queueing twice keeps one item")

	kinds := []store.ExportKind{store.ExportSwitchCompleted}
	pending, err := s.PendingExport(ctx, store.ExportFilter{Company: co, Kinds: kinds})
	require.NoError(t, err)
	require.Len(t, pending, 1)
	assert.Equal(t, store.ExportSwitchCompleted, pending[0].Kind)
	assert.Equal(t, sw.Data.Reading.Record, pending[0].Record)
	assert.Equal(t, POD(1), pending[0].POD)
	assert.Equal(t, "SNM2G", pending[0].FlowCode)
	none, err := s.PendingExport(ctx, store.ExportFilter{Company: other, Kinds: kinds})
	require.NoError(t, err)
	assert.Empty(t, none, "another company's queue has no item")

	entities, err := s.ExportEntities(ctx, co, []int64{pending[0].Seq})
	require.NoError(t, err)
	require.Len(t, entities, 1)
	assert.True(t, entities[0].Found)
	assert.Equal(t, "SII100000000001", deref(entities[0].Row.PracticeCode))
	require.Len(t, entities[0].Readings, 1, "the entity carries the starting reading")
	assert.Equal(t, "1000,000", entities[0].Readings[0].Registers["EaF1"])
	assert.Equal(t, sw.Data.Technical, entities[0].Technical, "the entity carries the technical data")

	results, err := s.AcknowledgeExport(ctx, co, []int64{pending[0].Seq}, "billing")
	require.NoError(t, err)
	require.Len(t, results, 1)
	assert.Equal(t, store.ExportOK, results[0].Outcome)
	pending, err = s.PendingExport(ctx, store.ExportFilter{Company: co, Kinds: kinds})
	require.NoError(t, err)
	assert.Empty(t, pending, "an acknowledged event is not pending")

	// The switch changed after billing took the event: it is offered
	// again, after the cursor of a billing system that took it.
	cursor := entities[0].Offer
	require.NoError(t, s.QueueSwitchCompleted(ctx, sw))
	pending, err = s.PendingExport(ctx, store.ExportFilter{Company: co, Kinds: kinds, After: cursor})
	require.NoError(t, err)
	require.Len(t, pending, 1)
	assert.Equal(t, entities[0].Seq, pending[0].Seq)
	assert.Greater(t, pending[0].Offer, cursor)
	log, total, err := s.ExportLog(ctx, store.ExportLogFilter{Company: co, Seq: pending[0].Seq})
	require.NoError(t, err)
	assert.Equal(t, 2, total)
	require.Len(t, log, 2)
	assert.Equal(t, store.ExportActionReexport, log[1].Action)

	noReading := sampleSwitch(co, 2)
	noReading.Data.Reading = nil
	assert.ErrorIs(t, s.QueueSwitchCompleted(ctx, noReading), store.ErrInvalid)
}

// switchReadingLoad loads one SNM2G switching reading of POD n under
// practice code SII10000000000n and returns its record.
func switchReadingLoad(t *testing.T, s store.Store, co store.CompanyID, n int) store.RecordRef {
	t.Helper()
	rec := &flows.Record{POD: flows.V(POD(n)), MeasureDate: flows.V("30/09/2025"), ServiceDate: flows.V("01/10/2025"),
		PracticeCode: flows.V(fmt.Sprintf("SII10000000000%d", n)), Pdp: flows.Pdp{Set: true, Treatment: flows.V("F")},
		Measure: &flows.Measure{Element: "Misura", XSIType: "DettaglioMisuraSNM2GType", Collection: flows.V("S"),
			DataType: flows.V("E"), Validated: flows.V("S"),
			Registers: flows.Registers{Ea: [6]flows.Value{flows.V("1000,000")}}}}
	data, _ := Original(90+n, 200)
	l := load(t, s, co, fmt.Sprintf("snm2g-%d.xml", n), data, Header("SNM2G"), item{rec: rec})
	return store.RecordRef{Load: l.ID, Seq: 1}
}

// rejectedSwitch stores a switch of POD n that started from reading,
// queues its completed event, and then records an operator's rejection.
func rejectedSwitch(t *testing.T, s store.Store, co store.CompanyID, n int, reading store.RecordRef) store.Switch {
	t.Helper()
	ctx := ctxT(t)
	sw := sampleSwitch(co, n)
	sw.PracticeCode = fmt.Sprintf("SII10000000000%d", n)
	sw.Data.Reading.Record = reading
	sw.Status = store.SwitchValid
	put, err := s.PutSwitch(ctx, sw)
	require.NoError(t, err)
	require.NoError(t, s.QueueSwitchCompleted(ctx, put))
	require.NoError(t, s.MarkSwitchExported(ctx, co, put.ID, put.Inputs))

	put.Status = store.SwitchToReview
	_, err = s.PutSwitch(ctx, put)
	require.NoError(t, err)
	rejected, err := s.DecideSwitch(ctx, co, put.ID, store.SwitchDecision{Decision: store.DecisionReject,
		Actor: "acme/anna", Reason: "wrong reading", DecidedAt: time.Date(2025, 10, 21, 8, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	return rejected
}

func testSwitchQueueWithdrawn(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "withdraw")
	other := company(t, s, "withdraw-other")
	reading := switchReadingLoad(t, s, co, 1)

	sw := sampleSwitch(co, 1)
	err := s.QueueSwitchWithdrawn(ctx, sw, reading)
	assert.ErrorIs(t, err, store.ErrNotFound, "no completed item to withdraw")

	rejected := rejectedSwitch(t, s, co, 1, reading)
	completedKinds := []store.ExportKind{store.ExportSwitchCompleted}
	completed, err := s.PendingExport(ctx, store.ExportFilter{Company: co, Kinds: completedKinds})
	require.NoError(t, err)
	require.Len(t, completed, 1)
	_, err = s.AcknowledgeExport(ctx, co, []int64{completed[0].Seq}, "billing")
	require.NoError(t, err)

	require.NoError(t, s.QueueSwitchWithdrawn(ctx, rejected, reading))
	require.NoError(t, s.QueueSwitchWithdrawn(ctx, rejected, reading), "queueing twice keeps one item")
	kinds := []store.ExportKind{store.ExportSwitchWithdrawn}
	pending, err := s.PendingExport(ctx, store.ExportFilter{Company: co, Kinds: kinds})
	require.NoError(t, err)
	require.Len(t, pending, 1)
	assert.Equal(t, store.ExportSwitchWithdrawn, pending[0].Kind)
	assert.Equal(t, reading, pending[0].Record, "the same record as the completed item")
	assert.Equal(t, POD(1), pending[0].POD)
	assert.Equal(t, "SNM2G", pending[0].FlowCode)
	assert.Equal(t, pending[0].Seq, pending[0].Offer, "queueing again did not move the item")

	otherSwitch := rejected
	otherSwitch.Company = other
	assert.ErrorIs(t, s.QueueSwitchWithdrawn(ctx, otherSwitch, reading), store.ErrNotFound,
		"another company has no completed item of the record")
	none, err := s.PendingExport(ctx, store.ExportFilter{Company: other, Kinds: kinds})
	require.NoError(t, err)
	assert.Empty(t, none)

	entities, err := s.ExportEntities(ctx, co, []int64{pending[0].Seq, completed[0].Seq})
	require.NoError(t, err)
	require.Len(t, entities, 2)
	got := entities[0].Switch
	require.NotNil(t, got, "the withdrawn entity carries the switch")
	assert.Equal(t, rejected.ID, got.ID)
	assert.Equal(t, "SII100000000001", got.PracticeCode)
	assert.Equal(t, POD(1), got.POD)
	assert.Equal(t, civil.Date{Year: 2025, Month: time.October, Day: 1}, got.SwitchDate)
	assert.Equal(t, store.SwitchInvalid, got.Status)
	assert.Equal(t, []string{"SW-ESTIMATED"}, got.ReasonCodes)
	assert.Equal(t, completed[0].Seq, got.CompletedSeq)
	require.NotNil(t, got.Decision)
	assert.Equal(t, store.DecisionReject, got.Decision.Decision)
	assert.Equal(t, "acme/anna", got.Decision.Actor)
	assert.Equal(t, "wrong reading", got.Decision.Reason)
	assert.True(t, time.Date(2025, 10, 21, 8, 0, 0, 0, time.UTC).Equal(got.Decision.DecidedAt))
	require.Len(t, entities[0].Readings, 1, "the entity carries the withdrawn starting reading")
	assert.Equal(t, "1000,000", entities[0].Readings[0].Registers["EaF1"])

	completedSwitch := entities[1].Switch
	require.NotNil(t, completedSwitch, "the completed entity carries the switch")
	assert.Equal(t, "SII100000000001", completedSwitch.PracticeCode)
	assert.Zero(t, completedSwitch.CompletedSeq)

	// The switch moved on to another starting reading: the record's
	// practice code still finds it, but the technical data are no longer
	// the event's.
	moved := rejected
	moved.Data.Reading.Record = store.RecordRef{Load: reading.Load + 1000, Seq: 1}
	_, err = s.PutSwitch(ctx, moved)
	require.NoError(t, err)
	entities, err = s.ExportEntities(ctx, co, []int64{pending[0].Seq, completed[0].Seq})
	require.NoError(t, err)
	require.NotNil(t, entities[0].Switch)
	assert.Equal(t, rejected.ID, entities[0].Switch.ID)
	require.NotNil(t, entities[1].Switch)
	assert.Nil(t, entities[1].Technical)
}

// testSwitchWithdrawnOfferOrder queues a switch's completed and withdrawn
// events in turn. Billing reads items in offer order, so it must always
// reach the event queued last after the other one.
func testSwitchWithdrawnOfferOrder(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "withdraw-order")
	reading := switchReadingLoad(t, s, co, 2)
	sw := rejectedSwitch(t, s, co, 2, reading)
	kinds := []store.ExportKind{store.ExportSwitchCompleted, store.ExportSwitchWithdrawn}
	order := func() []store.ExportKind {
		t.Helper()
		items, err := s.PendingExport(ctx, store.ExportFilter{Company: co, Kinds: kinds})
		require.NoError(t, err)
		var out []store.ExportKind
		for _, it := range items {
			out = append(out, it.Kind)
		}
		return out
	}

	// Both pending: the withdrawal is newer.
	require.NoError(t, s.QueueSwitchWithdrawn(ctx, sw, reading))
	assert.Equal(t, []store.ExportKind{store.ExportSwitchCompleted, store.ExportSwitchWithdrawn}, order())

	// Completed again while both are pending: it moves after the
	// withdrawal, and the move is not a logged re-export.
	require.NoError(t, s.QueueSwitchCompleted(ctx, sw))
	assert.Equal(t, []store.ExportKind{store.ExportSwitchWithdrawn, store.ExportSwitchCompleted}, order())
	_, logged, err := s.ExportLog(ctx, store.ExportLogFilter{Company: co})
	require.NoError(t, err)
	assert.Zero(t, logged)

	// Withdrawn again: back after the completed event.
	require.NoError(t, s.QueueSwitchWithdrawn(ctx, sw, reading))
	assert.Equal(t, []store.ExportKind{store.ExportSwitchCompleted, store.ExportSwitchWithdrawn}, order())

	// Billing takes both. Completed again: only it is offered, and the
	// re-export is logged.
	items, err := s.PendingExport(ctx, store.ExportFilter{Company: co, Kinds: kinds})
	require.NoError(t, err)
	_, err = s.AcknowledgeExport(ctx, co, []int64{items[0].Seq, items[1].Seq}, "billing")
	require.NoError(t, err)
	require.NoError(t, s.QueueSwitchCompleted(ctx, sw))
	assert.Equal(t, []store.ExportKind{store.ExportSwitchCompleted}, order())
	log, _, err := s.ExportLog(ctx, store.ExportLogFilter{Company: co, Action: store.ExportActionReexport})
	require.NoError(t, err)
	require.Len(t, log, 1)
	assert.Equal(t, store.ExportSwitchCompleted, log[0].Kind)
	assert.Equal(t, "switch validation", log[0].Caller)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
