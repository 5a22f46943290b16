package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/archive"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

func init() {
	commands["validate"] = command{
		summary: "check metering flows (XML or zip) and print their anomalies",
		run:     runValidate,
	}
}

// RuleInput is the rule of the anomalies this command adds for inputs that
// cannot be read: a corrupt, truncated or encrypted archive, an oversized
// entry, a missing file, or a non-XML file inside an archive (a warning).
const RuleInput = "input"

// validateReport is the JSON object printed per file with -json.
type validateReport struct {
	// Path is the input path, with the archive chain joined by "!".
	Path           string          `json:"path"`
	File           string          `json:"file"`
	FlowCode       string          `json:"flow_code,omitempty"`
	Records        int             `json:"records"`
	RecordsOK      int             `json:"records_ok"`
	RecordsBlocked int             `json:"records_blocked"`
	FileBlocked    bool            `json:"file_blocked"`
	Anomalies      flows.Anomalies `json:"anomalies"`
}

func runValidate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print one JSON object per file (JSON Lines) instead of a table")
	now := fs.String("now", "", "processing date yyyy-mm-dd for the month-range rule (default: today in Europe/Rome)")
	acceptNR := fs.Bool("accept-pdo2g-nr", false, "report PDO2G files with meter state NR as a warning, not blocking")
	acceptForeign := fs.Bool("accept-foreign-vat", false, "accept header VAT numbers that are not 11 digits")
	disable := fs.String("disable", "", "comma-separated rule identifiers to skip, such as R21,R24")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dispatcher validate [flags] FILE|ZIP|FOLDER...")
		fmt.Fprintln(stderr, "Prints the anomalies of each file; exits 1 when any is blocking, 2 on usage errors.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	opts := flows.ValidateOptions{AcceptPDO2GNotRegime: *acceptNR, AcceptForeignVAT: *acceptForeign}
	if *now != "" {
		d, err := civil.ParseISODate(*now)
		if err != nil {
			fmt.Fprintf(stderr, "dispatcher validate: -now: %v\n", err)
			return 2
		}
		opts.Now = d.Midnight(civil.Rome).Add(12 * time.Hour)
	}
	disabled, err := parseDisabledRules(*disable)
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher validate: -disable: %v\n", err)
		return 2
	}
	opts.Disabled = disabled
	paths, err := flowInputs(fs.Args())
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher validate: %v\n", err)
		return 2
	}

	var reports []validateReport
	blocking := false
	enc := json.NewEncoder(stdout)
	err = walkInputs(paths, func(e archive.Entry) error {
		rep := validateEntry(e, opts, stderr)
		if rep.FileBlocked || rep.Anomalies.HasBlocking() {
			blocking = true
		}
		if *asJSON {
			return enc.Encode(rep)
		}
		reports = append(reports, rep)
		return nil
	})
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher validate: writing output: %v\n", err)
		return 1
	}
	if !*asJSON {
		if err := printAnomalyTable(stdout, reports); err != nil {
			fmt.Fprintf(stderr, "dispatcher validate: writing output: %v\n", err)
			return 1
		}
	}
	if blocking {
		return 1
	}
	return 0
}

// parseDisabledRules splits the -disable list, trimming spaces and
// skipping empty items, and rejects identifiers the validator does not have.
func parseDisabledRules(list string) ([]string, error) {
	var out []string
	for _, id := range strings.Split(list, ",") {
		id = strings.TrimSpace(id)
		if id == "" {
			continue
		}
		if _, ok := flows.LookupRule(id); !ok {
			return nil, fmt.Errorf("unknown rule %q; the rules are %s", id, ruleIDs())
		}
		out = append(out, id)
	}
	return out, nil
}

// ruleIDs lists the identifiers of every validator check, comma-separated.
func ruleIDs() string {
	var ids []string
	for _, r := range flows.Rules() {
		ids = append(ids, r.ID)
	}
	return strings.Join(ids, ", ")
}

// validateEntry validates one XML file, or turns an unreadable input into
// a file-level anomaly of rule RuleInput.
func validateEntry(e archive.Entry, opts flows.ValidateOptions, stderr io.Writer) validateReport {
	rep := validateReport{Path: e.Path, File: e.Name}
	if e.Err != nil {
		sev := flows.Blocking
		if isSkipped(e) {
			sev = flows.Warning
		}
		msg := e.Err.Error()
		var ee *archive.EntryError
		if errors.As(e.Err, &ee) {
			msg = ee.Err.Error() // the path is already in the FILE column
		}
		rep.FileBlocked = sev == flows.Blocking
		rep.Anomalies = flows.Anomalies{{Code: flows.CodeStructure, Rule: RuleInput, Severity: sev,
			Level: flows.FileLevel, File: e.Name, Message: msg}}
		return rep
	}
	r, err := flows.ValidateFile(e.Name, e.Reader, opts)
	rep.FlowCode, rep.Records, rep.RecordsOK, rep.RecordsBlocked = r.FlowCode, r.Records, r.RecordsOK, r.RecordsBlocked
	rep.FileBlocked, rep.Anomalies = r.FileBlocked, r.Anomalies
	if err != nil {
		// The input failed while being read, such as a corrupt zip entry.
		rep.FileBlocked = true
		rep.Anomalies = append(rep.Anomalies, flows.Anomaly{Code: flows.CodeStructure, Rule: RuleInput,
			Severity: flows.Blocking, Level: flows.FileLevel, File: e.Name, Message: err.Error()})
		fmt.Fprintf(stderr, "dispatcher validate: %s: %v\n", e.Path, err)
	}
	if rep.Anomalies == nil {
		rep.Anomalies = flows.Anomalies{}
	}
	return rep
}

// printAnomalyTable prints one aligned row per anomaly and a summary line
// per file.
func printAnomalyTable(w io.Writer, reports []validateReport) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FILE\tLINE\tSEVERITY\tLEVEL\tCODE\tRULE\tPOD\tFIELD\tVALUE\tMESSAGE")
	var files, records, blocking, warnings int
	for _, rep := range reports {
		files++
		records += rep.Records
		for _, a := range rep.Anomalies {
			line := ""
			if a.Line > 0 {
				line = fmt.Sprint(a.Line)
			}
			if a.Blocking() {
				blocking++
			} else {
				warnings++
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", rep.Path, line, a.Severity, a.Level,
				a.Code, a.Rule, dash(a.Key), dash(a.Field), dash(quoteValue(a.Value)), a.Message)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d file(s), %d record(s): %d blocking, %d warning(s)\n", files, records, blocking, warnings)
	return err
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// quoteValue quotes a value that would break the table: empty strings stay
// empty, values with spaces or tabs are quoted.
func quoteValue(s string) string {
	if strings.ContainsAny(s, " \t\n") {
		return fmt.Sprintf("%q", s)
	}
	return s
}
