package sqlstore

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/sii"
)

var _ store.DomainStore = (*Store)(nil)

// rcuLoad returns the newest load with points of the extract month, or 0.
func (s *Store) rcuLoad(ctx context.Context, company store.CompanyID, month civil.Month) (int64, error) {
	var id *int64
	err := s.read.QueryRow(ctx, s.q("SELECT MAX(load_id) FROM rcu_points WHERE company_id = ? AND month = ?"),
		int64(company), month.String()).Scan(&id)
	if err != nil || id == nil {
		return 0, err
	}
	return *id, nil
}

const rcuSelect = `load_id, seq, month, line, pod, pod_key, distributor_vat, distributor_name,
	udd_vat, counterparty_vat, supply_start, supply_end, treatment, voltage, meter_type,
	committed_power, annual_consumption, raw`

// RCUPoints returns the points of one extract month; see store.DomainStore.
func (s *Store) RCUPoints(ctx context.Context, f store.RCUFilter) ([]store.RCUPoint, int, error) {
	const op = "RCU points"
	if f.Month.IsZero() {
		return nil, 0, fmt.Errorf("store %s: %s: %w: the month is required", s.d.Name(), op, store.ErrInvalid)
	}
	load, err := s.rcuLoad(ctx, f.Company, f.Month)
	if err != nil || load == 0 {
		return nil, 0, s.wrap(op, err)
	}
	var w where
	w.add("company_id = ?", int64(f.Company))
	w.add("load_id = ?", load)
	if f.POD != "" {
		w.add("pod_key = ?", sii.PODKey(f.POD))
	}
	var total int
	if err := s.read.QueryRow(ctx, s.q("SELECT COUNT(*) FROM rcu_points"+w.String()), w.args...).Scan(&total); err != nil {
		return nil, 0, s.wrap(op, err)
	}
	page := f.Page.Normalize()
	rows, err := s.read.Query(ctx, s.q("SELECT "+rcuSelect+" FROM rcu_points"+w.String()+
		" ORDER BY seq LIMIT ? OFFSET ?"), append(w.args, page.Limit, page.Offset)...)
	if err != nil {
		return nil, 0, s.wrap(op, err)
	}
	defer rows.Close()
	var out []store.RCUPoint
	for rows.Next() {
		p, err := scanRCUPoint(rows)
		if err != nil {
			return nil, 0, s.wrap(op, err)
		}
		out = append(out, p)
	}
	return out, total, s.wrap(op, rows.Err())
}

func scanRCUPoint(rows Rows) (store.RCUPoint, error) {
	var p store.RCUPoint
	var load int64
	var raw string
	err := rows.Scan(&load, &p.Seq, &p.Month, &p.Line, &p.POD, &p.PODKey, &p.DistributorVAT,
		&p.DistributorName, &p.UdDVAT, &p.CounterpartyVAT, &p.SupplyStart, &p.SupplyEnd,
		&p.Treatment, &p.Voltage, &p.MeterType, &p.CommittedPower, &p.AnnualConsumption, &raw)
	if err != nil {
		return p, err
	}
	p.Load = store.LoadID(load)
	if err := json.Unmarshal([]byte(raw), &p.Raw); err != nil {
		return p, fmt.Errorf("point %d/%d: raw columns: %w", load, p.Seq, err)
	}
	return p, nil
}

// RCURecords reads the points of one extract month back into records;
// see store.DomainStore. The raw columns go through sii.RCUReader again,
// so the records are exactly those the extract gave, CRPP included.
func (s *Store) RCURecords(ctx context.Context, company store.CompanyID, month civil.Month) ([]*sii.RCURecord, error) {
	const op = "RCU records"
	var out []*sii.RCURecord
	offset := 0
	for {
		points, total, err := s.RCUPoints(ctx, store.RCUFilter{Company: company, Month: month,
			Page: store.Page{Offset: offset, Limit: store.MaxLimit}})
		if err != nil {
			return nil, err
		}
		recs, err := pointsToRecords(points)
		if err != nil {
			return nil, s.wrap(op, err)
		}
		out = append(out, recs...)
		offset += len(points)
		if len(points) == 0 || offset >= total {
			return out, nil
		}
	}
}

// pointsToRecords writes the raw columns of points as one delimited
// extract and reads it back. Line numbers are those of the original file.
func pointsToRecords(points []store.RCUPoint) ([]*sii.RCURecord, error) {
	if len(points) == 0 {
		return nil, nil
	}
	var header []string
	seen := map[string]bool{}
	for _, p := range points {
		for name := range p.Raw {
			if !seen[name] {
				seen[name] = true
				header = append(header, name)
			}
		}
	}
	sort.Strings(header)
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	if err := w.Write(header); err != nil {
		return nil, err
	}
	for _, p := range points {
		row := make([]string, len(header))
		for i, name := range header {
			row[i] = p.Raw[name]
		}
		if err := w.Write(row); err != nil {
			return nil, err
		}
	}
	w.Flush()
	r, err := sii.NewRCUReader(&buf, sii.RCUOptions{Comma: ';', Encoding: sii.EncodingUTF8})
	if err != nil {
		return nil, err
	}
	out := make([]*sii.RCURecord, 0, len(points))
	for i := 0; ; i++ {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if i < len(points) {
			rec.Line = points[i].Line
		}
		out = append(out, rec)
	}
	return out, nil
}

// RCUMonths returns the extract months with points; see store.DomainStore.
func (s *Store) RCUMonths(ctx context.Context, company store.CompanyID) ([]civil.Month, error) {
	const op = "RCU months"
	rows, err := s.read.Query(ctx, s.q("SELECT DISTINCT month FROM rcu_points WHERE company_id = ? ORDER BY month DESC"),
		int64(company))
	if err != nil {
		return nil, s.wrap(op, err)
	}
	defer rows.Close()
	var out []civil.Month
	for rows.Next() {
		var text string
		if err := rows.Scan(&text); err != nil {
			return nil, s.wrap(op, err)
		}
		d, err := civil.ParseISODate(text + "-01")
		if err != nil {
			return nil, s.wrap(op, fmt.Errorf("stored month %q: %w", text, err))
		}
		out = append(out, d.MonthOf())
	}
	return out, s.wrap(op, rows.Err())
}

// RegistryEntriesIn returns the registry entries valid in month; see
// store.DomainStore.
func (s *Store) RegistryEntriesIn(ctx context.Context, company store.CompanyID, month civil.Month) ([]store.RegistryEntry, error) {
	const op = "registry entries in month"
	rows, err := s.read.Query(ctx, s.q(`SELECT DISTINCT pod FROM pod_registry
		WHERE company_id = ? AND valid_from <= ? AND (valid_to = '' OR valid_to >= ?) ORDER BY pod`),
		int64(company), month.Last().String(), month.First().String())
	if err != nil {
		return nil, s.wrap(op, err)
	}
	var pods []string
	for rows.Next() {
		var pod string
		if err := rows.Scan(&pod); err != nil {
			rows.Close()
			return nil, s.wrap(op, err)
		}
		pods = append(pods, pod)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, s.wrap(op, err)
	}
	var out []store.RegistryEntry
	for _, pod := range pods {
		entries, err := s.RegistryEntries(ctx, company, pod)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if !e.ValidFrom.After(month.Last()) && (e.ValidTo.IsZero() || !e.ValidTo.Before(month.First())) {
				out = append(out, e)
			}
		}
	}
	return out, nil
}
