package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/bludispatcher/dispatcher/distributor"
	"github.com/bludispatcher/dispatcher/server/store"
)

// submission is the store.RequestSubmission of one SubmitRequest.
type submission struct {
	ctx     context.Context
	s       *Store
	conn    Conn
	company store.CompanyID
}

// NextSeq takes the next progressive number of (company, profile).
func (b *submission) NextSeq(profile string) (int64, error) {
	var seq int64
	err := b.conn.QueryRow(b.ctx, b.s.q(`INSERT INTO distributor_sequences (company_id, profile, last_seq)
		VALUES (?, ?, 1) ON CONFLICT (company_id, profile)
		DO UPDATE SET last_seq = distributor_sequences.last_seq + 1 RETURNING last_seq`),
		int64(b.company), profile).Scan(&seq)
	return seq, b.s.wrap("next request seq", err)
}

// Reserve records a file name; see store.RequestSubmission.
func (b *submission) Reserve(profile, name string) error {
	return b.s.reserveName(b.ctx, b.conn, b.company, profile, name)
}

func (s *Store) reserveName(ctx context.Context, q Querier, company store.CompanyID, profile, name string) error {
	if profile == "" || name == "" {
		return s.wrap("reserve file name", fmt.Errorf("%w: profile and name are required", store.ErrInvalid))
	}
	n, err := q.Exec(ctx, s.q(`INSERT INTO distributor_file_names (company_id, profile, name, created_at)
		VALUES (?, ?, ?, ?) ON CONFLICT (company_id, profile, name) DO NOTHING`),
		int64(company), profile, name, micros(s.now()))
	if err != nil {
		return s.wrap("reserve file name", err)
	}
	if n == 0 {
		return fmt.Errorf("store %s: %w: %w: %s (profile %s): use the next progressive",
			s.d.Name(), store.ErrConflict, distributor.ErrNameUsed, name, profile)
	}
	return nil
}

// ReserveFileName records a file name; see store.RequestStore.
func (s *Store) ReserveFileName(ctx context.Context, company store.CompanyID, profile, name string) error {
	if _, err := s.Company(ctx, company); err != nil {
		return err
	}
	return s.reserveName(ctx, s.write, company, profile, name)
}

// SubmitRequest stores one request; see store.RequestStore.
func (s *Store) SubmitRequest(ctx context.Context, company store.CompanyID,
	build func(sub store.RequestSubmission) (store.NewRequest, error), deliver func() error) (store.DistributorRequest, error) {
	if _, err := s.Company(ctx, company); err != nil {
		return store.DistributorRequest{}, err
	}
	var out store.DistributorRequest
	err := s.inTx(ctx, func(conn Conn) error {
		nr, err := build(&submission{ctx: ctx, s: s, conn: conn, company: company})
		if err != nil {
			return err
		}
		if out, err = s.insertRequest(ctx, conn, company, nr); err != nil {
			return err
		}
		return deliver()
	})
	return out, err
}

// insertRequest stores the request row and its history as updates.
func (s *Store) insertRequest(ctx context.Context, conn Conn, company store.CompanyID, nr store.NewRequest) (store.DistributorRequest, error) {
	if nr.Request == nil || nr.Case == nil || nr.Case.CaseNumber == "" || nr.File.Name == "" {
		return store.DistributorRequest{}, s.wrap("submit request",
			fmt.Errorf("%w: request, case with case number and file name are required", store.ErrInvalid))
	}
	body, err := json.Marshal(nr.Request)
	if err != nil {
		return store.DistributorRequest{}, s.wrap("submit request", err)
	}
	now := s.now()
	c := nr.Case
	r := store.DistributorRequest{
		Company: company, CaseNumber: c.CaseNumber, Profile: c.Profile, Service: c.Service,
		POD: nr.Request.Technical.POD, State: c.State, DistributorCase: c.DistributorCase,
		Deadline: c.Deadline, File: nr.File, Request: nr.Request, CreatedAt: fromMicros(micros(now)), UpdatedAt: fromMicros(micros(now)),
		History: c.History,
	}
	rows, err := conn.Query(ctx, s.q(`INSERT INTO distributor_requests (company_id, case_number, profile,
		service, pod, state, distributor_case, deadline, file_folder, file_name, file_inner, file_seq,
		request_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (company_id, case_number) DO NOTHING RETURNING id`),
		int64(company), r.CaseNumber, r.Profile, r.Service, r.POD, string(r.State), r.DistributorCase,
		deadlineMicros(r), r.File.Folder, r.File.Name, r.File.Inner, r.File.Seq, string(body),
		micros(now), micros(now))
	if err != nil {
		return r, s.wrap("submit request", err)
	}
	found := rows.Next()
	if found {
		err = rows.Scan(&r.ID)
	}
	rows.Close()
	if err == nil {
		err = rows.Err()
	}
	if err != nil {
		return r, s.wrap("submit request", err)
	}
	if !found {
		return r, fmt.Errorf("store %s: submit request: %w: case number %q is already used by a request of this company: give each request its own cod_prat_utente",
			s.d.Name(), store.ErrConflict, r.CaseNumber)
	}
	for _, t := range c.History {
		if _, err := s.insertUpdate(ctx, conn, &r, t, 0); err != nil {
			return r, err
		}
	}
	return r, nil
}

// deadlineMicros stores a zero deadline as 0.
func deadlineMicros(r store.DistributorRequest) int64 {
	if r.Deadline.IsZero() {
		return 0
	}
	return micros(r.Deadline)
}

// insertUpdate adds one transition of r to request_updates.
func (s *Store) insertUpdate(ctx context.Context, q Querier, r *store.DistributorRequest, t distributor.Transition, load store.LoadID) (int64, error) {
	var loadID any
	if load != 0 {
		loadID = int64(load)
	}
	var seq int64
	err := q.QueryRow(ctx, s.q(`INSERT INTO request_updates (company_id, request_id, distributor_case,
		from_state, to_state, event, at, file, note, load_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`),
		int64(r.Company), r.ID, r.DistributorCase, string(t.From), string(t.To), string(t.Event),
		micros(t.At), t.File, t.Note, loadID).Scan(&seq)
	return seq, s.wrap("add request update", err)
}

// requestCols are the columns scanRequest reads, in order.
const requestCols = `id, company_id, case_number, profile, service, pod, state, distributor_case,
	deadline, file_folder, file_name, file_inner, file_seq, request_json, created_at, updated_at`

func scanRequest(row interface{ Scan(...any) error }) (store.DistributorRequest, error) {
	var r store.DistributorRequest
	var company, deadline, created, updated int64
	var state, body string
	err := row.Scan(&r.ID, &company, &r.CaseNumber, &r.Profile, &r.Service, &r.POD, &state,
		&r.DistributorCase, &deadline, &r.File.Folder, &r.File.Name, &r.File.Inner, &r.File.Seq,
		&body, &created, &updated)
	if err != nil {
		return r, err
	}
	r.Company = store.CompanyID(company)
	r.State = distributor.State(state)
	if deadline != 0 {
		r.Deadline = fromMicros(deadline)
	}
	r.CreatedAt, r.UpdatedAt = fromMicros(created), fromMicros(updated)
	r.Request = new(distributor.Request)
	if err := json.Unmarshal([]byte(body), r.Request); err != nil {
		return r, fmt.Errorf("request %s: stored JSON: %w", r.CaseNumber, err)
	}
	return r, nil
}

// Request returns one request with its history; see store.RequestStore.
func (s *Store) Request(ctx context.Context, company store.CompanyID, caseNumber string) (store.DistributorRequest, error) {
	r, err := scanRequest(s.read.QueryRow(ctx, s.q(`SELECT `+requestCols+` FROM distributor_requests
		WHERE company_id = ? AND case_number = ?`), int64(company), caseNumber))
	if err != nil {
		return r, s.notFound("request "+caseNumber, err)
	}
	r.History, err = s.history(ctx, s.read, r.ID)
	return r, err
}

// history returns the transitions of a request in sequence order.
func (s *Store) history(ctx context.Context, q Querier, id int64) ([]distributor.Transition, error) {
	rows, err := q.Query(ctx, s.q(`SELECT from_state, to_state, event, at, file, note
		FROM request_updates WHERE request_id = ? ORDER BY seq`), id)
	if err != nil {
		return nil, s.wrap("request history", err)
	}
	defer rows.Close()
	var out []distributor.Transition
	for rows.Next() {
		var t distributor.Transition
		var from, to, event string
		var at int64
		if err := rows.Scan(&from, &to, &event, &at, &t.File, &t.Note); err != nil {
			return nil, s.wrap("request history", err)
		}
		t.From, t.To, t.Event, t.At = distributor.State(from), distributor.State(to), distributor.EventKind(event), fromMicros(at)
		out = append(out, t)
	}
	return out, s.wrap("request history", rows.Err())
}

// ListRequests returns requests matching f; see store.RequestStore.
func (s *Store) ListRequests(ctx context.Context, f store.RequestFilter) ([]store.DistributorRequest, int, error) {
	if f.Company <= 0 {
		return nil, 0, s.wrap("list requests", fmt.Errorf("%w: RequestFilter.Company is missing", store.ErrInvalid))
	}
	where := []string{"company_id = ?"}
	args := []any{int64(f.Company)}
	for _, c := range []struct{ col, v string }{
		{"state", string(f.State)}, {"service", f.Service}, {"profile", f.Profile}, {"pod", f.POD},
	} {
		if c.v != "" {
			where = append(where, c.col+" = ?")
			args = append(args, c.v)
		}
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.read.QueryRow(ctx, s.q("SELECT COUNT(*) FROM distributor_requests WHERE "+cond), args...).Scan(&total); err != nil {
		return nil, 0, s.wrap("list requests", err)
	}
	page := f.Page.Normalize()
	rows, err := s.read.Query(ctx, s.q("SELECT "+requestCols+" FROM distributor_requests WHERE "+cond+
		" ORDER BY id DESC LIMIT ? OFFSET ?"), append(args, page.Limit, page.Offset)...)
	if err != nil {
		return nil, 0, s.wrap("list requests", err)
	}
	defer rows.Close()
	var out []store.DistributorRequest
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, 0, s.wrap("list requests", err)
		}
		out = append(out, r)
	}
	return out, total, s.wrap("list requests", rows.Err())
}

// errStale is returned by setState when another writer changed the
// request's state first.
var errStale = errors.New("request state changed concurrently")

// setState moves a request from one state to another and records the
// transition, comparing the stored state first so that two writers never
// both move the same request.
func (s *Store) setState(ctx context.Context, q Querier, r *store.DistributorRequest, t distributor.Transition, load store.LoadID) (int64, error) {
	n, err := q.Exec(ctx, s.q(`UPDATE distributor_requests SET state = ?, distributor_case = ?, updated_at = ?
		WHERE id = ? AND state = ?`), string(t.To), r.DistributorCase, micros(s.now()), r.ID, string(t.From))
	if err != nil {
		return 0, s.wrap("update request state", err)
	}
	if n == 0 {
		return 0, errStale
	}
	r.State = t.To
	return s.insertUpdate(ctx, q, r, t, load)
}
