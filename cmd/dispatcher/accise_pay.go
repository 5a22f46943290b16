package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/bludispatcher/dispatcher/accise"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

func init() {
	acciseSubcommands["ledger"] = runAcciseLedger
	acciseSubcommands["pay"] = runAccisePay
	acciseSubcommands["credits"] = runAcciseCredits
}

// acciseLedgerInput holds the flags that build a ledger: movement CSV
// files as arguments, and optionally billing lines whose monthly tax
// becomes amounts due (tax years from 2026).
type acciseLedgerInput struct {
	lines   *string
	company *string
}

func newAcciseLedgerInput(fs *flag.FlagSet) *acciseLedgerInput {
	return &acciseLedgerInput{
		lines:   fs.String("lines", "", "billing lines CSV (dispatcher profile) whose monthly tax from 2026 is added as amounts due"),
		company: fs.String("company", "", "excise code of the company the -lines belong to"),
	}
}

// read builds the ledger; bad movement rows are printed on stderr and
// counted.
func (in *acciseLedgerInput) read(files []string, stderr io.Writer) (*accise.Ledger, int, error) {
	var l accise.Ledger
	bad := 0
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return nil, bad, err
		}
		ms, errs, err := accise.ReadMovements(f)
		f.Close()
		if err != nil {
			return nil, bad, fmt.Errorf("%s: %w", name, err)
		}
		for _, e := range errs {
			fmt.Fprintf(stderr, "%s: %v\n", name, e)
		}
		bad += len(errs)
		if err := l.Add(ms...); err != nil {
			return nil, bad, fmt.Errorf("%s: %w", name, err)
		}
	}
	if *in.lines == "" {
		return &l, bad, nil
	}
	if *in.company == "" {
		return nil, bad, fmt.Errorf("-lines needs -company, the excise code of the company")
	}
	dues, err := acciseMonthlyDues(*in.lines, *in.company, stderr)
	if err != nil {
		return nil, bad, err
	}
	return &l, bad, l.Add(dues...)
}

func acciseMonthlyDues(name, company string, stderr io.Writer) ([]accise.Movement, error) {
	fs := flag.NewFlagSet("lines", flag.ContinueOnError)
	in := newAcciseInput(fs)
	lines, found, err := in.read([]string{name}, stderr)
	if err != nil {
		return nil, err
	}
	accisePrintAnomalies(stderr, found)
	c, found := accise.Compute(lines, accise.ComputeOptions{})
	accisePrintAnomalies(stderr, found)
	taxes, err := accise.MonthlyTaxes(c, company, accise.DefaultTerritory())
	if err != nil {
		return nil, err
	}
	return accise.MonthlyPayments(taxes, accise.ScheduleOptions{})
}

// acciseDateFlag is a date flag in yyyy-mm-dd or dd/mm/yyyy; empty is the
// zero date.
type acciseDateFlag struct{ civil.Date }

func (d *acciseDateFlag) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Date.String()
}

func (d *acciseDateFlag) Set(s string) error {
	var err error
	if len(s) == 10 && s[2] == '/' {
		d.Date, err = civil.ParseDate(s)
	} else {
		d.Date, err = civil.ParseISODate(s)
	}
	return err
}

func runAcciseLedger(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("accise ledger", flag.ContinueOnError)
	in := newAcciseLedgerInput(fs)
	var on acciseDateFlag
	fs.Var(&on, "on", "balance day, yyyy-mm-dd (default: every movement)")
	out := fs.String("o", "", "write the movements, with the offsets of the credits, as CSV to this file (- for standard output)")
	if !parseAcciseFlags(fs, args, stderr, "usage: dispatcher accise ledger [flags] MOVEMENTS.csv...\n"+
		"Prints the balance of each account after offsetting credits against later debts of the same tax and area.") {
		return 2
	}
	l, bad, err := in.read(fs.Args(), stderr)
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher accise ledger: %v\n", err)
		return 1
	}

	full := accise.WithOffsets(l)
	fmt.Fprintln(stdout, "account;due;paid;credit;credit_used;outstanding;available_credit;awaiting_refund")
	for _, a := range full.Accounts() {
		b := full.Balance(a, on.Date)
		fmt.Fprintf(stdout, "%s;%s;%s;%s;%s;%s;%s;%s\n", a, b.Due.StringFixed(2), b.Paid.StringFixed(2), b.Credit.StringFixed(2),
			b.CreditUsed.StringFixed(2), b.Outstanding().StringFixed(2), b.AvailableCredit().StringFixed(2), b.AwaitingRefund().StringFixed(2))
	}
	for _, o := range accise.Compensate(l) {
		fmt.Fprintf(stderr, "%s: %s\n", o.Account, o.Explanation)
	}

	if *out != "" {
		err := acciseWithOutput(*out, stdout, func(w io.Writer) error {
			mw := accise.NewMovementWriter(w)
			for _, m := range full.Movements() {
				if err := mw.Write(m); err != nil {
					return err
				}
			}
			return mw.Flush()
		})
		if err != nil {
			fmt.Fprintf(stderr, "dispatcher accise ledger: %v\n", err)
			return 1
		}
	}
	if bad > 0 {
		return 1
	}
	return 0
}

func runAccisePay(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("accise pay", flag.ContinueOnError)
	in := newAcciseLedgerInput(fs)
	var from, to acciseDateFlag
	fs.Var(&from, "from", "first due date to pay, yyyy-mm-dd (default: no bound)")
	fs.Var(&to, "to", "last due date to pay, yyyy-mm-dd (default: no bound)")
	config := fs.String("config", "", "JSON transfer configuration (debtor, regions' IBANs, excise codes); needed for ARISGAN and IRS")
	payerCF := fs.String("payer-cf", "", "codice fiscale of the payer printed on the F24 forms")
	payerName := fs.String("payer-name", "", "company name printed on the F24 forms")
	outDir := fs.String("out", ".", "folder to write the F24 PDF and the bank transfer XML files into")
	if !parseAcciseFlags(fs, args, stderr, "usage: dispatcher accise pay [flags] MOVEMENTS.csv...\n"+
		"Writes the F24 Accise forms (PDF) of the excise taxes and the CBI and pain.001 transfers of ARISGAN and IRS\n"+
		"due in the period, after deducting the credits, and prints the path of each file.") {
		return 2
	}
	l, bad, err := in.read(fs.Args(), stderr)
	if err == nil {
		err = acciseWritePayments(l, from.Date, to.Date, *config, accise.F24Payer{FiscalCode: *payerCF, Name: *payerName}, *outDir, stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher accise pay: %v\n", err)
		return 1
	}
	if bad > 0 {
		return 1
	}
	return 0
}

func acciseWritePayments(l *accise.Ledger, from, to civil.Date, config string, payer accise.F24Payer, dir string, stdout io.Writer) error {
	payments := accise.Plan(l, from, to)
	forms, err := accise.F24Forms(payments, accise.F24Options{Payer: payer})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if len(forms) > 0 {
		path := filepath.Join(dir, "F24_accise.pdf")
		if err := acciseWithOutput(path, nil, func(w io.Writer) error { return accise.F24PDF{}.WriteF24(w, forms) }); err != nil {
			return err
		}
		fmt.Fprintln(stdout, path)
	}
	return acciseWriteTransfers(payments, config, dir, stdout)
}

// acciseWriteTransfers writes the CBI and pain.001 files of the ARISGAN
// and IRS payments, one of each per execution date.
func acciseWriteTransfers(payments []accise.Payment, config, dir string, stdout io.Writer) error {
	var regional []accise.Payment
	for _, p := range payments {
		if p.Account.Tax.Regional() && p.ToPay.IsPositive() {
			regional = append(regional, p)
		}
	}
	if len(regional) == 0 {
		return nil
	}

	if config == "" {
		return fmt.Errorf("%d ARISGAN or IRS payments are due: give -config with the regions' accounts", len(regional))
	}
	f, err := os.Open(config)
	if err != nil {
		return err
	}
	cfg, err := accise.LoadTransferConfig(f)
	f.Close()
	if err != nil {
		return err
	}
	transfers, err := accise.Transfers(regional, cfg, accise.DefaultTerritory())
	if err != nil {
		return err
	}

	for _, m := range accise.BankMessages("ACCISE", time.Now().UTC().Truncate(time.Second), cfg.Debtor, transfers) {
		for _, w := range []struct {
			prefix string
			write  func(io.Writer, accise.BankMessage) error
		}{{"CBI_", accise.WriteCBI}, {"pain001_", accise.WritePain001}} {
			path := filepath.Join(dir, w.prefix+m.ID+".xml")
			if err := acciseWithOutput(path, nil, func(out io.Writer) error { return w.write(out, m) }); err != nil {
				return err
			}
			fmt.Fprintln(stdout, path)
		}
	}
	return nil
}

func runAcciseCredits(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("accise credits", flag.ContinueOnError)
	in := newAcciseLedgerInput(fs)
	var from, to, last, on acciseDateFlag
	fs.Var(&from, "from", "first day of the report, yyyy-mm-dd (required)")
	fs.Var(&to, "to", "last day of the report, yyyy-mm-dd (required)")
	fs.Var(&last, "last-declaration", "filing day of the last annual declaration, from which the two-year refund deadline runs")
	fs.Var(&on, "on", "day of the refund deadline check (default: -to)")
	advance := fs.Int("advance", 90, "days before the refund deadline that a warning starts")
	out := fs.String("o", "credits.xlsx", "output workbook")
	if !parseAcciseFlags(fs, args, stderr, "usage: dispatcher accise credits [flags] MOVEMENTS.csv...\n"+
		"Writes the credit and payment workbook (residual credits, payments, refund deadlines) and prints the deadline warnings.") {
		return 2
	}
	if from.IsZero() || to.IsZero() {
		fmt.Fprintln(stderr, "dispatcher accise credits: -from and -to are required")
		return 2
	}
	l, bad, err := in.read(fs.Args(), stderr)
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher accise credits: %v\n", err)
		return 1
	}

	if on.IsZero() {
		on = to
	}
	opts := accise.DeadlineOptions{LastDeclaration: last.Date, Advance: *advance}
	report := accise.CreditReport{From: from.Date, To: to.Date,
		Credits:  accise.ResidualCredits(l, from.Date, to.Date, opts),
		Payments: accise.MonthlyPaymentReport(l, from.Date, to.Date, nil),
		Warnings: accise.RefundWarnings(l, nil, on.Date, opts),
	}
	if err := acciseWithOutput(*out, stdout, func(w io.Writer) error { return accise.WriteCreditReport(w, report) }); err != nil {
		fmt.Fprintf(stderr, "dispatcher accise credits: %v\n", err)
		return 1
	}
	accisePrintAnomalies(stderr, report.Warnings)
	if bad > 0 || report.Warnings.HasBlocking() {
		return 1
	}
	return 0
}
