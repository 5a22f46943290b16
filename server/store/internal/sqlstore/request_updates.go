package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/bludispatcher/dispatcher/distributor"
	"github.com/bludispatcher/dispatcher/server/store"
)

// PendingRequestUpdates returns unacknowledged updates; see
// store.RequestStore.
func (s *Store) PendingRequestUpdates(ctx context.Context, company store.CompanyID, after int64, limit int) ([]store.RequestUpdate, error) {
	page := store.Page{Limit: limit}.Normalize()
	rows, err := s.read.Query(ctx, s.q(`SELECT u.seq, r.case_number, r.service, r.profile, u.distributor_case,
		u.from_state, u.to_state, u.event, u.at, u.file, u.note, u.load_id
		FROM request_updates u JOIN distributor_requests r ON r.id = u.request_id
		WHERE u.company_id = ? AND u.taken_at IS NULL AND u.seq > ? ORDER BY u.seq LIMIT ?`),
		int64(company), after, page.Limit)
	if err != nil {
		return nil, s.wrap("pending request updates", err)
	}
	defer rows.Close()
	out := []store.RequestUpdate{}
	for rows.Next() {
		u := store.RequestUpdate{Company: company}
		var from, to, event string
		var at int64
		var load *int64
		if err := rows.Scan(&u.Seq, &u.CaseNumber, &u.Service, &u.Profile, &u.DistributorCase,
			&from, &to, &event, &at, &u.File, &u.Note, &load); err != nil {
			return nil, s.wrap("pending request updates", err)
		}
		u.From, u.To, u.Event, u.At = distributor.State(from), distributor.State(to), distributor.EventKind(event), fromMicros(at)
		if load != nil {
			u.Load = store.LoadID(*load)
		}
		out = append(out, u)
	}
	return out, s.wrap("pending request updates", rows.Err())
}

// AcknowledgeRequestUpdates marks updates as taken; see
// store.RequestStore.
func (s *Store) AcknowledgeRequestUpdates(ctx context.Context, company store.CompanyID, seqs []int64, caller string) ([]store.AckResult, error) {
	if len(seqs) == 0 {
		return []store.AckResult{}, nil
	}
	if len(seqs) > store.MaxLimit {
		return nil, s.wrap("acknowledge request updates",
			fmt.Errorf("%w: %d sequences: acknowledge at most %d at once", store.ErrInvalid, len(seqs), store.MaxLimit))
	}
	out := make([]store.AckResult, 0, len(seqs))
	now := micros(s.now())
	err := s.inTx(ctx, func(conn Conn) error {
		out = out[:0]
		for _, seq := range seqs {
			n, err := conn.Exec(ctx, s.q(`UPDATE request_updates SET taken_at = ?, taken_by = ?
				WHERE company_id = ? AND seq = ? AND taken_at IS NULL`), now, caller, int64(company), seq)
			if err != nil {
				return err
			}
			res := store.AckResult{Seq: seq, Outcome: store.AckOK}
			if n == 0 {
				res.Outcome, err = s.ackMiss(ctx, conn, company, seq)
				if err != nil {
					return err
				}
			}
			out = append(out, res)
		}
		return nil
	})
	return out, s.wrap("acknowledge request updates", err)
}

// ackMiss tells an update acknowledged before from one that does not
// exist for the company.
func (s *Store) ackMiss(ctx context.Context, conn Conn, company store.CompanyID, seq int64) (store.AckOutcome, error) {
	var one int
	err := conn.QueryRow(ctx, s.q(`SELECT 1 FROM request_updates WHERE company_id = ? AND seq = ?`),
		int64(company), seq).Scan(&one)
	switch {
	case err == nil:
		return store.AckAlreadyTaken, nil
	case errors.Is(err, sql.ErrNoRows):
		return store.AckNotFound, nil
	}
	return "", err
}

// ExpireRequests expires the requests past their deadline; see
// store.RequestStore.
func (s *Store) ExpireRequests(ctx context.Context, now time.Time) ([]store.RequestUpdate, error) {
	rows, err := s.read.Query(ctx, s.q(`SELECT `+requestCols+` FROM distributor_requests
		WHERE state IN (?, ?) AND deadline > 0 AND deadline <= ? ORDER BY id`),
		string(distributor.StateSent), string(distributor.StateAdmissible), micros(now))
	if err != nil {
		return nil, s.wrap("expire requests", err)
	}
	var due []store.DistributorRequest
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			rows.Close()
			return nil, s.wrap("expire requests", err)
		}
		due = append(due, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.wrap("expire requests", err)
	}
	var out []store.RequestUpdate
	for i := range due {
		u, ok, err := s.expireOne(ctx, &due[i], now)
		if err != nil {
			return out, err
		}
		if ok {
			out = append(out, u)
		}
	}
	return out, nil
}

// expireOne expires one request unless an outcome moved it since it was
// read.
func (s *Store) expireOne(ctx context.Context, r *store.DistributorRequest, now time.Time) (store.RequestUpdate, bool, error) {
	c := &distributor.Case{CaseNumber: r.CaseNumber, Service: r.Service, Profile: r.Profile,
		DistributorCase: r.DistributorCase, State: r.State, Deadline: r.Deadline}
	t, ok := c.ExpireIfDue(now)
	if !ok {
		return store.RequestUpdate{}, false, nil
	}
	var seq int64
	err := s.inTx(ctx, func(conn Conn) error {
		var err error
		seq, err = s.setState(ctx, conn, r, t, 0)
		return err
	})
	if errors.Is(err, errStale) {
		return store.RequestUpdate{}, false, nil
	}
	if err != nil {
		return store.RequestUpdate{}, false, s.wrap("expire request "+r.CaseNumber, err)
	}
	return store.RequestUpdate{Seq: seq, Company: r.Company, CaseNumber: r.CaseNumber, Service: r.Service,
		Profile: r.Profile, DistributorCase: r.DistributorCase, Transition: t}, true, nil
}

// RequestOutcomes returns the outcomes read; see store.RequestStore.
func (s *Store) RequestOutcomes(ctx context.Context, company store.CompanyID, unmatchedOnly bool, page store.Page) ([]store.StoredOutcome, int, error) {
	cond := "company_id = ?"
	if unmatchedOnly {
		cond += " AND matched = 0"
	}
	var total int
	if err := s.read.QueryRow(ctx, s.q("SELECT COUNT(*) FROM request_outcomes WHERE "+cond), int64(company)).Scan(&total); err != nil {
		return nil, 0, s.wrap("request outcomes", err)
	}
	page = page.Normalize()
	rows, err := s.read.Query(ctx, s.q(`SELECT id, load_id, case_number, matched, code, message, outcome_json, read_at
		FROM request_outcomes WHERE `+cond+` ORDER BY id LIMIT ? OFFSET ?`), int64(company), page.Limit, page.Offset)
	if err != nil {
		return nil, 0, s.wrap("request outcomes", err)
	}
	defer rows.Close()
	out := []store.StoredOutcome{}
	for rows.Next() {
		o := store.StoredOutcome{Company: company, Outcome: new(distributor.Outcome)}
		var load, readAt int64
		var matched int
		var body string
		if err := rows.Scan(&o.ID, &load, &o.CaseNumber, &matched, &o.Code, &o.Message, &body, &readAt); err != nil {
			return nil, 0, s.wrap("request outcomes", err)
		}
		o.Load, o.Matched, o.ReadAt = store.LoadID(load), matched == 1, fromMicros(readAt)
		if err := json.Unmarshal([]byte(body), o.Outcome); err != nil {
			return nil, 0, s.wrap("request outcomes", fmt.Errorf("outcome %d: stored JSON: %w", o.ID, err))
		}
		out = append(out, o)
	}
	return out, total, s.wrap("request outcomes", rows.Err())
}
