package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/bludispatcher/dispatcher/accise"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
)

func init() {
	commands["accise"] = command{
		summary: "import billing lines, check them, and write the excise declaration and its report",
		run:     runAccise,
	}
}

var acciseSubcommands = map[string]func(args []string, stdout, stderr io.Writer) int{
	"import":  runAcciseImport,
	"check":   runAcciseCheck,
	"declare": runAcciseDeclare,
	"report":  runAcciseReport,
}

func acciseUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: dispatcher accise <import|check|declare|report|dic|ledger|pay|credits> [flags] FILE...")
	fmt.Fprintln(w, "")
	fmt.Fprintln(w, "  import   read billing lines (CSV or XLSX) and write them as one normalised CSV")
	fmt.Fprintln(w, "  check    list the anomalies of the billing lines; exit status 1 when any blocks")
	fmt.Fprintln(w, "  declare  write the ADM declaration XML, one file per commodity and ambito")
	fmt.Fprintln(w, "  report   write the control report workbook (XLSX)")
	fmt.Fprintln(w, "  dic      convert a legacy .dic declaration to XML")
	fmt.Fprintln(w, "  ledger   print the balance of each excise account from movement CSV files")
	fmt.Fprintln(w, "  pay      write the F24 Accise forms (PDF) and the regional bank transfers (CBI, pain.001)")
	fmt.Fprintln(w, "  credits  write the credit and payment workbook (XLSX) and warn of refund deadlines")
	fmt.Fprintln(w, "")
	fmt.Fprintln(w, "Run \"dispatcher accise <subcommand> -h\" for its flags.")
}

func runAccise(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		acciseUsage(stdout)
		return 0
	}
	run, ok := acciseSubcommands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "dispatcher accise: unknown subcommand %q\n", args[0])
		acciseUsage(stderr)
		return 2
	}
	return run(args[1:], stdout, stderr)
}

// acciseInput holds the flags that choose and read the billing lines.
type acciseInput struct {
	profile   *string
	sheet     *string
	commodity *string
	progress  *int
	// line draws the rows read on standard error when it is a terminal and
	// -progress is 0; read creates it on first use.
	line *importProgress
}

func newAcciseInput(fs *flag.FlagSet) *acciseInput {
	return &acciseInput{
		profile:   fs.String("profile", "dispatcher", "column profile of the input files: dispatcher or generic"),
		sheet:     fs.String("sheet", "", "sheet of XLSX inputs (default: the first sheet)"),
		commodity: fs.String("commodity", "", "commodity of rows that do not name it: ee or gn"),
		progress:  fs.Int("progress", 0, "print the number of rows read to standard error every N rows (0: one progress line, redrawn at most every 0.5 s, only when standard error is a terminal)"),
	}
}

// read reads every input file. Unreadable rows become anomalies; a file that
// cannot be opened or has no usable header stops the command.
func (in *acciseInput) read(files []string, stderr io.Writer) ([]accise.Line, anomaly.List, error) {
	profile, ok := accise.DefaultProfiles().Profile(*in.profile)
	if !ok {
		return nil, nil, fmt.Errorf("-profile: unknown profile %q; want dispatcher or generic", *in.profile)
	}
	var commodity accise.Commodity
	switch strings.ToLower(*in.commodity) {
	case "":
	case "ee":
		commodity = accise.Electricity
	case "gn":
		commodity = accise.Gas
	default:
		return nil, nil, fmt.Errorf("-commodity: invalid value %q; want ee or gn", *in.commodity)
	}
	if len(files) == 0 {
		return nil, nil, fmt.Errorf("missing input file: give one or more CSV or XLSX files")
	}
	if in.line == nil {
		in.line = newImportProgress(stderr)
	}
	var lines []accise.Line
	var found anomaly.List
	for _, name := range files {
		l, a, err := in.readFile(name, profile, commodity, stderr)
		if err != nil {
			return nil, nil, err
		}
		lines = append(lines, l...)
		found = append(found, a...)
	}
	return lines, found, nil
}

func (in *acciseInput) readFile(name string, profile accise.Profile, commodity accise.Commodity, stderr io.Writer) ([]accise.Line, anomaly.List, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	opts := accise.ImportOptions{Profile: profile, File: filepath.Base(name), Commodity: commodity}
	if *in.progress > 0 {
		opts.ProgressEvery = *in.progress
		opts.Progress = func(p accise.Progress) {
			fmt.Fprintf(stderr, "%s: %d rows read\n", opts.File, p.Rows)
		}
	} else {
		opts.Progress = in.line.callback(opts.File)
		defer in.line.finish()
	}
	var lr accise.LineReader
	if strings.EqualFold(filepath.Ext(name), ".xlsx") {
		x, err := accise.NewXLSXReader(f, *in.sheet, opts)
		if err != nil {
			return nil, nil, err
		}
		defer x.Close()
		lr = x
	} else {
		c, err := accise.NewCSVReader(f, opts)
		if err != nil {
			return nil, nil, err
		}
		lr = c
	}
	return accise.ReadAll(lr)
}

// acciseYear holds the flags that choose the declared period and the check
// options.
type acciseYear struct {
	year           *int
	half           *int
	municipalities *string
}

func newAcciseYear(fs *flag.FlagSet) *acciseYear {
	return &acciseYear{
		year:           fs.Int("year", 0, "tax year, such as 2025 (required)"),
		half:           fs.Int("half", 0, "half-year 1 or 2, from tax year 2026; 0 for the annual declaration"),
		municipalities: fs.String("municipalities", "", "CSV of cadastral code;province to check municipalities against (default: check the code's shape only)"),
	}
}

func (y *acciseYear) check() error {
	if *y.year < 2000 || *y.year > 2100 {
		return fmt.Errorf("-year: missing or invalid tax year %d", *y.year)
	}
	if *y.half < 0 || *y.half > 2 {
		return fmt.Errorf("-half: invalid half %d; want 1 or 2, or 0 for the whole year", *y.half)
	}
	return nil
}

func (y *acciseYear) checkOptions() (accise.CheckOptions, error) {
	o := accise.YearCheckOptions(*y.year)
	o.From, o.To = accise.DeclareOptions{Year: *y.year, Half: *y.half}.Period()
	if *y.municipalities != "" {
		m, err := acciseReadMunicipalities(*y.municipalities)
		if err != nil {
			return o, fmt.Errorf("-municipalities: %w", err)
		}
		o.Municipalities = m
	}
	return o, nil
}

// acciseReadMunicipalities reads "cadastral code;province" rows. A first row
// whose code is not four characters is a header and is skipped; any other
// malformed row is rejected with its line number.
func acciseReadMunicipalities(name string) (map[string]string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = ';'
	r.FieldsPerRecord = 2
	out := map[string]string{}
	for line := 1; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		code, prov := strings.ToUpper(strings.TrimSpace(rec[0])), strings.ToUpper(strings.TrimSpace(rec[1]))
		if line == 1 && len(code) != 4 {
			continue
		}
		if len(code) != 4 || len(prov) != 2 {
			return nil, fmt.Errorf("%s:%d: invalid row %q;%q: want a 4-character cadastral code and a 2-letter province", name, line, rec[0], rec[1])
		}
		out[code] = prov
	}
}

func parseAcciseFlags(fs *flag.FlagSet, args []string, stderr io.Writer, usage string) bool {
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, usage)
		fs.PrintDefaults()
	}
	return fs.Parse(args) == nil
}

func runAcciseImport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("accise import", flag.ContinueOnError)
	in := newAcciseInput(fs)
	out := fs.String("o", "-", "output CSV file, or - for standard output")
	if !parseAcciseFlags(fs, args, stderr, "usage: dispatcher accise import [flags] FILE...\nReads billing lines and writes them as one CSV in the dispatcher profile; unreadable rows are listed on standard error.") {
		return 2
	}
	lines, found, err := in.read(fs.Args(), stderr)
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher accise import: %v\n", err)
		return 1
	}

	err = acciseWithOutput(*out, stdout, func(w io.Writer) error {
		lw := accise.NewLineCSVWriter(w)
		for _, l := range lines {
			if err := lw.Write(l); err != nil {
				return err
			}
		}
		return lw.Flush()
	})
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher accise import: %v\n", err)
		return 1
	}

	accisePrintAnomalies(stderr, found)
	fmt.Fprintf(stderr, "%d lines imported, %d rows rejected\n", len(lines), len(found))
	if found.HasBlocking() {
		return 1
	}
	return 0
}

// acciseWithOutput runs write on the named file, or on stdout for "-".
func acciseWithOutput(name string, stdout io.Writer, write func(io.Writer) error) error {
	if name == "-" {
		return write(stdout)
	}
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func accisePrintAnomalies(w io.Writer, list anomaly.List) {
	for _, a := range list {
		fmt.Fprintln(w, a.String())
	}
}

func runAcciseCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("accise check", flag.ContinueOnError)
	in := newAcciseInput(fs)
	year := newAcciseYear(fs)
	if !parseAcciseFlags(fs, args, stderr, "usage: dispatcher accise check -year YYYY [flags] FILE...\nLists the anomalies of the billing lines, one a line, on standard output.") {
		return 2
	}
	if err := year.check(); err != nil {
		fmt.Fprintf(stderr, "dispatcher accise check: %v\n", err)
		return 2
	}
	lines, found, err := in.read(fs.Args(), stderr)
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher accise check: %v\n", err)
		return 1
	}
	checkOpts, err := year.checkOptions()
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher accise check: %v\n", err)
		return 2
	}
	c, computeFound := accise.Compute(lines, accise.ComputeOptions{})
	found = append(append(found, computeFound...), accise.Check(c, checkOpts)...)
	accisePrintAnomalies(stdout, found)
	fmt.Fprintf(stderr, "%s checked, %s\n", acciseCount(len(lines), "line", "lines"), acciseCount(len(found), "anomaly", "anomalies"))
	if found.HasBlocking() {
		return 1
	}
	return 0
}

// acciseCount writes n with the singular or plural noun.
func acciseCount(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
