package storetest

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/distributor"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/server/store"
)

// testRequests runs the checks of the distributor requests.
func testRequests(t *testing.T, f Factory) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"SubmitAndRead", testRequestSubmit},
		{"DuplicateCaseRollsBack", testRequestDuplicateCase},
		{"FileNamesUnique", testRequestFileNames},
		{"OutcomesInLoad", testRequestOutcomes},
		{"UpdatesPullAndAck", testRequestUpdates},
		{"Expiry", testRequestExpiry},
		{"TenantIsolation", testRequestTenants},
		{"ConcurrentSubmissions", testRequestConcurrent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := open(t, f)
			tc.fn(t, s)
		})
	}
}

// requestDay is the sending instant of the test requests.
var requestDay = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// submit stores a sent A01 request with a 10-day deadline under profile
// "p1", naming its file "REQ_<seq>.xml".
func submit(t *testing.T, s store.Store, co store.CompanyID, caseNumber string) (store.DistributorRequest, error) {
	t.Helper()
	delivered := false
	r, err := s.SubmitRequest(ctxT(t), co, func(sub store.RequestSubmission) (store.NewRequest, error) {
		return newRequest(sub, caseNumber)
	}, func() error {
		delivered = true
		return nil
	})
	if err == nil {
		assert.True(t, delivered, "deliver not called")
	}
	return r, err
}

func newRequest(sub store.RequestSubmission, caseNumber string) (store.NewRequest, error) {
	seq, err := sub.NextSeq("p1")
	if err != nil {
		return store.NewRequest{}, err
	}
	name := "REQ_" + strconv.FormatInt(seq, 10) + ".xml"
	if err := sub.Reserve("p1", name); err != nil {
		return store.NewRequest{}, err
	}
	req := &distributor.Request{Service: "A01", IDs: distributor.Identifiers{CaseNumber: caseNumber},
		Technical: distributor.Technical{POD: "IT001E00000001"}}
	c := distributor.NewCase(req, "p1")
	if _, err := c.Send(requestDay, name, distributor.Deadlines{Default: 10 * 24 * time.Hour}); err != nil {
		return store.NewRequest{}, err
	}
	return store.NewRequest{Request: req, Case: c, File: store.RequestFile{Name: name, Seq: seq}}, nil
}

func testRequestSubmit(t *testing.T, s store.Store) {
	co := company(t, s, "acme")
	r, err := submit(t, s, co, "C1")
	require.NoError(t, err)
	assert.Equal(t, distributor.StateSent, r.State)
	assert.Equal(t, int64(1), r.File.Seq)
	assert.Equal(t, "REQ_1.xml", r.File.Name)

	got, err := s.Request(ctxT(t), co, "C1")
	require.NoError(t, err)
	assert.Equal(t, "A01", got.Service)
	assert.Equal(t, "IT001E00000001", got.POD)
	assert.Equal(t, requestDay.Add(10*24*time.Hour), got.Deadline)
	assert.Equal(t, "IT001E00000001", got.Request.Technical.POD)
	require.Len(t, got.History, 1)
	assert.Equal(t, distributor.EventSend, got.History[0].Event)
	assert.Equal(t, "REQ_1.xml", got.History[0].File)

	r2, err := submit(t, s, co, "C2")
	require.NoError(t, err)
	assert.Equal(t, int64(2), r2.File.Seq)
	list, total, err := s.ListRequests(ctxT(t), store.RequestFilter{Company: co})
	require.NoError(t, err)
	assert.Equal(t, 2, total)
	require.Len(t, list, 2)
	assert.Equal(t, "C2", list[0].CaseNumber, "newest first")

	_, err = s.Request(ctxT(t), co, "missing")
	assert.ErrorIs(t, err, store.ErrNotFound)
}

func testRequestDuplicateCase(t *testing.T, s store.Store) {
	co := company(t, s, "acme")
	_, err := submit(t, s, co, "C1")
	require.NoError(t, err)
	delivered := false
	_, err = s.SubmitRequest(ctxT(t), co, func(sub store.RequestSubmission) (store.NewRequest, error) {
		return newRequest(sub, "C1")
	}, func() error {
		delivered = true
		return nil
	})
	assert.ErrorIs(t, err, store.ErrConflict)
	assert.False(t, delivered, "deliver called for a duplicate case")

	// The failed submission kept neither its progressive nor its name.
	r, err := submit(t, s, co, "C2")
	require.NoError(t, err)
	assert.Equal(t, int64(2), r.File.Seq)

	// A failing deliver rolls the request back.
	boom := errors.New("disk full")
	_, err = s.SubmitRequest(ctxT(t), co, func(sub store.RequestSubmission) (store.NewRequest, error) {
		return newRequest(sub, "C3")
	}, func() error { return boom })
	assert.ErrorIs(t, err, boom)
	_, err = s.Request(ctxT(t), co, "C3")
	assert.ErrorIs(t, err, store.ErrNotFound)
}

func testRequestFileNames(t *testing.T, s store.Store) {
	co := company(t, s, "acme")
	other := company(t, s, "other")
	ctx := ctxT(t)
	require.NoError(t, s.ReserveFileName(ctx, co, "p1", "REQ_1.xml"))
	err := s.ReserveFileName(ctx, co, "p1", "REQ_1.xml")
	assert.ErrorIs(t, err, store.ErrConflict)
	assert.ErrorIs(t, err, distributor.ErrNameUsed)
	assert.NoError(t, s.ReserveFileName(ctx, co, "p2", "REQ_1.xml"), "another profile")
	assert.NoError(t, s.ReserveFileName(ctx, other, "p1", "REQ_1.xml"), "another company")

	// The submission that builds a used name fails and stores nothing.
	_, err = submit(t, s, co, "C1")
	assert.ErrorIs(t, err, distributor.ErrNameUsed)
	_, err = s.Request(ctx, co, "C1")
	assert.ErrorIs(t, err, store.ErrNotFound)
}

// loadOutcomes applies outcomes in one load and returns the load and the
// anomalies of the outcomes that moved no request.
func loadOutcomes(t *testing.T, s store.Store, co store.CompanyID, name string, outs ...*distributor.Outcome) (store.Load, anomaly.List) {
	t.Helper()
	ctx := ctxT(t)
	tx, err := s.BeginLoad(ctx, info(co, name, []byte(name)))
	require.NoError(t, err)
	otx, ok := tx.(store.OutcomeTx)
	require.True(t, ok, "the LoadTx does not implement store.OutcomeTx")
	var all anomaly.List
	for _, o := range outs {
		list, err := otx.ApplyOutcome(ctx, o, requestDay.Add(time.Hour))
		require.NoError(t, err)
		all = append(all, list...)
	}
	require.NoError(t, tx.AddAnomalies(ctx, all))
	l, err := tx.Commit(ctx)
	require.NoError(t, err)
	return l, all
}

func outcome(caseNumber string, phase distributor.Phase, res distributor.Result) *distributor.Outcome {
	flow := map[distributor.Phase]string{distributor.PhaseAdmissibility: "0100", distributor.PhaseOutcome: "0150"}[phase]
	return &distributor.Outcome{File: "out.xml", Line: 2, Service: "A01", Flow: flow, Phase: phase,
		IDs: distributor.Identifiers{CaseNumber: caseNumber, DistributorCase: "D-" + caseNumber}, Result: res}
}

func testRequestOutcomes(t *testing.T, s store.Store) {
	co := company(t, s, "acme")
	_, err := submit(t, s, co, "C1")
	require.NoError(t, err)

	l, list := loadOutcomes(t, s, co, "adm.xml", outcome("C1", distributor.PhaseAdmissibility, distributor.ResultPositive))
	assert.Empty(t, list)
	assert.Equal(t, store.StatusLoaded, l.Status)
	r, err := s.Request(ctxT(t), co, "C1")
	require.NoError(t, err)
	assert.Equal(t, distributor.StateAdmissible, r.State)
	assert.Equal(t, "D-C1", r.DistributorCase)

	l2, list := loadOutcomes(t, s, co, "final.xml",
		outcome("C1", distributor.PhaseOutcome, distributor.ResultPositive),
		outcome("NOPE", distributor.PhaseOutcome, distributor.ResultPositive))
	require.Len(t, list, 1)
	assert.Equal(t, distributor.CodeUnknownCase, list[0].Code)
	assert.Equal(t, store.StatusLoadedWithAnomalies, l2.Status)
	r, err = s.Request(ctxT(t), co, "C1")
	require.NoError(t, err)
	assert.Equal(t, distributor.StateDone, r.State)
	require.Len(t, r.History, 3)
	assert.Equal(t, distributor.EventDone, r.History[2].Event)

	unmatched, total, err := s.RequestOutcomes(ctxT(t), co, true, store.Page{})
	require.NoError(t, err)
	assert.Equal(t, 1, total)
	require.Len(t, unmatched, 1)
	assert.Equal(t, "NOPE", unmatched[0].CaseNumber)
	assert.Equal(t, l2.ID, unmatched[0].Load)
	assert.Equal(t, distributor.CodeUnknownCase, unmatched[0].Code)
	assert.Equal(t, distributor.PhaseOutcome, unmatched[0].Outcome.Phase)
	_, total, err = s.RequestOutcomes(ctxT(t), co, false, store.Page{})
	require.NoError(t, err)
	assert.Equal(t, 3, total)

	// A rolled-back load leaves the request as it was.
	ctx := ctxT(t)
	_, err = submit(t, s, co, "C2")
	require.NoError(t, err)
	tx, err := s.BeginLoad(ctx, info(co, "rolled.xml", []byte("rolled")))
	require.NoError(t, err)
	_, err = tx.(store.OutcomeTx).ApplyOutcome(ctx, outcome("C2", distributor.PhaseAdmissibility, distributor.ResultNegative), requestDay)
	require.NoError(t, err)
	require.NoError(t, tx.Rollback(ctx))
	r, err = s.Request(ctx, co, "C2")
	require.NoError(t, err)
	assert.Equal(t, distributor.StateSent, r.State)
}

func testRequestUpdates(t *testing.T, s store.Store) {
	co := company(t, s, "acme")
	ctx := ctxT(t)
	_, err := submit(t, s, co, "C1")
	require.NoError(t, err)
	loadOutcomes(t, s, co, "adm.xml", outcome("C1", distributor.PhaseAdmissibility, distributor.ResultPositive))

	ups, err := s.PendingRequestUpdates(ctx, co, 0, 0)
	require.NoError(t, err)
	require.Len(t, ups, 2)
	assert.Equal(t, distributor.EventSend, ups[0].Event)
	assert.Zero(t, ups[0].Load)
	assert.Equal(t, distributor.StateAdmissible, ups[1].To)
	assert.NotZero(t, ups[1].Load)
	assert.Equal(t, "C1", ups[1].CaseNumber)
	assert.Equal(t, "D-C1", ups[1].DistributorCase)

	page, err := s.PendingRequestUpdates(ctx, co, ups[0].Seq, 1)
	require.NoError(t, err)
	require.Len(t, page, 1)
	assert.Equal(t, ups[1].Seq, page[0].Seq)

	res, err := s.AcknowledgeRequestUpdates(ctx, co, []int64{ups[0].Seq, ups[0].Seq, 999999}, "billing")
	require.NoError(t, err)
	assert.Equal(t, []store.AckResult{
		{Seq: ups[0].Seq, Outcome: store.AckOK},
		{Seq: ups[0].Seq, Outcome: store.AckAlreadyTaken},
		{Seq: 999999, Outcome: store.AckNotFound},
	}, res)
	left, err := s.PendingRequestUpdates(ctx, co, 0, 0)
	require.NoError(t, err)
	require.Len(t, left, 1)
	assert.Equal(t, ups[1].Seq, left[0].Seq)
}

func testRequestExpiry(t *testing.T, s store.Store) {
	co := company(t, s, "acme")
	ctx := ctxT(t)
	for _, c := range []string{"C1", "C2", "C3"} {
		_, err := submit(t, s, co, c)
		require.NoError(t, err)
	}
	loadOutcomes(t, s, co, "adm.xml", outcome("C2", distributor.PhaseAdmissibility, distributor.ResultPositive))
	loadOutcomes(t, s, co, "done.xml", outcome("C3", distributor.PhaseOutcome, distributor.ResultPositive))

	ups, err := s.ExpireRequests(ctx, requestDay.Add(10*24*time.Hour-time.Second))
	require.NoError(t, err)
	assert.Empty(t, ups, "expired before the deadline")

	ups, err = s.ExpireRequests(ctx, requestDay.Add(10*24*time.Hour))
	require.NoError(t, err)
	require.Len(t, ups, 2)
	assert.Equal(t, "C1", ups[0].CaseNumber)
	assert.Equal(t, distributor.StateExpired, ups[0].To)
	assert.Equal(t, "C2", ups[1].CaseNumber)
	assert.Equal(t, distributor.StateAdmissible, ups[1].From)

	again, err := s.ExpireRequests(ctx, requestDay.Add(20*24*time.Hour))
	require.NoError(t, err)
	assert.Empty(t, again, "an expired request expires once")

	// A late final outcome still moves an expired request.
	loadOutcomes(t, s, co, "late.xml", outcome("C1", distributor.PhaseOutcome, distributor.ResultNegative))
	r, err := s.Request(ctx, co, "C1")
	require.NoError(t, err)
	assert.Equal(t, distributor.StateFailed, r.State)
}

func testRequestTenants(t *testing.T, s store.Store) {
	acme := company(t, s, "acme")
	other := company(t, s, "other")
	ctx := ctxT(t)
	_, err := submit(t, s, acme, "C1")
	require.NoError(t, err)
	_, err = submit(t, s, other, "C1")
	require.NoError(t, err, "case numbers are unique per company")

	_, list := loadOutcomes(t, s, other, "adm.xml", outcome("C1", distributor.PhaseAdmissibility, distributor.ResultPositive))
	assert.Empty(t, list)
	r, err := s.Request(ctx, acme, "C1")
	require.NoError(t, err)
	assert.Equal(t, distributor.StateSent, r.State, "an outcome of another company moved the request")

	_, total, err := s.ListRequests(ctx, store.RequestFilter{Company: other})
	require.NoError(t, err)
	assert.Equal(t, 1, total)
	ups, err := s.PendingRequestUpdates(ctx, acme, 0, 0)
	require.NoError(t, err)
	require.Len(t, ups, 1)
	res, err := s.AcknowledgeRequestUpdates(ctx, other, []int64{ups[0].Seq}, "billing")
	require.NoError(t, err)
	assert.Equal(t, store.AckNotFound, res[0].Outcome)
}

// testRequestConcurrent submits requests from several goroutines: each
// gets its own progressive number and file name.
func testRequestConcurrent(t *testing.T, s store.Store) {
	co := company(t, s, "acme")
	const n = 8
	errs := make(chan error, n)
	seqs := make(chan int64, n)
	for i := range n {
		go func() {
			r, err := s.SubmitRequest(ctxT(t), co, func(sub store.RequestSubmission) (store.NewRequest, error) {
				return newRequest(sub, "C"+strconv.Itoa(i))
			}, func() error { return nil })
			errs <- err
			seqs <- r.File.Seq
		}()
	}
	got := map[int64]bool{}
	for range n {
		assert.NoError(t, <-errs)
		got[<-seqs] = true
	}
	assert.Len(t, got, n, "progressive numbers repeat")
	_, total, err := s.ListRequests(ctxT(t), store.RequestFilter{Company: co})
	require.NoError(t, err)
	assert.Equal(t, n, total)
}
