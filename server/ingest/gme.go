package ingest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"

	"github.com/bludispatcher/dispatcher/gme"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/server/store"
)

// Kinds of the GME market files and of inboxes that take SII extracts,
// PRA files and GME files side by side.
const (
	KindGME = "gme"
	KindSII = "sii"
)

// GMELoader loads GME market files (MGPPrezzi, MGPPrezzi15 and the other
// row kinds): .xml files, and zips whose XML entries each load as one
// document, as the daily archive with both price files.
type GMELoader struct {
	// RequirePUN warns about day-ahead price rows without a PUN.
	RequirePUN bool
}

// Kind returns "gme".
func (l *GMELoader) Kind() string { return KindGME }

// Load validates and stores the rows of one GME XML document. The load
// log shows the root element of the first row's file kind, such as
// "Prezzi" or "Prezzi15".
func (l *GMELoader) Load(ctx context.Context, company Company, doc Document, tx store.LoadTx) error {
	dt, err := domainTx(tx)
	if err != nil {
		return err
	}
	v := gme.NewValidator(gme.ValidatorOptions{File: doc.Name, RequirePUN: l.RequirePUN})
	r := gme.NewReader(doc.Body)
	first := true
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if err := tx.AddAnomalies(ctx, anomaly.List{v.RowAnomaly(err)}); err != nil {
				return err
			}
			var re *gme.RowError
			if errors.As(err, &re) {
				dt.AddCounts(0, 1) // a row that cannot be placed in time
				continue
			}
			break
		}
		if first {
			dt.SetFlowCode(rec.Element)
			first = false
		}
		if _, err := dt.AddPrice(ctx, rec, v.Check(rec)); err != nil {
			return err
		}
	}
	return tx.AddAnomalies(ctx, v.Finish())
}

// SIILoader takes the files of an inbox that receives RCU extracts, PRA
// files and GME files together, and hands each to the loader of its kind.
// The extension decides first: .xml and .zip files are GME files and
// .xlsx files PRA files. A .csv or .txt file is an RCU extract when its
// header row has the COD_POD column, and a PRA file otherwise. An inbox
// of one kind ("rcu", "pra", "gme") needs no detection.
type SIILoader struct {
	RCU *RCULoader
	PRA *PRALoader
	GME *GMELoader
}

// Kind returns "sii".
func (l *SIILoader) Kind() string { return KindSII }

// Extensions returns the extensions of the three kinds.
func (l *SIILoader) Extensions() []string {
	return []string{".xml", ".zip", ".csv", ".txt", ".xlsx"}
}

// WholeFile reports true for every file but a plain .xml one, so that the
// entries of a zip load whatever their kind: GME XML files, RCU extracts
// or PRA files. Nested zips are not opened.
func (l *SIILoader) WholeFile(name string) bool {
	return !strings.EqualFold(filepath.Ext(name), ".xml")
}

// Load detects the kind of doc and loads it with that kind's loader.
func (l *SIILoader) Load(ctx context.Context, company Company, doc Document, tx store.LoadTx) error {
	switch strings.ToLower(filepath.Ext(doc.Name)) {
	case ".xlsx":
		return l.PRA.Load(ctx, company, doc, tx)
	case ".csv", ".txt":
		br := bufio.NewReaderSize(doc.Body, 64<<10)
		doc.Body = br
		if hasRCUHeader(br) {
			return l.RCU.Load(ctx, company, doc, tx)
		}
		return l.PRA.Load(ctx, company, doc, tx)
	}
	return l.GME.Load(ctx, company, doc, tx)
}

// hasRCUHeader reports whether the first line of br names the COD_POD
// column, without consuming it.
func hasRCUHeader(br *bufio.Reader) bool {
	head, _ := br.Peek(br.Size())
	return rcuHeaderIn(head)
}

// rcuHeaderIn reports whether the first line of head, the first bytes of
// a file, names the COD_POD column.
func rcuHeaderIn(head []byte) bool {
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	return bytes.Contains(bytes.ToUpper(head), []byte("COD_POD"))
}
