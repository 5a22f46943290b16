package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"unicode/utf8"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/sii"
)

func init() {
	commands["rcu"] = command{
		summary: "check an SII registry extract (RCU) and list its social-bonus points",
		run:     runRCU,
	}
}

func runRCU(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rcu", flag.ContinueOnError)
	fs.SetOutput(stderr)
	comma := fs.String("comma", ";", "field separator")
	encoding := fs.String("encoding", "auto", "character encoding: auto, utf-8 or latin-1")
	bonusDate := fs.String("bonus-date", "", "day (dd/mm/yyyy) on which to list the social-bonus points; none when empty")
	xlsxPath := fs.String("xlsx", "", "write the social-bonus points to this XLSX file (needs -bonus-date)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dispatcher rcu [-comma ;] [-encoding auto] [-bonus-date dd/mm/yyyy [-xlsx FILE]] EXTRACT")
		fmt.Fprintln(stderr, "Prints the header findings and the anomalies of each record, then the point count.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	opts, at, err := rcuOptions(*comma, *encoding, *bonusDate)
	if err == nil && fs.NArg() != 1 {
		err = errors.New("want exactly one extract file")
	}
	if err == nil && *xlsxPath != "" && at.IsZero() {
		err = errors.New("-xlsx needs -bonus-date")
	}
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher rcu: %v\n", err)
		fs.Usage()
		return 2
	}

	path := fs.Arg(0)
	records, found, err := readRCUFile(path, opts)
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher rcu: %v\n", err)
		return 1
	}
	for _, a := range found {
		fmt.Fprintln(stdout, a)
	}
	fmt.Fprintf(stdout, "%s: %d points, %d anomalies\n", path, len(records), len(found))
	if !at.IsZero() {
		bonuses := sii.BonusesAt(records, at)
		fmt.Fprintf(stdout, "social bonus active on %s: %d points\n", at.Italian(), len(bonuses))
		if *xlsxPath != "" {
			if err := writeBonusXLSX(*xlsxPath, at, bonuses); err != nil {
				fmt.Fprintf(stderr, "dispatcher rcu: %v\n", err)
				return 1
			}
		}
	}
	if found.HasBlocking() {
		return 1
	}
	return 0
}

func rcuOptions(comma, encoding, bonusDate string) (sii.RCUOptions, civil.Date, error) {
	var opts sii.RCUOptions
	r, size := utf8.DecodeRuneInString(comma)
	if size == 0 || size != len(comma) {
		return opts, civil.Date{}, fmt.Errorf("invalid -comma %q: want one character", comma)
	}
	opts.Comma = r
	switch encoding {
	case "auto":
	case "utf-8":
		opts.Encoding = sii.EncodingUTF8
	case "latin-1":
		opts.Encoding = sii.EncodingLatin1
	default:
		return opts, civil.Date{}, fmt.Errorf("invalid -encoding %q: want auto, utf-8 or latin-1", encoding)
	}
	var at civil.Date
	if bonusDate != "" {
		d, err := civil.ParseDate(bonusDate)
		if err != nil {
			return opts, civil.Date{}, fmt.Errorf("invalid -bonus-date: %v", err)
		}
		at = d
	}
	return opts, at, nil
}

// readRCUFile reads and validates the whole extract. The records are kept
// in memory because the bonus list needs them.
func readRCUFile(path string, opts sii.RCUOptions) ([]*sii.RCURecord, anomaly.List, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	r, err := sii.NewRCUReader(f, opts)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	v := sii.NewRCUValidator(sii.RCUValidatorOptions{File: filepath.Base(path)})
	found := v.Header(r)
	var records []*sii.RCURecord
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return records, found, nil
		}
		if err != nil {
			var pe *sii.ParseError
			if !errors.As(err, &pe) {
				return nil, nil, fmt.Errorf("%s: %w", path, err)
			}
			found = append(found, v.ParseAnomaly(err))
			continue
		}
		found = append(found, v.Check(rec)...)
		records = append(records, rec)
	}
}

func writeBonusXLSX(path string, at civil.Date, bonuses []sii.BonusEntitlement) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := sii.WriteBenefitsXLSX(f, at, bonuses, nil); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
