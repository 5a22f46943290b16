package main

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"unicode/utf8"

	"github.com/bludispatcher/dispatcher/internal/archive"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/reseller"
)

func init() {
	commands["split"] = command{
		summary: "split group files (flows, RCU extracts, GME prices) into one folder per company",
		run:     runSplit,
	}
}

// splitConfig contains the router, the sink and the RCU options of one run.
type splitConfig struct {
	router *reseller.Router
	sink   reseller.DirSink
	rcu    reseller.RCUOptions
}

func runSplit(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("split", flag.ContinueOnError)
	fs.SetOutput(stderr)
	routes := fs.String("routes", "", "routing table (JSON); without it every record goes to "+reseller.Unassigned)
	out := fs.String("out", "", "folder that receives one folder per company plus "+reseller.Unassigned+" (required)")
	comma := fs.String("comma", ";", "field separator of RCU extracts")
	rcuDay := fs.String("rcu-day", "", "day (dd/mm/yyyy) on which explicit POD ranges apply to RCU rows; only open ranges apply when empty")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dispatcher split [-routes FILE] -out DIR FILE|ZIP...")
		fmt.Fprintln(stderr, "Splits metering flows by POD and RCU extracts (.csv or .txt files whose first")
		fmt.Fprintln(stderr, "line names COD_POD) by PIVA_CC, copies GME price files to every company, and")
		fmt.Fprintln(stderr, "prints a report per file. Zips, also nested ones, may contain any mix of these,")
		fmt.Fprintln(stderr, "and each file in them is split by its content. A file of another kind is")
		fmt.Fprintln(stderr, "copied whole to "+reseller.Unassigned+". A zip entry of another kind is only reported")
		fmt.Fprintln(stderr, "and stays in its zip.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}

	cfg, err := splitSetup(*routes, *out, *comma, *rcuDay, fs.NArg())
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher split: %v\n", err)
		if !errors.Is(err, reseller.ErrTable) {
			fs.Usage()
		}
		return 2
	}

	failed := 0
	for _, path := range fs.Args() {
		failed += splitInput(path, cfg, stdout, stderr)
	}
	if failed > 0 {
		fmt.Fprintf(stderr, "dispatcher split: %d files not split; their parts were discarded\n", failed)
		return 1
	}
	return 0
}

func splitSetup(routes, out, comma, rcuDay string, inputs int) (splitConfig, error) {
	var cfg splitConfig
	if out == "" {
		return cfg, errors.New("missing -out: give the folder that receives the parts")
	}
	if inputs == 0 {
		return cfg, errors.New("missing input: give at least one file or zip to split")
	}
	r, size := utf8.DecodeRuneInString(comma)
	if r == utf8.RuneError || size != len(comma) {
		return cfg, fmt.Errorf("invalid -comma %q: use a single character", comma)
	}
	cfg.rcu.Comma = r
	if rcuDay != "" {
		d, err := civil.ParseDate(rcuDay)
		if err != nil {
			return cfg, fmt.Errorf("invalid -rcu-day: %w", err)
		}
		cfg.rcu.Day = d
	}

	table := &reseller.Table{}
	if routes != "" {
		f, err := os.Open(routes)
		if err != nil {
			return cfg, err
		}
		defer f.Close()
		if table, err = reseller.LoadTable(f); err != nil {
			return cfg, fmt.Errorf("%s: %w", routes, err)
		}
	}
	router, err := table.Compile()
	if err != nil {
		return cfg, err
	}
	cfg.router = router
	cfg.sink = reseller.DirSink{Root: out}
	return cfg, nil
}

// splitInput splits one command-line argument, a file or a zip, and
// returns the number of files that failed. Each file and zip entry is
// split by its content, the way a group inbox sorts them (see
// reseller.DetectKind).
func splitInput(path string, cfg splitConfig, stdout, stderr io.Writer) int {
	failed := 0
	err := archive.WalkFile(path, archive.Options{AllFiles: true}, func(e archive.Entry) error {
		if e.Err != nil {
			// With AllFiles, only hidden files are skipped as not XML.
			if errors.Is(e.Err, archive.ErrNotXML) {
				fmt.Fprintf(stdout, "%s: skipped, a hidden file (its name starts with a dot)\n", e.Path)
				return nil
			}
			fmt.Fprintf(stderr, "dispatcher split: %v\n", e.Err)
			failed++
			return nil
		}
		failed += splitEntry(e, cfg, stdout, stderr)
		return nil
	})
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher split: %v\n", err)
		failed++
	}
	return failed
}

// splitEntry splits one file or zip entry by its kind and prints its
// report. It returns 1 when the split failed. A file of no known kind is
// copied whole to the unassigned folder. A zip entry of no known kind is
// only reported. It is not extracted and stays in its zip.
func splitEntry(e archive.Entry, cfg splitConfig, stdout, stderr io.Writer) int {
	br := bufio.NewReaderSize(e.Reader, reseller.DetectLen)
	head, err := br.Peek(reseller.DetectLen)
	if err != nil && !errors.Is(err, io.EOF) {
		fmt.Fprintf(stderr, "dispatcher split: %v\n", err)
		return 1
	}

	var rep *reseller.Report
	switch reseller.DetectKind(e.Name, head) {
	case reseller.KindRCU:
		rep, err = reseller.SplitRCU(e.Name, br, cfg.router, cfg.sink, cfg.rcu)
	case reseller.KindOther:
		if e.Depth > 0 {
			printSkippedEntry(stdout, e)
			return 0
		}
		rep, err = reseller.CopyUnassigned(e.Name, br, cfg.sink)
	default:
		rep, err = splitXML(e, br, cfg)
	}
	return printSplit(stdout, stderr, e.Path, rep, err)
}

// splitXML splits a metering flow or copies a GME file, chosen by the root
// element of the XML entry e, whose bytes br reads.
func splitXML(e archive.Entry, br *bufio.Reader, cfg splitConfig) (*reseller.Report, error) {
	switch root := sniffRoot(br); root {
	case "FlussoMisure", "FM":
		return reseller.SplitFlow(e.Name, br, cfg.router, cfg.sink, reseller.FlowOptions{})
	case "NewDataSet":
		return reseller.CopyGME(e.Name, br, cfg.router, cfg.sink)
	default:
		return nil, fmt.Errorf("%s: root element %q is neither a metering flow nor a GME file", e.Path, root)
	}
}

// sniffRoot returns the name of the first element in the buffered head of
// the input, or "" when there is none.
func sniffRoot(br *bufio.Reader) string {
	head, _ := br.Peek(br.Size())
	dec := xml.NewDecoder(bytes.NewReader(head))
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	for {
		tok, err := dec.RawToken()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local
		}
	}
}
