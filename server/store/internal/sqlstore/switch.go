package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/bludispatcher/dispatcher/server/store"
)

// switchCols lists the switches columns that scanSwitch reads.
const switchCols = `id, company_id, practice_code, pod, switch_date, is_2g, status, reasons, data,
	inputs, decision, exported_inputs, first_seen, validated_at, updated_at`

func scanSwitch(row interface{ Scan(...any) error }) (store.Switch, error) {
	var sw store.Switch
	var company, firstSeen, validated, updated int64
	var date, status, reasons, data, decision string
	var is2G int
	if err := row.Scan(&sw.ID, &company, &sw.PracticeCode, &sw.POD, &date, &is2G, &status, &reasons,
		&data, &sw.Inputs, &decision, &sw.ExportedInputs, &firstSeen, &validated, &updated); err != nil {
		return store.Switch{}, err
	}
	sw.Company = store.CompanyID(company)
	d, err := parseStoredDate(date)
	if err != nil {
		return store.Switch{}, err
	}
	sw.SwitchDate, sw.Is2G = d, is2G != 0
	sw.Status, sw.Decision = store.SwitchStatus(status), store.Decision(decision)
	if err := json.Unmarshal([]byte(reasons), &sw.Reasons); err != nil {
		return store.Switch{}, fmt.Errorf("invalid stored reasons of switch %d: %w", sw.ID, err)
	}
	if err := json.Unmarshal([]byte(data), &sw.Data); err != nil {
		return store.Switch{}, fmt.Errorf("invalid stored data of switch %d: %w", sw.ID, err)
	}
	sw.FirstSeen, sw.UpdatedAt = fromMicros(firstSeen), fromMicros(updated)
	if validated != 0 {
		sw.ValidatedAt = fromMicros(validated)
	}
	return sw, nil
}

// PutSwitch inserts or replaces a switch; see store.SwitchStore.
func (s *Store) PutSwitch(ctx context.Context, sw store.Switch) (store.Switch, error) {
	if sw.Company <= 0 || sw.PracticeCode == "" || sw.POD == "" || !sw.Status.Valid() {
		return store.Switch{}, s.wrap("put switch", fmt.Errorf("%w: company, practice code, POD and a valid status are required", store.ErrInvalid))
	}
	if sw.Decision != "" && sw.Decision != store.DecisionAccept && sw.Decision != store.DecisionReject {
		return store.Switch{}, s.wrap("put switch", fmt.Errorf("%w: decision %q: want accept, reject or empty", store.ErrInvalid, sw.Decision))
	}

	reasons, err := json.Marshal(sw.Reasons)
	if err != nil {
		return store.Switch{}, s.wrap("put switch", err)
	}
	if sw.Reasons == nil {
		reasons = []byte("[]")
	}
	data, err := json.Marshal(sw.Data)
	if err != nil {
		return store.Switch{}, s.wrap("put switch", err)
	}

	now := s.now()
	if sw.FirstSeen.IsZero() {
		sw.FirstSeen = now
	}
	var validated int64
	if !sw.ValidatedAt.IsZero() {
		validated = micros(sw.ValidatedAt)
	}
	is2G := 0
	if sw.Is2G {
		is2G = 1
	}

	row := s.write.QueryRow(ctx, s.q(`INSERT INTO switches (company_id, practice_code, pod, switch_date,
		is_2g, status, reasons, data, inputs, decision, first_seen, validated_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (company_id, practice_code) DO UPDATE SET pod = excluded.pod,
		switch_date = excluded.switch_date, is_2g = excluded.is_2g, status = excluded.status,
		reasons = excluded.reasons, data = excluded.data, inputs = excluded.inputs,
		decision = excluded.decision, validated_at = excluded.validated_at,
		updated_at = excluded.updated_at
		RETURNING `+switchCols),
		int64(sw.Company), sw.PracticeCode, sw.POD, dateText(sw.SwitchDate), is2G, string(sw.Status),
		string(reasons), string(data), sw.Inputs, string(sw.Decision), micros(sw.FirstSeen), validated, micros(now))
	out, err := scanSwitch(row)
	if err != nil {
		return store.Switch{}, s.wrap("put switch "+sw.PracticeCode, err)
	}
	return out, nil
}

// Switch returns one switch; see store.SwitchStore.
func (s *Store) Switch(ctx context.Context, company store.CompanyID, id int64) (store.Switch, error) {
	sw, err := scanSwitch(s.read.QueryRow(ctx, s.q("SELECT "+switchCols+
		" FROM switches WHERE company_id = ? AND id = ?"), int64(company), id))
	if err != nil {
		return store.Switch{}, s.notFound(fmt.Sprintf("switch %d", id), err)
	}
	return sw, nil
}

// SwitchByPractice returns the switch of a practice code; see
// store.SwitchStore.
func (s *Store) SwitchByPractice(ctx context.Context, company store.CompanyID, practiceCode string) (store.Switch, error) {
	sw, err := scanSwitch(s.read.QueryRow(ctx, s.q("SELECT "+switchCols+
		" FROM switches WHERE company_id = ? AND practice_code = ?"), int64(company), practiceCode))
	if err != nil {
		return store.Switch{}, s.notFound("switch "+practiceCode, err)
	}
	return sw, nil
}

// ListSwitches returns matching switches; see store.SwitchStore.
func (s *Store) ListSwitches(ctx context.Context, f store.SwitchFilter) ([]store.Switch, int, error) {
	var w where
	w.add("company_id = ?", int64(f.Company))
	if len(f.Statuses) > 0 {
		args := make([]any, len(f.Statuses))
		for i, st := range f.Statuses {
			args[i] = string(st)
		}
		w.add("status IN ("+placeholders(len(args))+")", args...)
	}
	if f.POD != "" {
		w.add("pod = ?", f.POD)
	}
	if !f.FirstSeenBefore.IsZero() {
		w.add("first_seen < ?", micros(f.FirstSeenBefore))
	}
	total, err := s.count(ctx, "switches", &w)
	if err != nil {
		return nil, 0, s.wrap("list switches", err)
	}
	p := f.Page.Normalize()
	rows, err := s.read.Query(ctx, s.q("SELECT "+switchCols+" FROM switches"+w.String()+
		" ORDER BY switch_date DESC, id DESC LIMIT ? OFFSET ?"), append(w.args, p.Limit, p.Offset)...)
	if err != nil {
		return nil, 0, s.wrap("list switches", err)
	}
	out, err := collectSwitches(rows)
	return out, total, s.wrap("list switches", err)
}

// SwitchesOfLoad returns the switches of a load's PODs; see
// store.SwitchStore.
func (s *Store) SwitchesOfLoad(ctx context.Context, company store.CompanyID, load store.LoadID) ([]store.Switch, error) {
	rows, err := s.read.Query(ctx, s.q("SELECT "+switchCols+` FROM switches
		WHERE company_id = ? AND pod IN (SELECT r.pod FROM records r WHERE r.company_id = ? AND r.load_id = ?)
		ORDER BY id`), int64(company), int64(company), int64(load))
	if err != nil {
		return nil, s.wrap("switches of load", err)
	}
	out, err := collectSwitches(rows)
	return out, s.wrap("switches of load", err)
}

func collectSwitches(rows Rows) ([]store.Switch, error) {
	defer rows.Close()
	var out []store.Switch
	for rows.Next() {
		sw, err := scanSwitch(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sw)
	}
	return out, rows.Err()
}

// DecideSwitch applies an operator's decision; see store.SwitchStore.
func (s *Store) DecideSwitch(ctx context.Context, company store.CompanyID, id int64, d store.SwitchDecision) (store.Switch, error) {
	to := store.SwitchValid
	switch d.Decision {
	case store.DecisionAccept:
	case store.DecisionReject:
		to = store.SwitchInvalid
	default:
		return store.Switch{}, s.wrap("decide switch", fmt.Errorf("%w: decision %q: want accept or reject", store.ErrInvalid, d.Decision))
	}
	if strings.TrimSpace(d.Actor) == "" {
		return store.Switch{}, s.wrap("decide switch", fmt.Errorf("%w: the actor of the decision is missing", store.ErrInvalid))
	}
	if d.DecidedAt.IsZero() {
		d.DecidedAt = s.now()
	}
	var out store.Switch
	err := s.inTx(ctx, func(conn Conn) error {
		cur, err := scanSwitch(conn.QueryRow(ctx, s.q("SELECT "+switchCols+
			" FROM switches WHERE company_id = ? AND id = ?"), int64(company), id))
		if err != nil {
			return err
		}
		if cur.Status != store.SwitchToReview {
			return fmt.Errorf("%w: switch %d is %s, and only a switch to review takes a decision", store.ErrConflict, id, cur.Status)
		}
		if _, err := conn.Exec(ctx, s.q(`UPDATE switches SET status = ?, decision = ?, updated_at = ?
			WHERE company_id = ? AND id = ?`), string(to), string(d.Decision), micros(d.DecidedAt), int64(company), id); err != nil {
			return err
		}
		if _, err := conn.Exec(ctx, s.q(`INSERT INTO switch_decisions (company_id, switch_id, decision,
			actor, reason, from_status, to_status, inputs, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			int64(company), id, string(d.Decision), d.Actor, d.Reason, string(cur.Status), string(to),
			cur.Inputs, micros(d.DecidedAt)); err != nil {
			return err
		}
		cur.Status, cur.Decision, cur.UpdatedAt = to, d.Decision, fromMicros(micros(d.DecidedAt))
		out = cur
		return nil
	})
	if err != nil {
		return store.Switch{}, s.notFound(fmt.Sprintf("decide switch %d", id), err)
	}
	return out, nil
}

// SwitchDecisions returns a switch's decision log; see store.SwitchStore.
func (s *Store) SwitchDecisions(ctx context.Context, company store.CompanyID, id int64) ([]store.SwitchDecision, error) {
	if _, err := s.Switch(ctx, company, id); err != nil {
		return nil, err
	}
	rows, err := s.read.Query(ctx, s.q(`SELECT id, switch_id, decision, actor, reason, from_status,
		to_status, inputs, decided_at FROM switch_decisions WHERE company_id = ? AND switch_id = ? ORDER BY id`),
		int64(company), id)
	if err != nil {
		return nil, s.wrap("switch decisions", err)
	}
	defer rows.Close()
	var out []store.SwitchDecision
	for rows.Next() {
		var d store.SwitchDecision
		var decision, from, to string
		var at int64
		if err := rows.Scan(&d.ID, &d.SwitchID, &decision, &d.Actor, &d.Reason, &from, &to, &d.Inputs, &at); err != nil {
			return nil, s.wrap("switch decisions", err)
		}
		d.Decision, d.From, d.To = store.Decision(decision), store.SwitchStatus(from), store.SwitchStatus(to)
		d.DecidedAt = fromMicros(at)
		out = append(out, d)
	}
	return out, s.wrap("switch decisions", rows.Err())
}

// MarkSwitchExported records the queued event; see store.SwitchStore.
func (s *Store) MarkSwitchExported(ctx context.Context, company store.CompanyID, id int64, inputs string) error {
	n, err := s.write.Exec(ctx, s.q(`UPDATE switches SET exported_inputs = ? WHERE company_id = ? AND id = ?`),
		inputs, int64(company), id)
	if err != nil {
		return s.wrap("mark switch exported", err)
	}
	if n == 0 {
		return s.wrap(fmt.Sprintf("mark switch exported %d", id), store.ErrNotFound)
	}
	return nil
}
