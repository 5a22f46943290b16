package switching_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/flows/flowgen"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/switching"
)

// withStoreExporter makes the store's export queue receive the events.
func (e *env) withStoreExporter() {
	e.svc = switching.New(e.st, switching.Options{Now: func() time.Time { return e.now }}, nil, e.st, nil)
}

// pending returns the pending export items of one kind.
func (e *env) pending(kind store.ExportKind) []store.ExportItem {
	e.t.Helper()
	items, err := e.st.PendingExport(e.ctx, store.ExportFilter{Company: e.co, Kinds: []store.ExportKind{kind}})
	require.NoError(e.t, err)
	return items
}

// takeCompleted acknowledges the one pending completed item, as billing
// does, and returns it.
func (e *env) takeCompleted() store.ExportItem {
	e.t.Helper()
	items := e.pending(store.ExportSwitchCompleted)
	require.Len(e.t, items, 1)
	_, err := e.st.AcknowledgeExport(e.ctx, e.co, []int64{items[0].Seq}, "billing")
	require.NoError(e.t, err)
	return items[0]
}

func TestSwitchRejectedAfterExportWithdrawn(t *testing.T) {
	e := newEnv(t)
	e.withStoreExporter()
	e.register()
	sw := e.loadComplete(nil)
	require.Equal(t, store.SwitchValid, sw.Status)
	completed := e.takeCompleted()

	reopened := e.loadAndValidate(flowgen.Options{FlowCode: "RSN2G", Reasons: []int{2}}, nil)
	require.Len(t, reopened, 1)
	require.Equal(t, store.SwitchToReview, reopened[0].Status)
	assert.Empty(t, e.pending(store.ExportSwitchWithdrawn), "a switch to review keeps its completed event")

	decidedAt := e.now.Add(time.Hour)
	rejected, err := e.svc.Decide(e.ctx, e.co, sw.ID, store.SwitchDecision{Decision: store.DecisionReject,
		Actor: "acme/anna", Reason: "the corrected reading is wrong", DecidedAt: decidedAt})
	require.NoError(t, err)
	assert.Equal(t, store.SwitchInvalid, rejected.Status)
	assert.Empty(t, rejected.ExportedInputs, "billing holds no completed event any more")

	withdrawn := e.pending(store.ExportSwitchWithdrawn)
	require.Len(t, withdrawn, 1)
	assert.Equal(t, completed.Record, withdrawn[0].Record, "the withdrawal names the record billing received")
	assert.Equal(t, "SNM2G", withdrawn[0].FlowCode)
	assert.Equal(t, pod0(), withdrawn[0].POD)
	assert.Empty(t, e.pending(store.ExportSwitchCompleted))

	stored, err := e.st.SwitchByPractice(e.ctx, e.co, practice0)
	require.NoError(t, err)
	assert.Empty(t, stored.ExportedInputs)

	// Running the validation again queues nothing and moves nothing.
	for range 2 {
		again, err := e.svc.Validate(e.ctx, e.co, practice0, pod0())
		require.NoError(t, err)
		assert.Equal(t, store.SwitchInvalid, again.Status)
	}
	assert.Equal(t, withdrawn, e.pending(store.ExportSwitchWithdrawn))

	entities, err := e.st.ExportEntities(e.ctx, e.co, []int64{withdrawn[0].Seq})
	require.NoError(t, err)
	require.Len(t, entities, 1)
	got := entities[0].Switch
	require.NotNil(t, got)
	assert.Equal(t, practice0, got.PracticeCode)
	assert.Equal(t, pod0(), got.POD)
	assert.Equal(t, switchDay, got.SwitchDate)
	assert.Equal(t, store.SwitchInvalid, got.Status)
	assert.Equal(t, []string{switching.RuleReopened.Code}, got.ReasonCodes)
	assert.Equal(t, completed.Seq, got.CompletedSeq)
	require.NotNil(t, got.Decision)
	assert.Equal(t, store.DecisionReject, got.Decision.Decision)
	assert.Equal(t, "acme/anna", got.Decision.Actor)
	assert.True(t, decidedAt.Equal(got.Decision.DecidedAt), "decided at %s", got.Decision.DecidedAt)
	assert.NotEmpty(t, entities[0].Readings, "the entity carries the withdrawn starting reading")

	// Once billing took the withdrawal, a new run does not offer it again.
	_, err = e.st.AcknowledgeExport(e.ctx, e.co, []int64{withdrawn[0].Seq}, "billing")
	require.NoError(t, err)
	_, err = e.svc.Validate(e.ctx, e.co, practice0, pod0())
	require.NoError(t, err)
	assert.Empty(t, e.pending(store.ExportSwitchWithdrawn))
}

func TestSwitchInvalidCorrectionWithdrawn(t *testing.T) {
	e := newEnv(t)
	e.withStoreExporter()
	e.register()
	e.loadComplete(nil)
	completed := e.takeCompleted()

	// A correction with a missing band breaks a blocking rule.
	out := e.loadAndValidate(flowgen.Options{FlowCode: "RSN2G", Reasons: []int{2}}, func(r *flows.Record) {
		r.Measure.Registers.Ea[4] = flows.Value{}
	})
	require.Len(t, out, 1)
	require.Equal(t, store.SwitchInvalid, out[0].Status, "reasons: %v", out[0].Reasons)
	assert.Empty(t, out[0].Decision)

	withdrawn := e.pending(store.ExportSwitchWithdrawn)
	require.Len(t, withdrawn, 1)
	assert.Equal(t, completed.Record, withdrawn[0].Record)
	entities, err := e.st.ExportEntities(e.ctx, e.co, []int64{withdrawn[0].Seq})
	require.NoError(t, err)
	require.NotNil(t, entities[0].Switch)
	assert.Contains(t, entities[0].Switch.ReasonCodes, switching.RuleBandMissing.Code)
	assert.Nil(t, entities[0].Switch.Decision, "no operator decided")
}

func TestSwitchAcceptedAfterReopenCompletedAgain(t *testing.T) {
	e := newEnv(t)
	e.withStoreExporter()
	e.register()
	e.loadComplete(nil)
	first := e.takeCompleted()

	out := e.loadAndValidate(flowgen.Options{FlowCode: "RSN2G", Reasons: []int{2}}, nil)
	require.Len(t, out, 1)
	accepted, err := e.svc.Decide(e.ctx, e.co, out[0].ID, store.SwitchDecision{
		Decision: store.DecisionAccept, Actor: "acme/anna", Reason: "corrected reading confirmed"})
	require.NoError(t, err)
	require.Equal(t, store.SwitchValid, accepted.Status)
	assert.Equal(t, accepted.Inputs, accepted.ExportedInputs)

	items := e.pending(store.ExportSwitchCompleted)
	require.Len(t, items, 1, "accepting queues the completed event of the corrected reading")
	assert.Equal(t, "RSN2G", items[0].FlowCode)
	assert.NotEqual(t, first.Record, items[0].Record)
	assert.Empty(t, e.pending(store.ExportSwitchWithdrawn))

	entities, err := e.st.ExportEntities(e.ctx, e.co, []int64{items[0].Seq})
	require.NoError(t, err)
	require.NotNil(t, entities[0].Switch)
	assert.Equal(t, practice0, entities[0].Switch.PracticeCode)
	require.NotNil(t, entities[0].Switch.Decision)
	assert.Equal(t, store.DecisionAccept, entities[0].Switch.Decision.Decision)
	require.NotEmpty(t, entities[0].Readings)
	assert.Equal(t, "RSN2G", entities[0].Readings[0].FlowCode, "the event carries the corrected reading")
	assert.NotEmpty(t, entities[0].Technical)
}

func TestSwitchWithdrawnThenCompletedAgain(t *testing.T) {
	e := newEnv(t)
	e.register()
	e.loadComplete(nil)
	out := e.loadAndValidate(flowgen.Options{FlowCode: "RSN2G", Reasons: []int{2}}, nil)
	require.Len(t, out, 1)
	_, err := e.svc.Decide(e.ctx, e.co, out[0].ID, store.SwitchDecision{Decision: store.DecisionReject, Actor: "acme/anna"})
	require.NoError(t, err)
	events := e.exporter.list()
	require.Len(t, events, 1)
	assert.Equal(t, []store.RecordRef{events[0].Data.Reading.Record}, e.exporter.listWithdrawn())

	// A second correction reopens the rejected switch, and an operator
	// accepts it: billing gets a completed event again.
	out = e.loadAndValidate(flowgen.Options{FlowCode: "RSN2G", Reasons: []int{3}}, nil)
	require.Len(t, out, 1)
	require.Equal(t, store.SwitchToReview, out[0].Status, "reasons: %v", out[0].Reasons)
	accepted, err := e.svc.Decide(e.ctx, e.co, out[0].ID, store.SwitchDecision{Decision: store.DecisionAccept, Actor: "acme/anna"})
	require.NoError(t, err)
	assert.Equal(t, store.SwitchValid, accepted.Status)
	require.Len(t, e.exporter.list(), 2)
	assert.Len(t, e.exporter.listWithdrawn(), 1)
}

func TestSwitchInvalidNeverExportedNotWithdrawn(t *testing.T) {
	e := newEnv(t)
	e.register()
	sw := e.loadComplete(func(r *flows.Record) {
		r.Measure.Registers.Ea[4] = flows.Value{}
	})
	require.Equal(t, store.SwitchInvalid, sw.Status)
	assert.Empty(t, e.exporter.list())
	assert.Empty(t, e.exporter.listWithdrawn(), "billing never received the switch")
}
