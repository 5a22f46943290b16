package main

import (
	"archive/zip"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/bludispatcher/dispatcher/flows/flowgen"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

func init() {
	commands["generate"] = command{
		summary: "write generated metering flows for tests and demos",
		run:     runGenerate,
	}
}

func runGenerate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	flow := fs.String("flow", "PDO", "flow code (CodFlusso) to generate, such as PDO, PNO2G or RFO")
	all := fs.Bool("all", false, "generate one file of every kind (every flow code and variant) instead of -flow")
	pods := fs.Int("pods", 3, "number of PODs")
	seed := fs.Uint64("seed", 1, "random seed: the same flags give the same files")
	month := fs.String("month", "2025-10", "competence month yyyy-mm")
	day := fs.String("day", "", "day yyyy-mm-dd of daily files (default: the month's clock-change day, else its last day)")
	notRegime := fs.Bool("nr", false, "2G meters not a regime (name suffix NR)")
	legacy := fs.Bool("legacy", false, "pre-2020 format (PDO only)")
	reactive := fs.Bool("reactive", false, "add injected reactive energy (Erc, Eri)")
	out := fs.String("out", ".", "folder to write into, or - for standard output (one file only)")
	zipped := fs.Bool("zip", false, "write each file zipped, one XML per zip as distributors deliver them")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dispatcher generate [flags]")
		fmt.Fprintln(stderr, "Writes generated flows (no real data) and prints the path of each file.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "dispatcher generate: unexpected argument %q\n", fs.Arg(0))
		return 2
	}

	m, err := parseISOMonth(*month)
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher generate: -month: %v\n", err)
		return 2
	}
	var set []flowgen.Options
	if *all {
		for _, o := range flowgen.Catalog(*seed, *pods) {
			if o.Month.IsZero() {
				o.Month = m
			}
			set = append(set, o)
		}
	} else {
		o := flowgen.Options{FlowCode: strings.ToUpper(*flow), Seed: *seed, PODs: *pods, Month: m,
			NotRegime: *notRegime, Legacy: *legacy, Reactive: *reactive}
		if *day != "" {
			if o.Day, err = civil.ParseISODate(*day); err != nil {
				fmt.Fprintf(stderr, "dispatcher generate: -day: %v\n", err)
				return 2
			}
		}
		set = append(set, o)
	}
	if *out == "-" && len(set) != 1 {
		fmt.Fprintln(stderr, "dispatcher generate: -out - writes one file only; drop -all")
		return 2
	}

	for _, o := range set {
		g, err := flowgen.New(o)
		if err != nil {
			fmt.Fprintf(stderr, "dispatcher generate: %v\n", err)
			return 2
		}
		if *out == "-" {
			if err := g.Write(stdout); err != nil {
				fmt.Fprintf(stderr, "dispatcher generate: %v\n", err)
				return 1
			}
			continue
		}
		path, err := writeGenerated(g, *out, *zipped)
		if err != nil {
			fmt.Fprintf(stderr, "dispatcher generate: %v\n", err)
			return 1
		}
		fmt.Fprintln(stdout, path)
	}
	return 0
}

// writeGenerated writes the file of g into dir, zipped when asked, and
// returns its path.
func writeGenerated(g *flowgen.Generator, dir string, zipped bool) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	name := g.FileName().String()
	path := filepath.Join(dir, name)
	if zipped {
		path = strings.TrimSuffix(path, ".xml") + ".zip"
	}

	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	var w io.Writer = f
	var zw *zip.Writer
	if zipped {
		zw = zip.NewWriter(f)
		if w, err = zw.Create(name); err != nil {
			f.Close()
			return "", err
		}
	}

	err = g.Write(w)
	if zw != nil && err == nil {
		err = zw.Close()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return "", fmt.Errorf("writing %s: %w", path, err)
	}
	return path, nil
}

// parseISOMonth parses "yyyy-mm".
func parseISOMonth(s string) (civil.Month, error) {
	if len(s) != 7 || s[4] != '-' {
		return civil.Month{}, fmt.Errorf("invalid month %q: want yyyy-mm", s)
	}
	return civil.ParseCompact(s[:4] + s[5:])
}
