package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/bludispatcher/dispatcher/accise"
	"github.com/bludispatcher/dispatcher/server/store"
)

// storedClaim is the JSON form of a refund claim in claim_json. Dates are
// yyyy-mm-dd text, "" for none, because civil.Date has no JSON form for the
// zero date.
type storedClaim struct {
	ID              string         `json:"id"`
	Company         string         `json:"company"`
	Tax             string         `json:"tax"`
	Area            string         `json:"area"`
	Claimant        string         `json:"claimant"`
	FiscalCode      string         `json:"fiscal_code"`
	Office          string         `json:"office"`
	Year            int            `json:"year"`
	Amount          string         `json:"amount"`
	Origin          string         `json:"origin"`
	Reason          string         `json:"reason"`
	IBAN            string         `json:"iban"`
	LastDeclaration string         `json:"last_declaration"`
	Documents       []string       `json:"documents"`
	Status          string         `json:"status"`
	Filed           string         `json:"filed"`
	Decided         string         `json:"decided"`
	Granted         string         `json:"granted"`
	History         []storedChange `json:"history"`
}

type storedChange struct {
	Status string `json:"status"`
	Date   string `json:"date"`
	Note   string `json:"note"`
}

func encodeClaim(c accise.RefundClaim) (string, error) {
	sc := storedClaim{ID: c.ID, Company: c.Account.Company, Tax: string(c.Account.Tax), Area: c.Account.Area,
		Claimant: c.Claimant, FiscalCode: c.FiscalCode, Office: c.Office, Year: c.Year, Amount: exactText(c.Amount),
		Origin: string(c.Origin), Reason: c.Reason, IBAN: c.IBAN, LastDeclaration: dateText(c.LastDeclaration),
		Documents: c.Documents, Status: string(c.Status), Filed: dateText(c.Filed), Decided: dateText(c.Decided),
		Granted: exactText(c.Granted)}
	for _, h := range c.History {
		sc.History = append(sc.History, storedChange{Status: string(h.Status), Date: dateText(h.Date), Note: h.Note})
	}
	b, err := json.Marshal(sc)
	return string(b), err
}

func decodeClaim(text string) (accise.RefundClaim, error) {
	var sc storedClaim
	if err := json.Unmarshal([]byte(text), &sc); err != nil {
		return accise.RefundClaim{}, fmt.Errorf("stored refund claim: %w", err)
	}
	c := accise.RefundClaim{ID: sc.ID, Account: accise.Account{Company: sc.Company, Tax: accise.Tax(sc.Tax), Area: sc.Area},
		Claimant: sc.Claimant, FiscalCode: sc.FiscalCode, Office: sc.Office, Year: sc.Year,
		Origin: accise.RefundOrigin(sc.Origin), Reason: sc.Reason, IBAN: sc.IBAN, Documents: sc.Documents,
		Status: accise.RefundStatus(sc.Status)}
	var err error
	if c.Amount, err = parseExact(sc.Amount); err != nil {
		return c, err
	}
	if c.Granted, err = parseExact(sc.Granted); err != nil {
		return c, err
	}
	if c.LastDeclaration, err = parseDateText(sc.LastDeclaration); err != nil {
		return c, err
	}
	if c.Filed, err = parseDateText(sc.Filed); err != nil {
		return c, err
	}
	if c.Decided, err = parseDateText(sc.Decided); err != nil {
		return c, err
	}
	for _, h := range sc.History {
		d, err := parseDateText(h.Date)
		if err != nil {
			return c, err
		}
		c.History = append(c.History, accise.StatusChange{Status: accise.RefundStatus(h.Status), Date: d, Note: h.Note})
	}
	return c, nil
}

// CreateRefundClaim stores a new claim; see store.AcciseLedgerStore.
func (s *Store) CreateRefundClaim(ctx context.Context, company store.CompanyID, c accise.RefundClaim) error {
	if c.ID == "" {
		return s.wrap("create refund claim", fmt.Errorf("%w: missing claim id", store.ErrInvalid))
	}
	if _, err := s.Company(ctx, company); err != nil {
		return err
	}
	body, err := encodeClaim(c)
	if err != nil {
		return s.wrap("create refund claim", err)
	}
	now := micros(s.now())
	n, err := s.write.Exec(ctx, s.q(`INSERT INTO accise_refund_claims (company_id, claim_id, status, claim_json,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (company_id, claim_id) DO NOTHING`),
		int64(company), c.ID, string(c.Status), body, now, now)
	if err != nil {
		return s.wrap("create refund claim", err)
	}
	if n == 0 {
		return fmt.Errorf("store %s: create refund claim: %w: claim id %q is already used by a claim of this company",
			s.d.Name(), store.ErrConflict, c.ID)
	}
	return nil
}

// UpdateRefundClaim replaces a stored claim whose status is still prev.
func (s *Store) UpdateRefundClaim(ctx context.Context, company store.CompanyID, c accise.RefundClaim, prev accise.RefundStatus) error {
	body, err := encodeClaim(c)
	if err != nil {
		return s.wrap("update refund claim", err)
	}
	n, err := s.write.Exec(ctx, s.q(`UPDATE accise_refund_claims SET status = ?, claim_json = ?, updated_at = ?
		WHERE company_id = ? AND claim_id = ? AND status = ?`),
		string(c.Status), body, micros(s.now()), int64(company), c.ID, string(prev))
	if err != nil {
		return s.wrap("update refund claim", err)
	}
	if n > 0 {
		return nil
	}
	if _, err := s.RefundClaim(ctx, company, c.ID); err != nil {
		return err
	}
	return fmt.Errorf("store %s: update refund claim %q: %w: its status changed from %s meanwhile; read it again",
		s.d.Name(), c.ID, store.ErrConflict, prev)
}

// RefundClaim returns one claim of the company.
func (s *Store) RefundClaim(ctx context.Context, company store.CompanyID, id string) (accise.RefundClaim, error) {
	var body string
	err := s.read.QueryRow(ctx, s.q(`SELECT claim_json FROM accise_refund_claims WHERE company_id = ? AND claim_id = ?`),
		int64(company), id).Scan(&body)
	if err != nil {
		return accise.RefundClaim{}, s.notFound("get refund claim", err)
	}
	c, err := decodeClaim(body)
	return c, s.wrap("get refund claim", err)
}

// RefundClaims returns the company's claims in creation order.
func (s *Store) RefundClaims(ctx context.Context, company store.CompanyID) ([]accise.RefundClaim, error) {
	rows, err := s.read.Query(ctx, s.q(`SELECT claim_json FROM accise_refund_claims WHERE company_id = ? ORDER BY id`),
		int64(company))
	if err != nil {
		return nil, s.wrap("list refund claims", err)
	}
	defer rows.Close()
	var out []accise.RefundClaim
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, s.wrap("list refund claims", err)
		}
		c, err := decodeClaim(body)
		if err != nil {
			return nil, s.wrap("list refund claims", err)
		}
		out = append(out, c)
	}
	return out, s.wrap("list refund claims", rows.Err())
}

// PutTransferConfig stores the company's transfer settings.
func (s *Store) PutTransferConfig(ctx context.Context, company store.CompanyID, cfg accise.TransferConfig) error {
	if _, err := s.Company(ctx, company); err != nil {
		return err
	}
	body, err := json.Marshal(cfg)
	if err != nil {
		return s.wrap("put transfer settings", err)
	}
	_, err = s.write.Exec(ctx, s.q(`INSERT INTO accise_transfer_settings (company_id, config_json, updated_at)
		VALUES (?, ?, ?) ON CONFLICT (company_id) DO UPDATE SET config_json = excluded.config_json,
		updated_at = excluded.updated_at`), int64(company), string(body), micros(s.now()))
	return s.wrap("put transfer settings", err)
}

// TransferConfig returns the company's transfer settings.
func (s *Store) TransferConfig(ctx context.Context, company store.CompanyID) (accise.TransferConfig, error) {
	var body string
	err := s.read.QueryRow(ctx, s.q(`SELECT config_json FROM accise_transfer_settings WHERE company_id = ?`),
		int64(company)).Scan(&body)
	if err != nil {
		return accise.TransferConfig{}, s.notFound("get transfer settings", err)
	}
	var cfg accise.TransferConfig
	if err := json.Unmarshal([]byte(body), &cfg); err != nil {
		return cfg, s.wrap("get transfer settings", fmt.Errorf("stored settings: %w", err))
	}
	return cfg, nil
}
