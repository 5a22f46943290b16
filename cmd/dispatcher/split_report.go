package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/bludispatcher/dispatcher/internal/archive"
	"github.com/bludispatcher/dispatcher/reseller"
)

// printSplit prints the report of one split, or its error, and returns 1
// when the split failed.
func printSplit(stdout, stderr io.Writer, path string, rep *reseller.Report, err error) int {
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher split: %v\n", err)
		return 1
	}
	if rep.Kind == reseller.KindOther {
		fmt.Fprintf(stdout, "%s (other): %s, so it is copied whole to %s\n",
			path, notSplitKind, filepath.Join(reseller.Unassigned, rep.File))
		return 0
	}
	kind := string(rep.Kind)
	if rep.FlowCode != "" {
		kind += " " + rep.FlowCode
	}
	fmt.Fprintf(stdout, "%s (%s): %s\n", path, kind, totalsLine(rep.Input))
	for _, p := range rep.Parts {
		fmt.Fprintf(stdout, "  %-12s %s\n", p.Company, totalsLine(p.Totals))
	}
	if rep.Kind == reseller.KindGME {
		fmt.Fprintf(stdout, "  copied to %d companies\n", len(rep.Parts))
	}
	if rep.SplitRecords > 0 || rep.SharedPODs > 0 {
		fmt.Fprintf(stdout, "  %d records divided by day into %d extra records; %d PODs in more than one part\n",
			rep.SplitRecords, rep.ExtraPieces, rep.SharedPODs)
	}
	for _, u := range rep.Unassigned {
		fmt.Fprintf(stdout, "  unassigned: line %d POD %s: %s\n", u.Line, u.POD, u.Reason)
	}
	for _, n := range rep.Notes {
		fmt.Fprintf(stdout, "  note: line %d POD %s: %s\n", n.Line, n.POD, n.Message)
	}
	fmt.Fprintln(stdout, "  balance: parts add up to the input")
	return 0
}

// notSplitKind is the report text for a file of a kind that split does
// not divide.
const notSplitKind = "not a metering flow, an RCU extract (.csv or .txt with a COD_POD column) or a GME file"

// printSkippedEntry reports a zip entry of a kind that split does not
// divide. Such an entry is not extracted.
func printSkippedEntry(w io.Writer, e archive.Entry) {
	size := "of unknown size"
	if e.Size >= 0 {
		size = plural(int(e.Size), "byte")
	}
	fmt.Fprintf(w, "%s: skipped, %s: %s; it stays in the zip\n", e.Path, size, notSplitKind)
}

// totalsLine formats the control figures of a file or part.
func totalsLine(t reseller.Totals) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d records, %d PODs", t.Records, t.PODs)
	if !t.EaQuarterHours.IsZero() {
		fmt.Fprintf(&b, ", Ea quarter-hours %s", t.EaQuarterHours.StringFixed(3))
	}
	for _, name := range t.RegisterNames() {
		fmt.Fprintf(&b, ", %s %s", name, t.Registers[name].StringFixed(3))
	}
	if t.Unparsed > 0 {
		fmt.Fprintf(&b, ", %d unparsed values", t.Unparsed)
	}
	return b.String()
}
