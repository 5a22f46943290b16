package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/edi"
)

func init() {
	commands["invoice"] = command{
		summary: "read distributors' transport invoices: inspect, pdf facsimile, journal entries",
		run:     runInvoice,
	}
}

func invoiceUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: dispatcher invoice <inspect|pdf|journal|costs> [flags] FILE...")
	fmt.Fprintln(w, "")
	fmt.Fprintln(w, "FILE is a FatturaPA invoice (.xml, or signed .xml.p7m in DER or base64)")
	fmt.Fprintln(w, "or a transport detail flow (electricity, or ARERA FlussoFattureTrasportoGas).")
	fmt.Fprintln(w, "")
	fmt.Fprintln(w, "  inspect   print the invoices, their totals and the anomalies found")
	fmt.Fprintln(w, "  pdf       write the Italian PDF facsimile of one transport invoice")
	fmt.Fprintln(w, "  journal   write the journal entries of the invoices as CSV or XLSX")
	fmt.Fprintln(w, "  costs     write the XLSX cost analysis per POD, month and component")
	fmt.Fprintln(w, "")
	fmt.Fprintln(w, "Run \"dispatcher invoice <subcommand> -h\" for its flags.")
}

func runInvoice(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		invoiceUsage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	switch args[0] {
	case "inspect":
		return runInvoiceInspect(args[1:], stdout, stderr)
	case "pdf":
		return runInvoicePDF(args[1:], stdout, stderr)
	case "journal":
		return runInvoiceJournal(args[1:], stdout, stderr)
	case "costs":
		return runInvoiceCosts(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "dispatcher invoice: unknown subcommand %q; run \"dispatcher invoice -h\"\n", args[0])
	return 2
}

// invoiceFlags parses the flags of a subcommand. When ok is false, the
// command ends with the returned exit code.
func invoiceFlags(fs *flag.FlagSet, args []string, minFiles int) (code int, ok bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, false
		}
		return 2, false
	}
	if fs.NArg() < minFiles {
		fmt.Fprintf(fs.Output(), "dispatcher invoice %s: no FILE given; run \"dispatcher invoice %s -h\"\n", fs.Name(), fs.Name())
		return 2, false
	}
	return 0, true
}

func loadInvoiceFile(path string, codes *edi.TransportCodes) (*edi.Document, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return edi.Load(path, f, edi.LoadOptions{Codes: codes})
}

func loadCodes(path string) (*edi.TransportCodes, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return edi.LoadTransportCodes(f)
}

func runInvoiceInspect(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	codesPath := fs.String("codes", "", "transport code table `file` (JSON) replacing the embedded one")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dispatcher invoice inspect [flags] FILE...")
		fmt.Fprintln(stderr, "")
		fmt.Fprintln(stderr, "Prints each invoice with its totals and points, then the anomalies.")
		fmt.Fprintln(stderr, "Exits with 1 when a file cannot be read or has a blocking anomaly.")
		fmt.Fprintln(stderr, "")
		fs.PrintDefaults()
	}
	if code, ok := invoiceFlags(fs, args, 1); !ok {
		return code
	}
	codes, err := loadCodes(*codesPath)
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher invoice inspect: %v\n", err)
		return 2
	}
	exit := 0
	for _, path := range fs.Args() {
		doc, err := loadInvoiceFile(path, codes)
		if err != nil {
			fmt.Fprintf(stderr, "dispatcher invoice inspect: %v\n", err)
			exit = 1
			continue
		}
		printDocument(stdout, doc)
		if blocking(doc.Anomalies) {
			exit = 1
		}
	}
	return exit
}

func blocking(list []edi.Anomaly) bool {
	for _, a := range list {
		if a.Blocking() {
			return true
		}
	}
	return false
}

func printDocument(w io.Writer, doc *edi.Document) {
	signed := ""
	if doc.Signed {
		signed = ", signed (signature not verified)"
	}
	if inv := doc.Invoice; inv != nil {
		fmt.Fprintf(w, "%s: FatturaPA %s%s, %d invoice(s)\n", doc.Name, inv.Version, signed, len(inv.Bodies))
		fmt.Fprintf(w, "  supplier %s (%s), customer %s (%s)\n", inv.Header.Supplier.Name(), inv.Header.Supplier.VATID(),
			inv.Header.Customer.Name(), inv.Header.Customer.VATID())
		for i := range inv.Bodies {
			b := &inv.Bodies[i]
			fmt.Fprintf(w, "  %s %s of %s: %s, taxable %s, VAT %s, total %s, %d line(s), %d attachment(s)\n",
				b.Document.Type, b.Document.Number, b.Document.Date, b.Kind(), b.TaxableTotal().StringFixed(2),
				b.TaxTotal().StringFixed(2), b.GrandTotal().StringFixed(2), len(b.Lines), len(b.Attachments))
			for _, d := range doc.Details[i] {
				printTransport(w, d, "    attached detail: ")
			}
		}
	} else {
		fmt.Fprintf(w, "%s: transport detail flow%s, %d invoice(s)\n", doc.Name, signed, len(doc.Transport))
		for _, t := range doc.Transport {
			printTransport(w, t, "  ")
		}
	}
	fmt.Fprintf(w, "  %d anomalies\n", len(doc.Anomalies))
	for _, a := range doc.Anomalies {
		fmt.Fprintf(w, "  %s\n", a.String())
	}
}

func printTransport(w io.Writer, t *edi.TransportInvoice, indent string) {
	fmt.Fprintf(w, "%s%s invoice %s of %s from %s: %s (%s), taxable %s, VAT %s, total %s, %d point(s)\n",
		indent, t.Commodity, t.Number, t.Date, t.Flow.SenderName, t.Type, t.TypeCode,
		t.Taxable.Value.StringFixed(2), t.VAT.Value.StringFixed(2), t.Total.Value.StringFixed(2), len(t.Points))
}

func runInvoicePDF(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("pdf", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "output `file`; \"-\" writes to standard output (required)")
	number := fs.String("number", "", "invoice `number` to print when the file holds several")
	point := fs.String("pod", "", "print only this POD or PDR `code`")
	codesPath := fs.String("codes", "", "transport code table `file` (JSON) replacing the embedded one")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dispatcher invoice pdf -o OUT [flags] FILE")
		fmt.Fprintln(stderr, "")
		fmt.Fprintln(stderr, "Writes the PDF facsimile (in Italian, not valid for tax purposes) of the")
		fmt.Fprintln(stderr, "transport detail in FILE, or of the detail attached to a FatturaPA invoice.")
		fmt.Fprintln(stderr, "")
		fs.PrintDefaults()
	}
	if code, ok := invoiceFlags(fs, args, 1); !ok {
		return code
	}
	if *out == "" || fs.NArg() != 1 {
		fmt.Fprintln(stderr, "dispatcher invoice pdf: give -o and exactly one FILE; run \"dispatcher invoice pdf -h\"")
		return 2
	}

	codes, err := loadCodes(*codesPath)
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher invoice pdf: %v\n", err)
		return 2
	}
	doc, err := loadInvoiceFile(fs.Arg(0), codes)
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher invoice pdf: %v\n", err)
		return 1
	}
	t, err := pickTransport(doc, *number)
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher invoice pdf: %s: %v\n", doc.Name, err)
		return 1
	}

	return writeOutput(*out, stdout, stderr, "pdf", func(w io.Writer) error {
		if *point != "" {
			return edi.WritePointFacsimile(w, t, *point, edi.FacsimileOptions{})
		}
		return edi.WriteFacsimile(w, t, edi.FacsimileOptions{})
	})
}

func pickTransport(doc *edi.Document, number string) (*edi.TransportInvoice, error) {
	all := doc.TransportInvoices()
	var numbers []string
	for _, t := range all {
		if t.Number == number {
			return t, nil
		}
		numbers = append(numbers, t.Number)
	}
	switch {
	case len(all) == 0:
		return nil, errors.New("no transport detail found: the facsimile needs the per-POD detail")
	case number != "":
		return nil, fmt.Errorf("invoice %q not found: the file contains %s", number, strings.Join(numbers, ", "))
	case len(all) > 1:
		return nil, fmt.Errorf("the file contains %d invoices (%s): choose one with -number", len(all), strings.Join(numbers, ", "))
	}
	return all[0], nil
}

// writeOutput writes to the named file, or to stdout for "-", and returns
// the exit code.
func writeOutput(path string, stdout, stderr io.Writer, sub string, write func(io.Writer) error) int {
	if path == "-" {
		if err := write(stdout); err != nil {
			fmt.Fprintf(stderr, "dispatcher invoice %s: %v\n", sub, err)
			return 1
		}
		return 0
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher invoice %s: %v\n", sub, err)
		return 1
	}
	if err := write(f); err != nil {
		f.Close()
		fmt.Fprintf(stderr, "dispatcher invoice %s: %s: %v\n", sub, path, err)
		return 1
	}
	if err := f.Close(); err != nil {
		fmt.Fprintf(stderr, "dispatcher invoice %s: %v\n", sub, err)
		return 1
	}
	return 0
}

func runInvoiceJournal(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("journal", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "csv", "output `format`: csv or xlsx")
	out := fs.String("o", "-", "output `file`; \"-\" writes to standard output")
	chartPath := fs.String("chart", "", "chart of accounts `file` (JSON) replacing the embedded example")
	codesPath := fs.String("codes", "", "transport code table `file` (JSON) replacing the embedded one")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dispatcher invoice journal [flags] FILE...")
		fmt.Fprintln(stderr, "")
		fmt.Fprintln(stderr, "Writes one balanced journal entry per invoice: costs per component group,")
		fmt.Fprintln(stderr, "input VAT per rate and the supplier payable. CSV uses ';' and decimal commas.")
		fmt.Fprintln(stderr, "")
		fs.PrintDefaults()
	}
	if code, ok := invoiceFlags(fs, args, 1); !ok {
		return code
	}
	if *format != "csv" && *format != "xlsx" {
		fmt.Fprintf(stderr, "dispatcher invoice journal: invalid -format %q: want csv or xlsx\n", *format)
		return 2
	}

	opts, err := journalOptions(*chartPath, *codesPath)
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher invoice journal: %v\n", err)
		return 2
	}

	var entries []edi.JournalEntry
	exit := 0
	for _, path := range fs.Args() {
		doc, err := loadInvoiceFile(path, opts.Codes)
		if err != nil {
			fmt.Fprintf(stderr, "dispatcher invoice journal: %v\n", err)
			exit = 1
			continue
		}
		entries = append(entries, doc.Journal(opts)...)
	}

	code := writeOutput(*out, stdout, stderr, "journal", func(w io.Writer) error {
		if *format == "xlsx" {
			return edi.WriteJournalXLSX(w, entries)
		}
		return edi.WriteJournalCSV(w, entries)
	})
	return max(code, exit)
}

func journalOptions(chartPath, codesPath string) (edi.JournalOptions, error) {
	var opts edi.JournalOptions
	codes, err := loadCodes(codesPath)
	if err != nil {
		return opts, err
	}
	opts.Codes = codes
	if chartPath != "" {
		f, err := os.Open(chartPath)
		if err != nil {
			return opts, err
		}
		defer f.Close()
		if opts.Chart, err = edi.LoadChart(f); err != nil {
			return opts, err
		}
	}
	return opts, nil
}

func runInvoiceCosts(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("costs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "output XLSX `file`; \"-\" writes to standard output (required)")
	billedPath := fs.String("billed", "", "CSV `file` of amounts billed to customers: POD;yyyy-MM;amount")
	codesPath := fs.String("codes", "", "transport code table `file` (JSON) replacing the embedded one")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dispatcher invoice costs -o OUT.xlsx [flags] FILE...")
		fmt.Fprintln(stderr, "")
		fmt.Fprintln(stderr, "Sums the transport charges of the invoices per POD, month and component,")
		fmt.Fprintln(stderr, "with unit costs, the previous month and the margin on the billed amounts.")
		fmt.Fprintln(stderr, "")
		fs.PrintDefaults()
	}
	if code, ok := invoiceFlags(fs, args, 1); !ok {
		return code
	}
	if *out == "" {
		fmt.Fprintln(stderr, "dispatcher invoice costs: no -o given; run \"dispatcher invoice costs -h\"")
		return 2
	}

	opts := edi.CostOptions{}
	var err error
	if opts.Codes, err = loadCodes(*codesPath); err != nil {
		fmt.Fprintf(stderr, "dispatcher invoice costs: %v\n", err)
		return 2
	}
	if *billedPath != "" {
		if opts.Billed, err = readBilled(*billedPath); err != nil {
			fmt.Fprintf(stderr, "dispatcher invoice costs: %s: %v\n", *billedPath, err)
			return 1
		}
	}

	analyzer := edi.NewCostAnalyzer(opts)
	exit := 0
	for _, path := range fs.Args() {
		doc, err := loadInvoiceFile(path, opts.Codes)
		if err != nil {
			fmt.Fprintf(stderr, "dispatcher invoice costs: %v\n", err)
			exit = 1
			continue
		}
		for _, t := range doc.TransportInvoices() {
			analyzer.Add(t)
		}
	}
	code := writeOutput(*out, stdout, stderr, "costs", func(w io.Writer) error {
		return edi.WriteCostReportXLSX(w, analyzer.Result())
	})
	return max(code, exit)
}

func readBilled(path string) (map[edi.PointMonth]decimal.Decimal, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return edi.ReadBilledCSV(f)
}
