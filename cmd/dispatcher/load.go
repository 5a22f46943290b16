package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/bludispatcher/dispatcher/server"
	"github.com/bludispatcher/dispatcher/server/config"
	"github.com/bludispatcher/dispatcher/server/ingest"
	"github.com/bludispatcher/dispatcher/server/store"
)

func init() {
	commands["load"] = command{
		summary: "load files or folders into the store once, with the server's configuration",
		run:     runLoad,
	}
}

// loadFolderDepth is how many levels of subfolders below a folder given to
// "dispatcher load" are read.
const loadFolderDepth = 16

func runLoad(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dispatcher load [flags] PATH...")
		fmt.Fprintln(stderr, "")
		fmt.Fprintln(stderr, "Loads the given files, and the files in the given folders that -kind accepts,")
		fmt.Fprintln(stderr, "at once, with the load log, duplicates and originals of the server. Files stay")
		fmt.Fprintln(stderr, "where they are unless -move is set. A progress bar is drawn when the standard")
		fmt.Fprintln(stderr, "output is a terminal.")
		fmt.Fprintln(stderr, "")
		fmt.Fprintln(stderr, "-kind sets the inbox kind that reads the files. Each kind also takes .zip")
		fmt.Fprintln(stderr, "files of its own:")
		fmt.Fprintln(stderr, "  flows     SII metering flows, .xml (the default)")
		fmt.Fprintln(stderr, "  rcu       SII registry extracts, .csv and .txt")
		fmt.Fprintln(stderr, "  pra       residual area withdrawal (PRA), .csv, .txt and .xlsx")
		fmt.Fprintln(stderr, "  gme       GME market prices, .xml")
		fmt.Fprintln(stderr, "  sii       rcu, pra and gme files side by side")
		fmt.Fprintln(stderr, "  invoices  transport invoices: FatturaPA .xml or signed .p7m, and detail flows .xml")
		fmt.Fprintln(stderr, "  outcomes  distributors' outcome files for requests, .xml")
		fmt.Fprintln(stderr, "  group     a group's flows, RCU extracts and GME files, split among its")
		fmt.Fprintln(stderr, "            companies (-company is then the group's id)")
		fmt.Fprintln(stderr, "")
		fmt.Fprintln(stderr, "Exit status: 0 when every file loaded or was a duplicate, 1 when any load")
		fmt.Fprintln(stderr, "was rejected or any file failed, 2 for invalid arguments or configuration.")
		fmt.Fprintln(stderr, "An earlier rejected load of a file that has not changed since counts as")
		fmt.Fprintln(stderr, "rejected in this run too.")
		fmt.Fprintln(stderr, "")
		fs.PrintDefaults()
	}
	var flags serverFlags
	flags.register(fs)
	company := fs.String("company", "", "configured company `id` to load for (default: the only company)")
	kind := fs.String("kind", ingest.KindFlows, "inbox `kind` to read the files as: "+strings.Join(server.Kinds(), ", "))
	move := fs.Bool("move", false, "move each file to the company's archive after its load commits")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "dispatcher load: no PATH given; run \"dispatcher load -h\"")
		return 2
	}
	if kinds := server.Kinds(); !slices.Contains(kinds, *kind) {
		fmt.Fprintf(stderr, "dispatcher load: invalid -kind %q: want one of %s\n", *kind, strings.Join(kinds, ", "))
		return 2
	}
	if flags.override.LogLevel == "" && os.Getenv(config.EnvLogLevel) == "" {
		flags.override.LogLevel = "warn" // the summary and the bar report the rest
	}
	cfg, err := flags.load(os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher load: %v\n", err)
		return 2
	}
	if *company == "" {
		if len(cfg.Companies) != 1 {
			fmt.Fprintf(stderr, "dispatcher load: the configuration has %d companies: choose one with -company\n", len(cfg.Companies))
			return 2
		}
		*company = cfg.Companies[0].ID
	}
	for _, p := range fs.Args() {
		if _, err := os.Stat(p); err != nil {
			fmt.Fprintf(stderr, "dispatcher load: %v\n", err)
			return 2
		}
	}
	log, err := server.NewLogger(stderr, cfg.Log.Format, cfg.Log.Level)
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher load: %v\n", err)
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, err := openStore(ctx, cfg.Store)
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher load: %v\n", err)
		return 1
	}
	defer st.Close()
	srv, err := server.New(ctx, cfg, st, log)
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher load: %v\n", err)
		return 1
	}

	paths, err := expandPaths(fs.Args(), srv.Extensions(*kind))
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher load: %v\n", err)
		return 1
	}
	bar := newProgress(stdout, paths)
	report, err := srv.LoadFiles(ctx, *company, *kind, paths, *move, bar.update)
	bar.finish()
	printLoadReport(stdout, report)
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher load: %v\n", err)
		return 1
	}
	if report.Failed > 0 || report.Rejected > 0 || rejectedEarlier(report) > 0 {
		return 1
	}
	return 0
}

// rejectedEarlier returns the number of earlier loads of unchanged files
// that were rejected. Such a file is not loaded again, so its earlier
// rejection also counts for this run.
func rejectedEarlier(r ingest.ScanReport) int {
	n := 0
	for _, f := range r.Files {
		for _, l := range f.Earlier {
			if l.Status == store.StatusRejected {
				n++
			}
		}
	}
	return n
}

// expandPaths replaces each folder by the files below it whose extension
// is one of exts.
func expandPaths(args []string, exts []string) ([]string, error) {
	var out []string
	for _, p := range args {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			out = append(out, p)
			continue
		}
		found, _, err := ingest.ListExtensions(p, loadFolderDepth, exts)
		if err != nil {
			return nil, err
		}
		for _, c := range found {
			out = append(out, c.Path)
		}
	}
	return out, nil
}

func printLoadReport(w io.Writer, r ingest.ScanReport) {
	for _, f := range r.Files {
		if f.Outcome != ingest.OutcomeDone {
			fmt.Fprintf(w, "%s: %s: %s\n", f.Path, f.Outcome, f.Reason)
			continue
		}
		for _, l := range f.Earlier {
			if l.Status == store.StatusRejected {
				fmt.Fprintf(w, "%s: already loaded unchanged as load %d rejected, %d anomalies "+
					"(change the file or its modification time to load it again)\n", l.Path, l.ID, l.AnomalyCount)
				continue
			}
			fmt.Fprintf(w, "%s: already loaded unchanged as load %d %s\n", l.Path, l.ID, l.Status)
		}
		for _, l := range f.Loads {
			fmt.Fprintf(w, "%s: load %d %s, %d records loaded, %d rejected, %d anomalies\n",
				l.Path, l.ID, l.Status, l.RecordsLoaded, l.RecordsRejected, l.AnomalyCount)
		}
	}
	summary := fmt.Sprintf("%s: %d loaded, %d rejected, %s", plural(len(r.Files), "file"),
		r.Loaded, r.Rejected, plural(r.Duplicates, "duplicate"))
	if n := rejectedEarlier(r); n > 0 {
		summary += fmt.Sprintf(", %d rejected earlier", n)
	}
	if r.Failed > 0 {
		summary += fmt.Sprintf(", %s failed", plural(r.Failed, "file"))
	}
	fmt.Fprintf(w, "%s in %s\n", summary, r.FinishedAt.Sub(r.StartedAt).Round(time.Millisecond))
}

// plural returns n and noun, with an "s" unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
