package distributor

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func TestNextTransitions(t *testing.T) {
	tests := []struct {
		from  State
		event EventKind
		to    State
		ok    bool
	}{
		{StateDraft, EventSend, StateSent, true},
		{StateDraft, EventDone, StateDraft, false},
		{StateSent, EventAdmissible, StateAdmissible, true},
		{StateSent, EventRejected, StateRejected, true},
		{StateSent, EventDone, StateDone, true},
		{StateSent, EventExpire, StateExpired, true},
		{StateSent, EventSend, StateSent, false},
		{StateAdmissible, EventDone, StateDone, true},
		{StateAdmissible, EventFailed, StateFailed, true},
		{StateAdmissible, EventAdmissible, StateAdmissible, false},
		{StateExpired, EventDone, StateDone, true},
		{StateExpired, EventRejected, StateRejected, true},
		{StateDone, EventMeterData, StateDone, true},
		{StateDone, EventDone, StateDone, false},
		{StateRejected, EventAdmissible, StateRejected, false},
		{StateFailed, EventDone, StateFailed, false},
	}
	for _, tt := range tests {
		got, err := Next(tt.from, tt.event)
		assert.Equal(t, tt.to, got, "%s + %s", tt.from, tt.event)
		if tt.ok {
			assert.NoError(t, err, "%s + %s", tt.from, tt.event)
		} else {
			assert.ErrorIs(t, err, ErrTransition, "%s + %s", tt.from, tt.event)
		}
	}
}

func TestFinalStates(t *testing.T) {
	for _, s := range []State{StateRejected, StateDone, StateFailed} {
		assert.True(t, s.Final(), s)
	}
	for _, s := range []State{StateDraft, StateSent, StateAdmissible, StateExpired} {
		assert.False(t, s.Final(), s)
	}
}

func TestCaseExpiry(t *testing.T) {
	c := NewCase(loadRequest(t, "D01"), "test")
	_, err := c.Send(t0, "d01.xml", Deadlines{Default: 5 * 24 * time.Hour, PerService: map[string]time.Duration{"D01": 48 * time.Hour}})
	require.NoError(t, err)
	assert.Equal(t, t0.Add(48*time.Hour), c.Deadline)

	_, expired := c.ExpireIfDue(t0.Add(47 * time.Hour))
	assert.False(t, expired)
	tr, expired := c.ExpireIfDue(t0.Add(48 * time.Hour))
	assert.True(t, expired)
	assert.Equal(t, StateExpired, tr.To)
	assert.Equal(t, StateExpired, c.State)

	_, expired = c.ExpireIfDue(t0.Add(72 * time.Hour))
	assert.False(t, expired, "an expired case does not expire twice")
}

func TestCaseNoDeadline(t *testing.T) {
	c := NewCase(loadRequest(t, "M01"), "test")
	_, err := c.Send(t0, "m01.xml", Deadlines{})
	require.NoError(t, err)
	assert.True(t, c.Deadline.IsZero())
	_, expired := c.ExpireIfDue(t0.AddDate(10, 0, 0))
	assert.False(t, expired)
}

func TestCaseInvalidTransitionKeepsState(t *testing.T) {
	c := NewCase(loadRequest(t, "M01"), "test")
	_, err := c.Apply(Event{Kind: EventDone, At: t0})
	require.ErrorIs(t, err, ErrTransition)
	assert.Contains(t, err.Error(), "CASE-M01-0001")
	assert.Equal(t, StateDraft, c.State)
	assert.Empty(t, c.History)
}

func TestCaseJSONRoundTrip(t *testing.T) {
	c := NewCase(loadRequest(t, "D01"), "test")
	_, err := c.Send(t0, "d01.xml", Deadlines{Default: time.Hour})
	require.NoError(t, err)
	b, err := json.Marshal(c)
	require.NoError(t, err)
	var back Case
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, c.State, back.State)
	assert.True(t, c.Deadline.Equal(back.Deadline))
	require.Len(t, back.History, 1)
	assert.Equal(t, EventSend, back.History[0].Event)
}

func TestProfileDeadlines(t *testing.T) {
	p := &Profile{DeadlineDays: map[string]int{"*": 10, "D01": 5}}
	d := p.Deadlines()
	assert.Equal(t, 10*24*time.Hour, d.For("A01"))
	assert.Equal(t, 5*24*time.Hour, d.For("D01"))
	var none *Profile
	assert.Zero(t, none.Deadlines().For("A01"))
}
