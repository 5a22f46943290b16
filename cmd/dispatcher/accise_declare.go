package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/accise"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
)

// acciseDeclarant holds the flags of the frontispiece and the declaration.
type acciseDeclarant struct {
	company     *string
	activity    *string
	subject     *string
	seat        *string
	instalments map[string]decimal.Decimal
	// monthly are the monthly payments of -monthly, by SummaryKey and month.
	monthly          map[string]map[int]decimal.Decimal
	monthlyFromLines *bool
	// force is the -force flag of accise declare: -monthly-from-lines then
	// leaves out lines from unknown provinces instead of failing.
	force bool
}

func newAcciseDeclarant(fs *flag.FlagSet) *acciseDeclarant {
	d := &acciseDeclarant{
		company:     fs.String("company", "", "codice ditta of the seller (required)"),
		activity:    fs.String("activity", "01", "activity code (CodAtt)"),
		subject:     fs.String("subject", "A", "subject type (TipoSogg)"),
		seat:        fs.String("seat", "", "province of the legal seat, such as TO (required)"),
		instalments: map[string]decimal.Decimal{},
		monthly:     map[string]map[int]decimal.Decimal{},
		monthlyFromLines: fs.Bool("monthly-from-lines", false,
			"half-year only: take the monthly payments due from the tax on each month's quantities in the input files. A correction with data_documento counts in the month it was issued"),
	}
	fs.Func("instalments", "instalments due in the period as AREA/CHAPTER=EURO, such as IT/1411=120000.00 or TO/ARISGAN=500; repeatable", d.addInstalments)
	fs.Func("monthly", "half-year only: monthly payment due as AREA/CHAPTER/MONTH=EURO, such as IT/1421/3=2500.00, where AREA is the ambito (IT, AO, BZ, CA, PA, TN or TS) for excise and the province for ARISGAN and IRS; repeatable", d.addMonthly)
	return d
}

// addMonthly parses one -monthly value.
func (d *acciseDeclarant) addMonthly(v string) error {
	key, amount, ok := strings.Cut(v, "=")
	parts := strings.Split(key, "/")
	if !ok || len(parts) != 3 || parts[0] == "" || parts[1] == "" {
		return fmt.Errorf("invalid value %q: want AREA/CHAPTER/MONTH=EURO, such as IT/1421/3=2500.00", v)
	}
	month, err := strconv.Atoi(parts[2])
	if err != nil || month < 1 || month > 12 {
		return fmt.Errorf("invalid month %q: want 1 to 12", parts[2])
	}
	euro, err := accise.ParseAmount(amount)
	if err != nil {
		return err
	}
	k := accise.SummaryKey(parts[0], parts[1])
	if _, dup := d.monthly[k][month]; dup {
		return fmt.Errorf("duplicate value for %s month %d: give each month once", k, month)
	}
	if d.monthly[k] == nil {
		d.monthly[k] = map[int]decimal.Decimal{}
	}
	d.monthly[k][month] = euro
	return nil
}

// monthlyDue returns the monthly payments of the options: those of
// -monthly, or with -monthly-from-lines the tax on each month's quantities
// of the computed lines. It returns nil when neither flag is set. With
// -force, a line from an unknown province is left out of the payments with
// a warning in the returned list, as the declarations leave it out.
func (d *acciseDeclarant) monthlyDue(c *accise.Computation, opts accise.DeclareOptions) (map[string]map[int]decimal.Decimal, anomaly.List, error) {
	if !*d.monthlyFromLines {
		if len(d.monthly) == 0 {
			return nil, nil, nil
		}
		return d.monthly, nil, nil
	}
	if len(d.monthly) > 0 {
		return nil, nil, errors.New("-monthly-from-lines: cannot be combined with -monthly; use one of them")
	}
	var taxes []accise.MonthlyTax
	var skipped anomaly.List
	var err error
	if d.force {
		taxes, skipped, err = accise.MonthlyTaxesKnown(c, opts.Declarant.CompanyCode, accise.DefaultTerritory())
	} else {
		taxes, err = accise.MonthlyTaxes(c, opts.Declarant.CompanyCode, accise.DefaultTerritory())
	}
	if err != nil {
		return nil, nil, fmt.Errorf("-monthly-from-lines: %w; correct the province, or add -force to leave such lines out", err)
	}
	return accise.MonthlyDueOf(taxes, opts.Year, opts.Half), skipped, nil
}

// addInstalments parses one -instalments value.
func (d *acciseDeclarant) addInstalments(v string) error {
	key, amount, ok := strings.Cut(v, "=")
	area, chapter, okKey := strings.Cut(key, "/")
	if !ok || !okKey || area == "" || chapter == "" {
		return fmt.Errorf("invalid value %q: want AREA/CHAPTER=EURO, such as IT/1411=120000.00", v)
	}
	euro, err := accise.ParseAmount(amount)
	if err != nil {
		return err
	}
	k := accise.SummaryKey(area, chapter)
	if _, dup := d.instalments[k]; dup {
		return fmt.Errorf("duplicate value for %s: give each area and chapter once", k)
	}
	d.instalments[k] = euro
	return nil
}

func (d *acciseDeclarant) options(y *acciseYear) (accise.DeclareOptions, error) {
	if *d.company == "" {
		return accise.DeclareOptions{}, fmt.Errorf("-company: missing codice ditta")
	}
	if _, ok := accise.DefaultTerritory().Province(*d.seat); !ok {
		return accise.DeclareOptions{}, fmt.Errorf("-seat: unknown or missing province %q", *d.seat)
	}
	return accise.DeclareOptions{
		Declarant:      accise.Declarant{CompanyCode: *d.company, SubjectType: *d.subject, ActivityCode: *d.activity},
		Year:           *y.year,
		Half:           *y.half,
		SeatProvince:   *d.seat,
		InstalmentsDue: d.instalments,
	}, nil
}

// acciseBuild is the computation, the anomalies and the declarations built
// from the input files.
type acciseBuild struct {
	computation *accise.Computation
	anomalies   anomaly.List
	electricity []*accise.ElectricityDeclaration
	gas         []*accise.GasDeclaration
	options     accise.DeclareOptions
}

// buildAccise reads the input files, computes and checks the lines and builds
// the declarations of the period.
func buildAccise(in *acciseInput, y *acciseYear, d *acciseDeclarant, files []string, stderr io.Writer) (*acciseBuild, error) {
	if err := y.check(); err != nil {
		return nil, err
	}
	opts, err := d.options(y)
	if err != nil {
		return nil, err
	}
	lines, found, err := in.read(files, stderr)
	if err != nil {
		return nil, err
	}
	checkOpts, err := y.checkOptions()
	if err != nil {
		return nil, err
	}
	c, computeFound := accise.Compute(lines, accise.ComputeOptions{})
	found = append(append(found, computeFound...), accise.Check(c, checkOpts)...)
	var skipped anomaly.List
	if opts.MonthlyDue, skipped, err = d.monthlyDue(c, opts); err != nil {
		return nil, err
	}
	found = append(found, skipped...)
	b := &acciseBuild{computation: c, anomalies: found, options: opts}
	if b.electricity, err = accise.BuildElectricity(c, opts); err != nil {
		return nil, err
	}
	if b.gas, err = accise.BuildGas(c, opts); err != nil {
		return nil, err
	}
	return b, nil
}

func runAcciseDeclare(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("accise declare", flag.ContinueOnError)
	in := newAcciseInput(fs)
	year := newAcciseYear(fs)
	decl := newAcciseDeclarant(fs)
	outDir := fs.String("out", ".", "folder to write the declaration files into")
	dic := fs.Bool("dic", false, "also write the legacy .dic file of each declaration")
	gasMarker := fs.String("gas-marker", "", "six-character file marker of gas .dic files, which no public source gives")
	force := fs.Bool("force", false, "write the declarations even when blocking anomalies are found")
	if !parseAcciseFlags(fs, args, stderr, "usage: dispatcher accise declare -year YYYY -company CODE -seat PROV [flags] FILE...\nWrites one XML declaration per commodity and ambito and prints the path of each file.") {
		return 2
	}
	decl.force = *force
	b, err := buildAccise(in, year, decl, fs.Args(), stderr)
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher accise declare: %v\n", err)
		return 1
	}

	accisePrintAnomalies(stderr, b.anomalies)
	if b.anomalies.HasBlocking() && !*force {
		fmt.Fprintln(stderr, "dispatcher accise declare: blocking anomalies found; correct the lines or use -force")
		return 1
	}

	paths, err := writeAcciseFiles(b, *outDir, *dic, *gasMarker)
	for _, p := range paths {
		fmt.Fprintln(stdout, p)
	}
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher accise declare: %v\n", err)
		return 1
	}
	return 0
}

func acciseFileName(b *acciseBuild, kind, area, ext string) string {
	period := fmt.Sprint(b.options.Year)
	if b.options.Half != 0 {
		period = fmt.Sprintf("%dH%d", b.options.Year, b.options.Half)
	}
	return fmt.Sprintf("%s_%s_%s_%s.%s", kind, b.options.Declarant.CompanyCode, period, area, ext)
}

// writeAcciseFiles renders every declaration file in memory first and writes
// them only when all rendered, so a .dic record that cannot be written
// leaves no partial set of files behind.
func writeAcciseFiles(b *acciseBuild, dir string, dic bool, gasMarker string) ([]string, error) {
	if dic && b.options.Half == 0 && len(b.gas) > 0 && gasMarker == "" {
		return nil, errors.New("-gas-marker: missing; the .dic files of gas declarations need the six-character file marker, which no public source gives")
	}
	type rendered struct {
		name string
		data []byte
	}
	var files []rendered
	render := func(name string, fn func(io.Writer) error) error {
		var buf bytes.Buffer
		if err := fn(&buf); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		files = append(files, rendered{name, buf.Bytes()})
		return nil
	}
	for _, d := range b.electricity {
		area := b.options.ElectricityFileArea(d)
		if err := render(acciseFileName(b, "EE", area, "xml"), func(w io.Writer) error { return accise.WriteXML(w, d) }); err != nil {
			return nil, err
		}
		if dic && b.options.Half == 0 {
			if err := render(acciseFileName(b, "EE", area, "dic"), func(w io.Writer) error {
				return acciseWriteDic(w, accise.ElectricityDicRecords(d), gasMarker)
			}); err != nil {
				return nil, err
			}
		}
	}
	for _, d := range b.gas {
		area := b.options.GasFileArea(d)
		if err := render(acciseFileName(b, "GN", area, "xml"), func(w io.Writer) error { return accise.WriteXML(w, d) }); err != nil {
			return nil, err
		}
		if dic && b.options.Half == 0 {
			if err := render(acciseFileName(b, "GN", area, "dic"), func(w io.Writer) error {
				return acciseWriteDic(w, accise.GasDicRecords(d), gasMarker)
			}); err != nil {
				return nil, err
			}
		}
	}

	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var paths []string
	for _, f := range files {
		p := filepath.Join(dir, f.name)
		if err := os.WriteFile(p, f.data, 0o644); err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

func acciseWriteDic(w io.Writer, records []accise.DicRecord, gasMarker string) error {
	dw := accise.NewDicWriter(w, nil)
	if gasMarker != "" {
		dw.SetMarker(accise.Gas, gasMarker)
	}
	for _, r := range records {
		if err := dw.Write(r); err != nil {
			return err
		}
	}
	return dw.Flush()
}

func runAcciseReport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("accise report", flag.ContinueOnError)
	in := newAcciseInput(fs)
	year := newAcciseYear(fs)
	decl := newAcciseDeclarant(fs)
	out := fs.String("o", "accise-report.xlsx", "output workbook")
	if !parseAcciseFlags(fs, args, stderr, "usage: dispatcher accise report -year YYYY -company CODE -seat PROV [-o FILE] FILE...\nWrites the control report workbook and prints its path.") {
		return 2
	}
	b, err := buildAccise(in, year, decl, fs.Args(), stderr)
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher accise report: %v\n", err)
		return 1
	}
	err = acciseWithOutput(*out, stdout, func(w io.Writer) error {
		return accise.WriteReport(w, accise.ReportInput{
			Computation: b.computation, Electricity: b.electricity, Gas: b.gas, Anomalies: b.anomalies, Options: b.options,
		})
	})
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher accise report: %v\n", err)
		return 1
	}
	if *out != "-" {
		fmt.Fprintln(stdout, *out)
	}
	return 0
}
