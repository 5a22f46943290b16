package reseller

import (
	"errors"
	"fmt"
	"io"

	"github.com/bludispatcher/dispatcher/gme"
)

// CopyGME copies a GME market-result file, byte for byte, to every company
// of the router, because market prices concern the whole group. The file is
// read once and parsed on the way, so a file that is not a GME data set
// aborts every copy. Rows with a bad value (a *gme.RowError) are copied
// like the others, because checking them is the loader's work.
// Report.Input.Records and each part's Records count the rows read.
func CopyGME(name string, r io.Reader, router *Router, sink Sink) (*Report, error) {
	rep := &Report{File: partName(name), Kind: KindGME, Input: newTotals()}
	var parts []*digestPart
	var writers []io.Writer
	abort := func() {
		for _, p := range parts {
			p.Abort()
		}
	}
	for _, id := range router.Companies() {
		p, err := sink.Create(id, rep.File)
		if err != nil {
			abort()
			return rep, err
		}
		digest := newDigestPart(p)
		parts = append(parts, digest)
		writers = append(writers, digest)
	}

	tee := io.TeeReader(r, io.MultiWriter(writers...))
	rows, err := countGMERows(tee)
	if err == nil {
		// The GME reader may stop at the end of the root element; the rest
		// of the bytes still belong to the copies.
		_, err = io.Copy(io.Discard, tee)
	}
	if err != nil {
		abort()
		return rep, fmt.Errorf("reseller: %s: %w", rep.File, err)
	}

	rep.Input.Records = rows
	for i, id := range router.Companies() {
		t := newTotals()
		t.Records = rows
		pr := PartReport{Company: id, Name: rep.File, Totals: t}
		parts[i].fill(&pr)
		rep.Parts = append(rep.Parts, pr)
		if err := parts[i].Commit(); err != nil {
			for _, rest := range parts[i+1:] {
				rest.Abort()
			}
			return rep, fmt.Errorf("reseller: committing %s for %s: %w", rep.File, id, err)
		}
	}
	return rep, nil
}

func countGMERows(r io.Reader) (int, error) {
	gr := gme.NewReader(r)
	rows := 0
	for {
		_, err := gr.Next()
		var rowErr *gme.RowError
		switch {
		case errors.Is(err, io.EOF):
			return rows, nil
		case errors.As(err, &rowErr), err == nil:
			rows++
		default:
			return rows, err
		}
	}
}
