package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/workbook"
)

func init() {
	commands["workbook"] = command{
		summary: "write the consumption workbook (XLSX) of a load or of a company-month",
		run:     runWorkbook,
	}
}

func runWorkbook(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("workbook", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dispatcher workbook [flags] (-load ID | -month yyyy-mm)")
		fmt.Fprintln(stderr, "")
		fmt.Fprintln(stderr, "Writes the consumption workbook of one load or of one competence month from")
		fmt.Fprintln(stderr, "the store: band registers per POD, daily curve totals and corrections set")
		fmt.Fprintln(stderr, "against the values they replace.")
		fmt.Fprintln(stderr, "")
		fs.PrintDefaults()
	}
	var flags serverFlags
	flags.register(fs)
	company := fs.String("company", "", "configured company `id` (default: the only company)")
	loadID := fs.Int64("load", 0, "load `id` of the consumption file")
	month := fs.String("month", "", "competence `month` as yyyy-mm")
	out := fs.String("o", "", "output `file`; - for the standard output (default: the workbook's name)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}

	sel, err := workbookSelection(*loadID, *month)
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher workbook: %v\n", err)
		return 2
	}
	cfg, err := flags.load(os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher workbook: %v\n", err)
		return 2
	}
	if *company == "" {
		if len(cfg.Companies) != 1 {
			fmt.Fprintf(stderr, "dispatcher workbook: the configuration has %d companies: choose one with -company\n", len(cfg.Companies))
			return 2
		}
		*company = cfg.Companies[0].ID
	}
	if err := writeWorkbook(context.Background(), cfg.Store, *company, sel, *out, stdout); err != nil {
		fmt.Fprintf(stderr, "dispatcher workbook: %v\n", err)
		return 1
	}
	return 0
}

// workbookSelection checks that exactly one of load and month is given.
func workbookSelection(load int64, month string) (workbook.Selection, error) {
	var sel workbook.Selection
	switch {
	case (load == 0) == (month == ""):
		return sel, errors.New("give exactly one of -load and -month; run \"dispatcher workbook -h\"")
	case load < 0:
		return sel, fmt.Errorf("invalid -load %d: want a positive load id", load)
	case month != "":
		m, err := workbook.ParseMonth(month)
		if err != nil {
			return sel, fmt.Errorf("invalid -month %q: want yyyy-mm", month)
		}
		sel.Month = m
	}
	sel.Load = store.LoadID(load)
	return sel, nil
}

// writeWorkbook builds the workbook from the store and writes it to out.
func writeWorkbook(ctx context.Context, dsn, company string, sel workbook.Selection, out string, stdout io.Writer) error {
	st, err := openStore(ctx, dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	co, err := st.CompanyByCode(ctx, company)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("company %q is not in the store yet: load its files first", company)
	}
	if err != nil {
		return fmt.Errorf("company %q: %w", company, err)
	}
	sel.Company = co.ID

	var buf bytes.Buffer
	name, err := workbook.Write(ctx, st, sel, &buf)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("load %d not found for company %q", sel.Load, company)
	}
	if err != nil {
		return err
	}

	if out == "-" {
		_, err = stdout.Write(buf.Bytes())
		return err
	}
	if out == "" {
		out = name
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%d bytes)\n", out, buf.Len())
	return nil
}
