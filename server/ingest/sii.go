package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/sii"
)

// Kinds of the SII registry extracts and of the residual area withdrawal
// files.
const (
	KindRCU = "rcu"
	KindPRA = "pra"
)

// Flow codes shown in the load log for kinds whose file names carry none.
const (
	FlowCodeRCU = "RCU"
	FlowCodePRA = "PRA"
)

// domainTx returns the DomainTx of tx, or an error when the store has none.
func domainTx(tx store.LoadTx) (store.DomainTx, error) {
	dt, ok := tx.(store.DomainTx)
	if !ok {
		return nil, fmt.Errorf("ingest: the store's load transaction %T cannot store SII, GME or PRA data", tx)
	}
	return dt, nil
}

// RCULoader loads SII registry extracts (estrazione RCU): delimited text
// with a header row of column names, as .csv or .txt files, also in zips.
//
// The extract carries no month of its own, so the loader takes it from the
// file name, where the first yyyymm, yyyy-mm or yyyy_mm token with a month
// from 01 to 12 names it (as in "RCU_12345678901_202403.csv"). A name
// without one takes the month of the load date in Europe/Rome. The month
// is part of the extract's identity, so the same bytes under a name giving
// another month load again for that month instead of as a duplicate.
type RCULoader struct {
	// Options configure the reader: separator and encoding.
	Options sii.RCUOptions
	// Now returns the load date for names without a month (time.Now when nil).
	Now func() time.Time
}

// Kind returns "rcu".
func (l *RCULoader) Kind() string { return KindRCU }

// Extensions returns .csv, .txt and .zip.
func (l *RCULoader) Extensions() []string { return []string{".csv", ".txt", ".zip"} }

// WholeFile reports true: an extract is one document, and each extract in
// a zip too.
func (l *RCULoader) WholeFile(string) bool { return true }

// Load validates and stores the points of one extract under its month.
func (l *RCULoader) Load(ctx context.Context, company Company, doc Document, tx store.LoadTx) error {
	dt, err := domainTx(tx)
	if err != nil {
		return err
	}
	dt.SetFlowCode(FlowCodeRCU)
	v := sii.NewRCUValidator(sii.RCUValidatorOptions{File: doc.Name})
	r, err := sii.NewRCUReader(doc.Body, l.Options)
	if err != nil {
		return tx.AddAnomalies(ctx, anomaly.List{v.ParseAnomaly(err)})
	}
	if err := tx.AddAnomalies(ctx, v.Header(r)); err != nil {
		return err
	}
	month := MonthFromName(doc.Name, l.now())
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var pe *sii.ParseError
		if errors.As(err, &pe) {
			// The line is a record that cannot be read: count it rejected.
			dt.AddCounts(0, 1)
			if err := tx.AddAnomalies(ctx, anomaly.List{v.ParseAnomaly(err)}); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return tx.AddAnomalies(ctx, anomaly.List{v.ParseAnomaly(err)})
		}
		if _, err := dt.AddRCURecord(ctx, month, rec, v.Check(rec)); err != nil {
			return err
		}
	}
}

// Repeats reports whether the extract name falls in the same month as
// the earlier load of the same bytes, named prevName. That load took its
// month from its start when its name carries none. Equal bytes under
// another month are a new extract, stored for that month too.
func (l *RCULoader) Repeats(name, prevName string, prevStarted time.Time) bool {
	return MonthFromName(name, l.now()) == MonthFromName(prevName, prevStarted)
}

func (l *RCULoader) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

// monthToken matches yyyymm, yyyy-mm and yyyy_mm between non-digits.
var monthToken = regexp.MustCompile(`(?:^|\D)((?:19|20)\d\d)[-_]?(0[1-9]|1[0-2])(?:\D|$)`)

// MonthFromName returns the month named in a file name by its first
// yyyymm, yyyy-mm or yyyy_mm token, or else the month of now in Europe/Rome.
func MonthFromName(name string, now time.Time) civil.Month {
	base := filepath.Base(name)
	if m := monthToken.FindStringSubmatch(base); m != nil {
		if month, err := civil.ParseCompact(m[1] + m[2]); err == nil {
			return month
		}
	}
	return civil.DateOf(now.In(civil.Rome)).MonthOf()
}

// PRALoader loads residual area withdrawal (prelievo residuo d'area)
// files, delimited (.csv, .txt) or spreadsheets (.xlsx), through a column
// profile.
type PRALoader struct {
	// Profile is the column layout; the zero value takes
	// sii.DefaultPRAProfile.
	Profile sii.PRAProfile
	// Validator sets the options of the value checks; File is filled in.
	Validator sii.PRAValidatorOptions
}

// Kind returns "pra".
func (l *PRALoader) Kind() string { return KindPRA }

// Extensions returns .csv, .txt, .xlsx and .zip.
func (l *PRALoader) Extensions() []string { return []string{".csv", ".txt", ".xlsx", ".zip"} }

// WholeFile reports true: a PRA file is one document, also as .xlsx.
func (l *PRALoader) WholeFile(string) bool { return true }

// Load validates and stores the values of one PRA file.
func (l *PRALoader) Load(ctx context.Context, company Company, doc Document, tx store.LoadTx) error {
	dt, err := domainTx(tx)
	if err != nil {
		return err
	}
	dt.SetFlowCode(FlowCodePRA)
	profile := l.Profile
	if profile.Name == "" {
		profile = sii.DefaultPRAProfile()
	}
	opts := l.Validator
	opts.File = doc.Name
	v := sii.NewPRAValidator(opts)
	var r *sii.PRAReader
	if strings.EqualFold(filepath.Ext(doc.Name), ".xlsx") {
		r, err = sii.NewPRAReaderXLSX(doc.Body, profile)
	} else {
		r, err = sii.NewPRAReader(doc.Body, profile)
	}
	if err != nil {
		return tx.AddAnomalies(ctx, anomaly.List{v.ParseAnomaly(err)})
	}
	defer r.Close()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var pe *sii.ParseError
		if errors.As(err, &pe) {
			// The line is a record that cannot be read: count it rejected.
			dt.AddCounts(0, 1)
			if err := tx.AddAnomalies(ctx, anomaly.List{v.ParseAnomaly(err)}); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return tx.AddAnomalies(ctx, anomaly.List{v.ParseAnomaly(err)})
		}
		if _, err := dt.AddPRAValue(ctx, rec, v.Check(rec)); err != nil {
			return err
		}
	}
}
