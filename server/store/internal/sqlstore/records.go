package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
)

// recordSelect lists the records columns that scanRecord reads, with the
// table alias r.
const recordSelect = `r.load_id, r.seq, r.company_id, r.flow_code, r.family, r.pod, r.competence,
	r.date, r.month_year, r.measure_date, r.correction_type, r.detection_date, r.reason,
	r.service_date, r.practice_code, r.start_date, r.line`

// familyOf returns the family whose String form is name.
func familyOf(name string) flows.Family {
	for f := flows.UnknownFamily; f <= flows.MeterReplacement; f++ {
		if f.String() == name {
			return f
		}
	}
	return flows.UnknownFamily
}

// parseStoredDate reads a stored yyyy-mm-dd date; "" is the zero date.
func parseStoredDate(s string) (civil.Date, error) {
	if s == "" {
		return civil.Date{}, nil
	}
	return civil.ParseISODate(s)
}

// nullText converts a nullable column to the *string of the API types.
func nullText(v sql.NullString) *string {
	if !v.Valid {
		return nil
	}
	s := v.String
	return &s
}

// scanRecord reads recordSelect's columns followed by extra destinations.
func scanRecord(row interface{ Scan(...any) error }, extra ...any) (store.RecordRow, error) {
	var r store.RecordRow
	var load, company int64
	var date string
	var my, md, ct, dd, reason, sd, pc, st sql.NullString
	dest := []any{&load, &r.Seq, &company, &r.FlowCode, &r.FamilyName, &r.POD, &r.Competence,
		&date, &my, &md, &ct, &dd, &reason, &sd, &pc, &st, &r.Line}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return store.RecordRow{}, err
	}
	r.Load, r.Company = store.LoadID(load), store.CompanyID(company)
	r.Family = familyOf(r.FamilyName)
	d, err := parseStoredDate(date)
	if err != nil {
		return store.RecordRow{}, err
	}
	r.Date = d
	r.MonthYear, r.MeasureDate, r.CorrectionType, r.DetectionDate = nullText(my), nullText(md), nullText(ct), nullText(dd)
	r.Reason, r.ServiceDate, r.PracticeCode, r.StartDate = nullText(reason), nullText(sd), nullText(pc), nullText(st)
	return r, nil
}

// SearchRecords returns matching records; see store.Queries.
func (s *Store) SearchRecords(ctx context.Context, f store.RecordFilter) ([]store.RecordRow, int, error) {
	var w where
	w.add("r.company_id = ?", int64(f.Company))
	if f.POD != "" {
		w.add("r.pod = ?", f.POD)
	}
	if f.Site != "" {
		w.add("r.pod IN (SELECT g.pod FROM pod_registry g WHERE g.company_id = ? AND g.site_code = ?)",
			int64(f.Company), f.Site)
	}
	if !f.Month.IsZero() {
		w.add("r.month = ?", f.Month.String())
	}
	if f.FlowCode != "" {
		w.add("r.flow_code = ?", f.FlowCode)
	}
	if f.Load != 0 {
		w.add("r.load_id = ?", int64(f.Load))
	}
	addDateRange(&w, "r.date", f.Dates)

	order, err := recordOrder(f.Sort, f.Descending)
	if err != nil {
		return nil, 0, s.wrap("search records", err)
	}
	total, err := s.count(ctx, "records r", &w)
	if err != nil {
		return nil, 0, s.wrap("search records", err)
	}
	p := f.Page.Normalize()
	rows, err := s.read.Query(ctx, s.q("SELECT "+recordSelect+" FROM records r"+w.String()+
		" ORDER BY "+order+" LIMIT ? OFFSET ?"), append(w.args, p.Limit, p.Offset)...)
	if err != nil {
		return nil, 0, s.wrap("search records", err)
	}
	defer rows.Close()
	var out []store.RecordRow
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, 0, s.wrap("search records", err)
		}
		out = append(out, r)
	}
	return out, total, s.wrap("search records", rows.Err())
}

// recordOrderColumns are the ORDER BY columns of each record sort. Each
// list ends with the primary key (load_id, seq), so the order is total.
var recordOrderColumns = map[store.RecordSort][]string{
	store.SortByDate:       {"r.date", "r.pod", "r.load_id", "r.seq"},
	store.SortByPOD:        {"r.pod", "r.date", "r.load_id", "r.seq"},
	store.SortByFlow:       {"r.flow_code", "r.date", "r.pod", "r.load_id", "r.seq"},
	store.SortByCompetence: {"r.month", "r.pod", "r.date", "r.load_id", "r.seq"},
	store.SortByLoad:       {"r.load_id", "r.seq"},
}

// recordOrder returns the ORDER BY list of a record sort; descending
// applies DESC to every column, so it is the exact reverse.
func recordOrder(sort store.RecordSort, descending bool) (string, error) {
	if sort == "" {
		sort = store.SortByDate
	}
	cols, ok := recordOrderColumns[sort]
	if !ok {
		return "", fmt.Errorf("%w: record sort %q, want one of %v", store.ErrInvalid, string(sort), store.RecordSorts)
	}
	if !descending {
		return strings.Join(cols, ", "), nil
	}
	return strings.Join(cols, " DESC, ") + " DESC", nil
}

// addDateRange adds the bounds of r on a yyyy-mm-dd text column; a bounded
// range leaves out rows with no date.
func addDateRange(w *where, col string, r store.DateRange) {
	if !r.From.IsZero() {
		w.add(col+" >= ?", r.From.String())
	}
	if !r.To.IsZero() {
		w.add(col + " <> ''")
		w.add(col+" <= ?", r.To.String())
	}
}

// record returns one record by reference.
func (s *Store) record(ctx context.Context, company store.CompanyID, ref store.RecordRef) (store.RecordRow, error) {
	r, err := scanRecord(s.read.QueryRow(ctx, s.q("SELECT "+recordSelect+
		" FROM records r WHERE r.company_id = ? AND r.load_id = ? AND r.seq = ?"),
		int64(company), int64(ref.Load), ref.Seq))
	if err != nil {
		return store.RecordRow{}, s.notFound(fmt.Sprintf("record %d/%d", ref.Load, ref.Seq), err)
	}
	return r, nil
}
