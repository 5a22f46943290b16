package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/server/store"
)

// KindFlows is the kind of the SII metering flows.
const KindFlows = "flows"

// Rule and code of the anomalies the loader adds itself.
const (
	// RuleUnreadable marks a document that is not well-formed XML, or an
	// archive entry that cannot be read.
	RuleUnreadable = "unreadable"
	// RuleTruncated marks a document that ends before its root element
	// closes, or a zip cut short before its central directory, as a file
	// still being written does. The inbox file then stays in its inbox
	// instead of being archived. A zip stays only for
	// Options.CutShortWait after its last change.
	RuleTruncated = "truncated"
	// RuleOtherCompany marks a file whose PIvaUtente is not the VAT number
	// of the company whose inbox it was found in.
	RuleOtherCompany = "other-company"
)

// FlowsLoader loads the SII metering flows: it streams the records of each
// document through the flows decoder and validator and stores the records
// that have no blocking anomaly.
type FlowsLoader struct {
	// Options configures the validator of every document.
	Options flows.ValidateOptions
}

// Kind returns "flows".
func (l *FlowsLoader) Kind() string { return KindFlows }

// Load validates and stores one metering-flow document. The store counts
// records with a blocking anomaly as rejected. A header or XML error is a
// blocking file-level anomaly, which rejects the load.
func (l *FlowsLoader) Load(ctx context.Context, company Company, doc Document, tx store.LoadTx) error {
	v := flows.NewValidator(l.Options)
	dec := flows.NewDecoder(doc.Body)

	h, err := dec.Header()
	if err != nil {
		return tx.AddAnomalies(ctx, anomaly.List{unreadable(doc, err)})
	}
	start, err := v.Start(doc.Name, h)
	if err != nil {
		return fmt.Errorf("validate %s: %w", doc.Path, err)
	}
	if a, ok := otherCompany(company, doc, h); ok {
		start = append(start, a)
	}
	if err := tx.AddAnomalies(ctx, start); err != nil {
		return err
	}

	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := dec.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if err := tx.AddAnomalies(ctx, anomaly.List{unreadable(doc, err)}); err != nil {
				return err
			}
			break
		}
		if _, err := tx.AddRecord(ctx, h, rec, v.Record(rec)); err != nil {
			return err
		}
	}
	return tx.AddAnomalies(ctx, v.Finish())
}

// unreadable turns a decoding error into a blocking file-level anomaly.
func unreadable(doc Document, err error) anomaly.Anomaly {
	a := anomaly.Anomaly{
		Code:     flows.CodeStructure,
		Rule:     RuleUnreadable,
		Severity: anomaly.Blocking,
		Level:    anomaly.FileLevel,
		File:     doc.Name,
		Message:  "the file cannot be read: " + err.Error(),
	}
	if errors.Is(err, flows.ErrUnexpectedEOF) {
		a.Rule = RuleTruncated
	}
	var syntax *flows.SyntaxError
	if errors.As(err, &syntax) {
		a.Line = syntax.Line
		a.Field = syntax.Element
	}
	return a
}

// otherCompany reports a file addressed to another seller than the
// company whose inbox it came from, when the company's VAT is configured.
func otherCompany(company Company, doc Document, h *flows.Header) (anomaly.Anomaly, bool) {
	if company.VAT == "" || !h.SellerVAT.Set || h.SellerVAT.Text == company.VAT {
		return anomaly.Anomaly{}, false
	}
	return anomaly.Anomaly{
		Code:     flows.CodeStructure,
		Rule:     RuleOtherCompany,
		Severity: anomaly.Blocking,
		Level:    anomaly.FileLevel,
		File:     doc.Name,
		Line:     int(h.SellerVAT.Line),
		Field:    "PIvaUtente",
		Value:    h.SellerVAT.Text,
		Message: fmt.Sprintf("the file is addressed to seller %s, not to company %s (VAT %s): move it to that company's inbox",
			h.SellerVAT.Text, company.Code, company.VAT),
	}, true
}
