package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/bludispatcher/dispatcher/server/store"
)

// tokenPrefix starts every generated token, so that a leaked token is easy
// to recognize in logs and secret scanners.
const tokenPrefix = "dsp_"

// CreateCompany adds a company; see store.Companies.
func (s *Store) CreateCompany(ctx context.Context, c store.Company) (store.Company, error) {
	if c.Code == "" {
		return store.Company{}, s.wrap("create company", fmt.Errorf("%w: company code is missing", store.ErrInvalid))
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = s.now()
	}
	var id int64
	err := s.write.QueryRow(ctx, s.q(`INSERT INTO companies (code, name, vat, created_at)
		VALUES (?, ?, ?, ?) RETURNING id`), c.Code, c.Name, c.VAT, micros(c.CreatedAt)).Scan(&id)
	if s.d.IsUniqueViolation(err) {
		return store.Company{}, s.wrap("create company "+c.Code, store.ErrConflict)
	}
	if err != nil {
		return store.Company{}, s.wrap("create company "+c.Code, err)
	}
	c.ID = store.CompanyID(id)
	c.CreatedAt = fromMicros(micros(c.CreatedAt))
	return c, nil
}

const companyCols = "id, code, name, vat, created_at"

func scanCompany(row interface{ Scan(...any) error }) (store.Company, error) {
	var c store.Company
	var id, created int64
	if err := row.Scan(&id, &c.Code, &c.Name, &c.VAT, &created); err != nil {
		return store.Company{}, err
	}
	c.ID = store.CompanyID(id)
	c.CreatedAt = fromMicros(created)
	return c, nil
}

// Company returns one company; see store.Companies.
func (s *Store) Company(ctx context.Context, id store.CompanyID) (store.Company, error) {
	c, err := scanCompany(s.read.QueryRow(ctx, s.q("SELECT "+companyCols+" FROM companies WHERE id = ?"), int64(id)))
	if err != nil {
		return store.Company{}, s.notFound(fmt.Sprintf("company %d", id), err)
	}
	return c, nil
}

// CompanyByCode returns the company with a code; see store.Companies.
func (s *Store) CompanyByCode(ctx context.Context, code string) (store.Company, error) {
	c, err := scanCompany(s.read.QueryRow(ctx, s.q("SELECT "+companyCols+" FROM companies WHERE code = ?"), code))
	if err != nil {
		return store.Company{}, s.notFound(fmt.Sprintf("company %q", code), err)
	}
	return c, nil
}

// ListCompanies returns every company; see store.Companies.
func (s *Store) ListCompanies(ctx context.Context) ([]store.Company, error) {
	rows, err := s.read.Query(ctx, "SELECT "+companyCols+" FROM companies ORDER BY id")
	if err != nil {
		return nil, s.wrap("list companies", err)
	}
	defer rows.Close()
	var out []store.Company
	for rows.Next() {
		c, err := scanCompany(rows)
		if err != nil {
			return nil, s.wrap("list companies", err)
		}
		out = append(out, c)
	}
	return out, s.wrap("list companies", rows.Err())
}

// hashToken returns the stored form of a token.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateToken generates and stores a token; see store.Tokens.
func (s *Store) CreateToken(ctx context.Context, company store.CompanyID, name string) (string, store.Token, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", store.Token{}, s.wrap("create token", err)
	}
	token := tokenPrefix + hex.EncodeToString(raw)
	t, err := s.PutToken(ctx, company, name, token)
	if err != nil {
		return "", store.Token{}, err
	}
	return token, t, nil
}

// PutToken stores the hash of a chosen token; see store.Tokens.
func (s *Store) PutToken(ctx context.Context, company store.CompanyID, name, token string) (store.Token, error) {
	if token == "" {
		return store.Token{}, s.wrap("put token", fmt.Errorf("%w: token is empty", store.ErrInvalid))
	}
	if _, err := s.Company(ctx, company); err != nil {
		return store.Token{}, err
	}
	hash := hashToken(token)
	t := store.Token{Company: company, Name: name, CreatedAt: fromMicros(micros(s.now()))}
	err := s.write.QueryRow(ctx, s.q(`INSERT INTO api_tokens (company_id, name, token_hash, created_at)
		VALUES (?, ?, ?, ?) RETURNING id`), int64(company), name, hash, micros(t.CreatedAt)).Scan(&t.ID)
	if err == nil {
		return t, nil
	}
	if !s.d.IsUniqueViolation(err) {
		return store.Token{}, s.wrap("put token", err)
	}
	existing, err := s.tokenByHash(ctx, hash)
	if err != nil {
		return store.Token{}, err
	}
	if existing.Company != company {
		return store.Token{}, s.wrap("put token", fmt.Errorf("%w: the token belongs to another company", store.ErrConflict))
	}
	return existing, nil
}

func (s *Store) tokenByHash(ctx context.Context, hash string) (store.Token, error) {
	var t store.Token
	var company, created int64
	var revoked sql.NullInt64
	err := s.read.QueryRow(ctx, s.q(`SELECT id, company_id, name, created_at, revoked_at
		FROM api_tokens WHERE token_hash = ?`), hash).Scan(&t.ID, &company, &t.Name, &created, &revoked)
	if err != nil {
		return store.Token{}, s.notFound("token", err)
	}
	t.Company = store.CompanyID(company)
	t.CreatedAt = fromMicros(created)
	t.RevokedAt = nullMicros(revoked)
	return t, nil
}

// Authenticate returns the company of a token; see store.Tokens.
func (s *Store) Authenticate(ctx context.Context, token string) (store.CompanyID, error) {
	if token == "" {
		return 0, s.wrap("authenticate", store.ErrUnauthorized)
	}
	t, err := s.tokenByHash(ctx, hashToken(token))
	if errors.Is(err, store.ErrNotFound) || (err == nil && t.RevokedAt != nil) {
		return 0, s.wrap("authenticate", store.ErrUnauthorized)
	}
	if err != nil {
		return 0, err
	}
	return t.Company, nil
}

// RevokeToken disables a token; see store.Tokens.
func (s *Store) RevokeToken(ctx context.Context, company store.CompanyID, id int64) error {
	n, err := s.write.Exec(ctx, s.q(`UPDATE api_tokens SET revoked_at = ?
		WHERE id = ? AND company_id = ? AND revoked_at IS NULL`), micros(s.now()), id, int64(company))
	if err != nil {
		return s.wrap("revoke token", err)
	}
	if n == 0 {
		var one int
		err := s.read.QueryRow(ctx, s.q("SELECT 1 FROM api_tokens WHERE id = ? AND company_id = ?"), id, int64(company)).Scan(&one)
		if err != nil {
			return s.notFound(fmt.Sprintf("revoke token %d", id), err)
		}
	}
	return nil
}
