package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/bludispatcher/dispatcher/distributor"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/server/store"
)

var _ store.OutcomeTx = (*loadTx)(nil)

// ApplyOutcome moves the request of an outcome inside the load's
// transaction; see store.OutcomeTx.
func (t *loadTx) ApplyOutcome(ctx context.Context, o *distributor.Outcome, at time.Time) (anomaly.List, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	list, err := t.applyOutcome(ctx, o, at)
	if err != nil {
		return nil, t.fail(ctx, "apply outcome", err)
	}
	return list, nil
}

func (t *loadTx) applyOutcome(ctx context.Context, o *distributor.Outcome, at time.Time) (anomaly.List, error) {
	// A PostgreSQL expiry may move the request between the read and the
	// update; the row comparison in setState catches it, and the outcome
	// is matched again against the new state.
	for attempt := 0; ; attempt++ {
		list, err := t.matchOutcome(ctx, o, at)
		if errors.Is(err, errStale) && attempt < 2 {
			continue
		}
		return list, err
	}
}

// matchOutcome applies an outcome to the stored state of its request and
// stores the outcome.
func (t *loadTx) matchOutcome(ctx context.Context, o *distributor.Outcome, at time.Time) (anomaly.List, error) {
	r, found, err := t.requestByCase(ctx, o.IDs.CaseNumber)
	if err != nil {
		return nil, err
	}
	var c *distributor.Case
	if found {
		c = &distributor.Case{CaseNumber: r.CaseNumber, Service: r.Service, Profile: r.Profile,
			DistributorCase: r.DistributorCase, State: r.State, Deadline: r.Deadline}
	}
	tr, list := distributor.ApplyOutcome(func(string) (*distributor.Case, bool) { return c, found }, o, at)
	matched := 0
	if len(list) == 0 {
		matched = 1
		r.DistributorCase = c.DistributorCase
		if _, err := t.s.setState(ctx, t.conn, &r, tr, t.id); err != nil {
			return nil, err
		}
	}
	var requestID any
	if found {
		requestID = r.ID
	}
	var code, msg string
	if len(list) > 0 {
		code, msg = list[0].Code, list[0].Message
	}
	body, err := json.Marshal(o)
	if err != nil {
		return nil, err
	}
	_, err = t.conn.Exec(ctx, t.s.q(`INSERT INTO request_outcomes (company_id, load_id, request_id,
		case_number, matched, code, message, outcome_json, read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		int64(t.info.Company), int64(t.id), requestID, o.IDs.CaseNumber, matched, code, msg, string(body), micros(at))
	return list, err
}

// requestByCase reads the request of a case number within the load's
// transaction.
func (t *loadTx) requestByCase(ctx context.Context, caseNumber string) (store.DistributorRequest, bool, error) {
	r, err := scanRequest(t.conn.QueryRow(ctx, t.s.q(`SELECT `+requestCols+` FROM distributor_requests
		WHERE company_id = ? AND case_number = ?`), int64(t.info.Company), caseNumber))
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	return r, err == nil, err
}
