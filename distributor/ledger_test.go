package distributor

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sentLedger returns a ledger with the sample request of each service sent
// at t0, with a deadline of d.
func sentLedger(t *testing.T, d Deadlines, services ...string) *Ledger {
	t.Helper()
	l := NewLedger()
	for _, s := range services {
		c := NewCase(loadRequest(t, s), "test")
		_, err := c.Send(t0, s+".xml", d)
		require.NoError(t, err)
		require.NoError(t, l.Add(c))
	}
	return l
}

// applyFile reads an outcome file and applies each outcome to l.
func applyFile(t *testing.T, l *Ledger, name string, at time.Time) ([]Transition, []Anomaly) {
	t.Helper()
	outs, as := readOutcomeFile(t, name, nil)
	require.Empty(t, as)
	var trs []Transition
	var all []Anomaly
	for _, o := range outs {
		tr, as := l.Apply(o, at)
		if len(as) == 0 {
			trs = append(trs, tr)
		}
		all = append(all, as...)
	}
	return trs, all
}

func TestLedgerD01ToDone(t *testing.T) {
	l := sentLedger(t, Deadlines{}, "D01")
	trs, as := applyFile(t, l, "D01_E100_positive.xml", t0.Add(time.Hour))
	require.Empty(t, as)
	require.Len(t, trs, 1)
	assert.Equal(t, StateAdmissible, trs[0].To)

	trs, as = applyFile(t, l, "D01_E150_positive.xml", t0.Add(48*time.Hour))
	require.Empty(t, as)
	require.Len(t, trs, 1)
	c, _ := l.Case("CASE-D01-0001")
	assert.Equal(t, StateDone, c.State)
	assert.Equal(t, "DIST-77", c.DistributorCase)
	require.Len(t, c.History, 3)
	assert.Equal(t, []EventKind{EventSend, EventAdmissible, EventDone}, []EventKind{c.History[0].Event, c.History[1].Event, c.History[2].Event})
	assert.Equal(t, "D01_E150_positive.xml", c.History[2].File)
}

func TestLedgerRejectionKeepsReasons(t *testing.T) {
	l := sentLedger(t, Deadlines{}, "A01")
	_, as := applyFile(t, l, "A01_0100_negative.xml", t0)
	require.Empty(t, as)
	c, _ := l.Case("CASE-A01-0001")
	assert.Equal(t, StateRejected, c.State)
	assert.Equal(t, "C01 POD non trovato; C07; check the POD", c.History[1].Note)
}

func TestLedgerNegativeFinalOutcome(t *testing.T) {
	l := sentLedger(t, Deadlines{}, "V01")
	_, as := applyFile(t, l, "V01_0150_negative.xml", t0)
	require.Empty(t, as)
	c, _ := l.Case("CASE-V01-0001")
	assert.Equal(t, StateFailed, c.State)
}

func TestLedgerUnknownCaseReported(t *testing.T) {
	l := sentLedger(t, Deadlines{}, "M01")
	_, as := applyFile(t, l, "unknown_case.xml", t0)
	require.Len(t, as, 1)
	assert.Equal(t, CodeUnknownCase, as[0].Code)
	assert.Equal(t, "CASE-NOBODY-9999", as[0].Key)
	assert.Equal(t, "unknown_case.xml", as[0].File)
	require.Len(t, l.Unmatched, 1, "the outcome is kept")
	assert.Equal(t, "CASE-NOBODY-9999", l.Unmatched[0].IDs.CaseNumber)
}

func TestLedgerSecondFinalOutcome(t *testing.T) {
	l := sentLedger(t, Deadlines{}, "D01")
	_, as := applyFile(t, l, "D01_E150_positive.xml", t0)
	require.Empty(t, as)
	_, as = applyFile(t, l, "D01_E150_positive.xml", t0)
	require.Len(t, as, 1)
	assert.Equal(t, CodeTransition, as[0].Code)
	assert.Empty(t, l.Unmatched)
}

func TestLedgerServiceMismatch(t *testing.T) {
	l := NewLedger()
	c := NewCase(loadRequest(t, "M01"), "test")
	c.CaseNumber = "CASE-D01-0001"
	_, err := c.Send(t0, "m.xml", Deadlines{})
	require.NoError(t, err)
	require.NoError(t, l.Add(c))
	_, as := applyFile(t, l, "D01_E100_positive.xml", t0)
	require.Len(t, as, 1)
	assert.Equal(t, CodeOutcome, as[0].Code)
	assert.Equal(t, StateSent, c.State)
}

func TestLedgerExpiryAndLateOutcome(t *testing.T) {
	l := sentLedger(t, Deadlines{Default: 24 * time.Hour}, "D01", "M01")
	trs := l.ExpireDue(t0.Add(25 * time.Hour))
	assert.Len(t, trs, 2)
	c, _ := l.Case("CASE-D01-0001")
	assert.Equal(t, StateExpired, c.State)

	_, as := applyFile(t, l, "D01_E150_positive.xml", t0.Add(30*time.Hour))
	require.Empty(t, as)
	assert.Equal(t, StateDone, c.State, "a late outcome still moves the case")
}

func TestLedgerMeterDataAfterActivation(t *testing.T) {
	l := NewLedger()
	c := NewCase(&Request{Service: "A01", IDs: Identifiers{CaseNumber: "CASE-A01-0002"}}, "test")
	_, err := c.Send(t0, "a.xml", Deadlines{})
	require.NoError(t, err)
	require.NoError(t, l.Add(c))
	trs, as := applyFile(t, l, "A01_0150_upper_wrapped.xml", t0)
	require.Empty(t, as)
	require.Len(t, trs, 2)
	assert.Equal(t, StateDone, trs[1].To)
	assert.Equal(t, EventMeterData, trs[1].Event)
}

func TestLedgerDuplicateCase(t *testing.T) {
	l := sentLedger(t, Deadlines{}, "D01")
	err := l.Add(NewCase(loadRequest(t, "D01"), "test"))
	assert.ErrorContains(t, err, "already registered")
	assert.Error(t, l.Add(&Case{}))
}

// TestEncodedOutcomesMoveCases writes outcomes with EncodeOutcomeXML for
// every standard service and runs them through a ledger.
func TestEncodedOutcomesMoveCases(t *testing.T) {
	for _, s := range StandardServices() {
		t.Run(s.Code, func(t *testing.T) {
			l := sentLedger(t, Deadlines{}, s.Code)
			r := loadRequest(t, s.Code)
			for _, step := range []struct {
				phase  Phase
				result Result
				want   State
			}{
				{PhaseAdmissibility, ResultPositive, StateAdmissible},
				{PhaseOutcome, ResultNegative, StateFailed},
			} {
				var buf bytes.Buffer
				o := &Outcome{Service: s.Code, Phase: step.phase, IDs: r.IDs, Result: step.result}
				require.NoError(t, EncodeOutcomeXML(&buf, o, nil))
				outs, as, err := ReadOutcomes(&buf, "o.xml", nil)
				require.NoError(t, err)
				require.Empty(t, as)
				tr, as := l.Apply(outs[0], t0)
				require.Empty(t, as)
				assert.Equal(t, step.want, tr.To)
			}
		})
	}
}
