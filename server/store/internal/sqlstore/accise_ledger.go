package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/accise"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
)

var _ store.AcciseLedgerStore = (*Store)(nil)

// AddMovements stores a batch of movements in one transaction; see
// store.AcciseLedgerStore.
func (s *Store) AddMovements(ctx context.Context, company store.CompanyID, b store.MovementBatch) (int64, error) {
	if _, err := s.Company(ctx, company); err != nil {
		return 0, err
	}
	var id int64
	err := s.inTx(ctx, func(conn Conn) error {
		if err := s.d.LockLoadKey(ctx, conn, company, b.SHA256); err != nil {
			return err
		}
		if !b.AllowDuplicate {
			if err := s.checkBatch(ctx, conn, company, b.SHA256); err != nil {
				return err
			}
		}
		var err error
		if id, err = s.insertBatch(ctx, conn, company, b); err != nil {
			return err
		}
		for _, m := range b.Movements {
			_, err := conn.Exec(ctx, s.q(`INSERT INTO accise_movements (company_id, batch_id, excise_code, tax, area,
				move_date, period, kind, amount, source_kind, source_ref, note)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
				int64(company), id, m.Account.Company, string(m.Account.Tax), m.Account.Area, dateText(m.Date),
				monthText(m.Period), string(m.Kind), exactText(m.Amount), string(m.Source.Kind), m.Source.Ref, m.Note)
			if err != nil {
				return err
			}
		}
		return nil
	})
	var dup *store.DuplicateBatchError
	if errors.As(err, &dup) {
		return 0, err
	}
	return id, s.wrap("add excise movements", err)
}

// checkBatch returns a *store.DuplicateBatchError when the company stored a
// batch with the same SHA-256 before.
func (s *Store) checkBatch(ctx context.Context, conn Conn, company store.CompanyID, sha string) error {
	var of, at int64
	err := conn.QueryRow(ctx, s.q(`SELECT id, created_at FROM accise_movement_batches
		WHERE company_id = ? AND sha256 = ? ORDER BY id LIMIT 1`), int64(company), sha).Scan(&of, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return &store.DuplicateBatchError{Of: of, At: fromMicros(at)}
}

func (s *Store) insertBatch(ctx context.Context, conn Conn, company store.CompanyID, b store.MovementBatch) (int64, error) {
	var id int64
	err := conn.QueryRow(ctx, s.q(`INSERT INTO accise_movement_batches (company_id, sha256, movements, created_at)
		VALUES (?, ?, ?, ?) RETURNING id`), int64(company), b.SHA256, len(b.Movements), micros(s.now())).Scan(&id)
	return id, err
}

// Movements returns the company's movements in the order they were stored.
func (s *Store) Movements(ctx context.Context, company store.CompanyID) ([]accise.Movement, error) {
	rows, err := s.read.Query(ctx, s.q(`SELECT excise_code, tax, area, move_date, period, kind, amount,
		source_kind, source_ref, note FROM accise_movements WHERE company_id = ? ORDER BY id`), int64(company))
	if err != nil {
		return nil, s.wrap("list excise movements", err)
	}
	defer rows.Close()
	var out []accise.Movement
	for rows.Next() {
		m, err := scanMovement(rows)
		if err != nil {
			return nil, s.wrap("list excise movements", err)
		}
		out = append(out, m)
	}
	return out, s.wrap("list excise movements", rows.Err())
}

func scanMovement(rows Rows) (accise.Movement, error) {
	var m accise.Movement
	var tax, date, period, kind, amount, source string
	if err := rows.Scan(&m.Account.Company, &tax, &m.Account.Area, &date, &period, &kind, &amount,
		&source, &m.Source.Ref, &m.Note); err != nil {
		return m, err
	}
	m.Account.Tax, m.Kind, m.Source.Kind = accise.Tax(tax), accise.MovementKind(kind), accise.SourceKind(source)
	var err error
	if m.Date, err = parseDateText(date); err != nil {
		return m, err
	}
	if m.Period, err = parseMonthText(period); err != nil {
		return m, err
	}
	if m.Amount, err = parseExact(amount); err != nil {
		return m, err
	}
	return m, nil
}

func parseDateText(s string) (civil.Date, error) {
	if s == "" {
		return civil.Date{}, nil
	}
	return civil.ParseISODate(s)
}

func parseMonthText(s string) (civil.Month, error) {
	if s == "" {
		return civil.Month{}, nil
	}
	compact := strings.Replace(s, "-", "", 1)
	m, err := civil.ParseCompact(compact)
	if err != nil {
		return m, fmt.Errorf("stored period %q: %w", s, err)
	}
	return m, nil
}

// exactText returns d with its scale kept, so "6000.50" stays "6000.50";
// decimal.Decimal.String drops trailing zeros.
func exactText(d decimal.Decimal) string {
	if d.Exponent() < 0 {
		return d.StringFixed(-d.Exponent())
	}
	return d.String()
}

func parseExact(s string) (decimal.Decimal, error) {
	if s == "" {
		return decimal.Decimal{}, nil
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return d, fmt.Errorf("stored amount %q: %w", s, err)
	}
	return d, nil
}
