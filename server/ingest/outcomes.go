package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/bludispatcher/dispatcher/distributor"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/server/store"
)

// KindOutcomes is the kind of the distributors' outcome files.
const KindOutcomes = "outcomes"

// OutcomesLoader loads the distributors' outcome files: admissibility
// outcomes, final outcomes and meter data of requests. Each outcome moves
// its request in the load's transaction. An outcome whose case number
// matches no request of the company is stored as unmatched and reported
// as an anomaly in the load log.
type OutcomesLoader struct {
	// Profile returns the profile that a company's outcomes are read
	// with, which declares the distributors' own services. A nil
	// function or a nil profile means the standard services only.
	Profile func(company store.CompanyID) *distributor.Profile
	// Now returns the time an outcome is read at (time.Now when nil).
	Now func() time.Time
}

// Kind returns "outcomes".
func (l *OutcomesLoader) Kind() string { return KindOutcomes }

// Load reads the outcomes of one document and applies each to its
// request. A document with no readable outcome is rejected with a
// file-level anomaly. A syntax error after some outcomes keeps the
// outcomes read before it and is reported as a record-level anomaly.
func (l *OutcomesLoader) Load(ctx context.Context, company Company, doc Document, tx store.LoadTx) error {
	otx, ok := tx.(store.OutcomeTx)
	if !ok {
		return fmt.Errorf("load %s: the store does not keep distributor requests", doc.Path)
	}
	var prof *distributor.Profile
	if l.Profile != nil {
		prof = l.Profile(company.ID)
	}
	now := time.Now
	if l.Now != nil {
		now = l.Now
	}
	rd := distributor.NewOutcomeReader(doc.Body, doc.Name, prof)
	for read := 0; ; read++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		o, found, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return tx.AddAnomalies(ctx, anomaly.List{unreadableOutcome(doc, err, read > 0)})
		}
		if a, ok := outcomeOfOtherSeller(company, o); ok {
			if err := tx.AddAnomalies(ctx, append(found, a)); err != nil {
				return err
			}
			continue
		}
		matched, err := otx.ApplyOutcome(ctx, o, now().UTC())
		if err != nil {
			return err
		}
		if err := tx.AddAnomalies(ctx, append(found, matched...)); err != nil {
			return err
		}
	}
}

// outcomeOfOtherSeller reports an outcome addressed to another seller than
// the company whose inbox it came from, when the company's VAT is
// configured. Such an outcome moves no request, because its case number
// belongs to the other seller's numbering.
func outcomeOfOtherSeller(company Company, o *distributor.Outcome) (anomaly.Anomaly, bool) {
	if company.VAT == "" || o.IDs.SellerVAT == "" || o.IDs.SellerVAT == company.VAT {
		return anomaly.Anomaly{}, false
	}
	return anomaly.Anomaly{
		Code:     distributor.CodeOutcome,
		Rule:     RuleOtherCompany,
		Severity: anomaly.Blocking,
		Level:    anomaly.RecordLevel,
		File:     o.File,
		Line:     o.Line,
		Key:      o.IDs.CaseNumber,
		Field:    "IdentificativiRichiesta/piva_utente",
		Value:    o.IDs.SellerVAT,
		Message: fmt.Sprintf("the outcome is addressed to seller %s, not to company %s (VAT %s): move the file to that company's outcome inbox",
			o.IDs.SellerVAT, company.Code, company.VAT),
	}, true
}

// unreadableOutcome turns a parse error into a blocking anomaly: at file
// level when no outcome was read, else at record level so that the
// outcomes read before it stay applied.
func unreadableOutcome(doc Document, err error, afterOutcomes bool) anomaly.Anomaly {
	a := anomaly.Anomaly{
		Code:     distributor.CodeOutcome,
		Rule:     RuleUnreadable,
		Severity: anomaly.Blocking,
		Level:    anomaly.FileLevel,
		File:     doc.Name,
		Message:  "the outcome file cannot be read: " + err.Error(),
	}
	if afterOutcomes {
		a.Level = anomaly.RecordLevel
		a.Message = "the rest of the outcome file cannot be read: " + err.Error()
	}
	var pe *distributor.ParseError
	if errors.As(err, &pe) {
		a.Line = pe.Line
	}
	return a
}
