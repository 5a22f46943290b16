package accise

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/internal/itnum"
)

// ErrInvalidRow is the sentinel of every RowError.
var ErrInvalidRow = errors.New("invalid billing line")

// ErrMissingColumn is returned when the header lacks a required column.
var ErrMissingColumn = errors.New("missing required column")

// RowError is an import row that could not be read, with its position.
type RowError struct {
	// File names the source file.
	File string
	// Row is the 1-based row of the file, the header being row 1.
	Row int
	// Field is the offending column, empty for a malformed CSV row.
	Field Field
	// Column is the header of the offending column as written in the file.
	Column string
	// Value is the offending cell.
	Value string
	// Err is the cause.
	Err error
}

// Error formats the position, the field and the cause.
func (e *RowError) Error() string {
	return fmt.Sprintf("%s:%d: %s %q: %v", e.File, e.Row, e.Field, e.Value, e.Err)
}

// Unwrap returns ErrInvalidRow, so callers can match every row error.
func (e *RowError) Unwrap() error { return ErrInvalidRow }

// Cause returns the underlying parse error.
func (e *RowError) Cause() error { return e.Err }

// Anomaly converts the error into a blocking record-level anomaly with code
// IMP01, for the import report. Its Field is the column header of the file,
// or the import field when the header is not known.
func (e *RowError) Anomaly(key string) Anomaly {
	field := e.Column
	if field == "" {
		field = string(e.Field)
	}
	return Anomaly{
		Code: CodeUnreadableRow, Rule: "import", Severity: Blocking, File: e.File, Line: e.Row, Key: key,
		Field: field, Value: e.Value,
		Message: fmt.Sprintf("the row was not imported: %v; correct the cell and import the file again", e.Err),
	}
}

// rowParser turns the cells of one row into a Line.
type rowParser struct {
	file   string
	header []string
	// idx lists the columns of each field, leftmost first.
	idx    map[Field][]int
	values ValueMaps
	// decimalComma is Profile.DecimalComma.
	decimalComma bool
	// commodity is used when the file has no commodity column and the row
	// gives no hint.
	commodity Commodity
	// spreadsheet marks raw workbook cells, whose numbers have a decimal
	// point and whose dates are serial numbers.
	spreadsheet bool
}

func newRowParser(file string, p Profile, values ValueMaps, header []string, commodity Commodity) (*rowParser, error) {
	idx := p.columnIndex(header)
	var missing []string
	for _, f := range []Field{FieldSupply, FieldUse, FieldProvince, FieldQuantity} {
		if _, ok := idx[f]; !ok {
			missing = append(missing, string(f))
		}
	}
	_, hasFrom := idx[FieldFrom]
	_, hasPeriod := idx[FieldPeriod]
	if !hasFrom && !hasPeriod {
		missing = append(missing, "from or period")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s: %w %s for profile %q; rename the header or choose another profile",
			file, ErrMissingColumn, strings.Join(missing, ", "), p.Name)
	}
	return &rowParser{file: file, header: append([]string(nil), header...), idx: idx, values: values, decimalComma: p.DecimalComma, commodity: commodity}, nil
}

// cell returns the first non-empty cell of field f's columns.
func (rp *rowParser) cell(cells []string, f Field) string {
	for _, i := range rp.idx[f] {
		if i < len(cells) {
			if v := strings.TrimSpace(cells[i]); v != "" {
				return v
			}
		}
	}
	return ""
}

// maxCellBytes is the longest cell of a read field. No billing field comes
// near it, so a longer cell is a wrong column or a broken export, and its
// value is cut in the anomaly.
const maxCellBytes = 1000

// checkCellSizes rejects a row with a read cell longer than maxCellBytes.
func (rp *rowParser) checkCellSizes(row int, cells []string) error {
	for _, f := range slices.Sorted(maps.Keys(rp.idx)) {
		for _, i := range rp.idx[f] {
			if i < len(cells) && len(cells[i]) > maxCellBytes {
				err := fmt.Errorf("cell of %d bytes is longer than the maximum of %d; check the column and the separators", len(cells[i]), maxCellBytes)
				return rp.fail(row, f, cutValue(cells[i]), err)
			}
		}
	}
	return nil
}

// cutValue returns the first 200 bytes of a long cell, cut at a rune
// boundary and followed by an ellipsis.
func cutValue(v string) string {
	const keep = 200
	if len(v) <= keep {
		return v
	}
	end := keep
	for end > 0 && !utf8.RuneStart(v[end]) {
		end--
	}
	return v[:end] + "…"
}

// checkRepeatedColumns rejects a row whose columns of one field contain
// different values, because no rule picks the one to trust.
func (rp *rowParser) checkRepeatedColumns(row int, cells []string) error {
	for _, f := range slices.Sorted(maps.Keys(rp.idx)) {
		columns := rp.idx[f]
		first := -1
		for _, i := range columns {
			if i >= len(cells) || strings.TrimSpace(cells[i]) == "" {
				continue
			}
			if first < 0 {
				first = i
				continue
			}
			a, b := strings.TrimSpace(cells[first]), strings.TrimSpace(cells[i])
			if a != b {
				err := fmt.Errorf("columns %q and %q disagree; keep one of them", strings.TrimSpace(rp.header[first]), strings.TrimSpace(rp.header[i]))
				return &RowError{File: rp.file, Row: row, Field: f, Column: strings.TrimSpace(rp.header[first]), Value: a + " | " + b, Err: err}
			}
		}
	}
	return nil
}

func (rp *rowParser) fail(row int, f Field, v string, err error) error {
	column := ""
	if columns := rp.idx[f]; len(columns) > 0 {
		column = strings.TrimSpace(rp.header[columns[0]])
	}
	return &RowError{File: rp.file, Row: row, Field: f, Column: column, Value: v, Err: err}
}

// parse reads one row. It returns the line read so far with the error, so a
// caller can still name the supply in the anomaly.
func (rp *rowParser) parse(row int, cells []string) (Line, error) {
	l := Line{File: rp.file, Row: row}
	l.Company = rp.cell(cells, FieldCompany)
	l.Supply = strings.ToUpper(rp.cell(cells, FieldSupply))
	l.Customer = rp.cell(cells, FieldCustomer)
	l.Province = strings.ToUpper(rp.cell(cells, FieldProvince))
	l.Municipality = strings.ToUpper(rp.cell(cells, FieldMunicipality))
	l.ClimateZone = strings.ToUpper(rp.cell(cells, FieldClimateZone))
	l.Document = rp.cell(cells, FieldDocument)
	l.Distributor = rp.cell(cells, FieldDistributor)
	if l.Supply == "" {
		return l, rp.fail(row, FieldSupply, "", errors.New("empty POD/PDR"))
	}
	if err := rp.checkCellSizes(row, cells); err != nil {
		return l, err
	}
	if err := rp.checkRepeatedColumns(row, cells); err != nil {
		return l, err
	}
	steps := []func() error{
		func() error { return rp.parseCommodityAndUse(&l, cells) },
		func() error { return rp.parseFlags(&l, cells) },
		func() error { return rp.parsePeriod(&l, cells) },
		func() error { return rp.parseAmounts(&l, cells) },
		func() error { return rp.parseKind(&l, cells) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return l, err
		}
	}
	return l, nil
}

func (rp *rowParser) parseCommodityAndUse(l *Line, cells []string) error {
	if v := rp.cell(cells, FieldCommodity); v != "" {
		switch rp.values.Commodity[strings.ToLower(v)] {
		case "electricity":
			l.Commodity = Electricity
		case "gas":
			l.Commodity = Gas
		default:
			return rp.fail(l.Row, FieldCommodity, v, errors.New("unknown commodity; want EE or GN"))
		}
	}

	v := rp.cell(cells, FieldUse)
	key := strings.ToLower(v)
	if l.Commodity == 0 {
		l.Commodity = commodityOfSupply(l.Supply)
	}
	if l.Commodity == 0 {
		l.Commodity = rp.commodity
	}
	use, ok := rp.values.UseByCommodity[l.Commodity.String()][key]
	if !ok {
		use, ok = rp.values.Use[key]
	}
	if !ok || v == "" {
		return rp.fail(l.Row, FieldUse, v, errors.New("unknown use category"))
	}
	l.Use = Use(use)

	if l.Commodity == 0 {
		l.Commodity = commodityOfUse(l.Use)
	}
	if l.Commodity == 0 {
		return rp.fail(l.Row, FieldCommodity, "", errors.New("commodity not given and not implied by the supply code or use; add a commodity column"))
	}
	return nil
}

// commodityOfSupply recognises a POD ("IT" + 3-digit distributor + "E" +
// 8 or 9 characters) or a PDR (14 digits).
func commodityOfSupply(s string) Commodity {
	if len(s) >= 14 && len(s) <= 15 && strings.HasPrefix(s, "IT") && s[5] == 'E' {
		return Electricity
	}
	if len(s) == 14 && strings.Trim(s, "0123456789") == "" {
		return Gas
	}
	return 0
}

func commodityOfUse(u Use) Commodity {
	switch u {
	case UseDwelling, UseNonDwelling, UseExcluded:
		return Electricity
	case UseCivil, UseIndustrial, UseVehicle:
		return Gas
	}
	return 0
}

func (rp *rowParser) parseBool(row int, f Field, v string) (bool, error) {
	switch rp.values.Bool[strings.ToLower(v)] {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, rp.fail(row, f, v, errors.New("invalid flag; want S or N"))
}

func (rp *rowParser) parseFlags(l *Line, cells []string) error {
	if v := rp.cell(cells, FieldResident); v != "" {
		b, err := rp.parseBool(l.Row, FieldResident, v)
		if err != nil {
			return err
		}
		l.Resident = &b
	}
	if v := rp.cell(cells, FieldExCasmez); v != "" {
		b, err := rp.parseBool(l.Row, FieldExCasmez, v)
		if err != nil {
			return err
		}
		l.ExCasmez = b
	}
	if v := rp.cell(cells, FieldPowerKW); v != "" {
		d, err := rp.number(v)
		if err != nil {
			return rp.fail(l.Row, FieldPowerKW, v, err)
		}
		l.PowerKW = &d
	}
	return nil
}

func (rp *rowParser) parsePeriod(l *Line, cells []string) error {
	if v := rp.cell(cells, FieldPeriod); v != "" {
		m, err := parseMonth(v)
		if d, ok := rp.serialDate(v); ok && err != nil {
			m, err = d.MonthOf(), nil
		}
		if err != nil {
			return rp.fail(l.Row, FieldPeriod, v, err)
		}
		l.From, l.To = m.First(), m.Last()
	}
	for _, f := range []Field{FieldFrom, FieldTo} {
		v := rp.cell(cells, f)
		if v == "" {
			continue
		}
		d, err := rp.day(v)
		if err != nil {
			return rp.fail(l.Row, f, v, err)
		}
		if f == FieldFrom {
			l.From = d
		} else {
			l.To = d
		}
	}
	if l.From.IsZero() {
		return rp.fail(l.Row, FieldFrom, "", errors.New("missing period start"))
	}
	if l.To.IsZero() {
		l.To = l.From
	}
	if l.To.Before(l.From) {
		return rp.fail(l.Row, FieldTo, l.To.Italian(), fmt.Errorf("period ends before it starts on %s", l.From.Italian()))
	}
	if v := rp.cell(cells, FieldIssued); v != "" {
		d, err := rp.day(v)
		if err != nil {
			return rp.fail(l.Row, FieldIssued, v, err)
		}
		l.Issued = d
	}
	return nil
}

// day reads a date cell: text in a form parseDay accepts, or in a
// workbook a serial date.
func (rp *rowParser) day(v string) (civil.Date, error) {
	d, err := parseDay(v)
	if serial, ok := rp.serialDate(v); ok && err != nil {
		return serial, nil
	}
	return d, err
}

// isoTimeOfDay matches the time that may follow an ISO date in exports,
// such as "T10:30:00Z" or " 00:00:00".
var isoTimeOfDay = regexp.MustCompile(`^[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?$`)

// parseDay accepts dd/MM/yyyy and yyyy-MM-dd, the latter optionally with a
// time of day, the forms spreadsheets and exports use.
func parseDay(s string) (civil.Date, error) {
	if len(s) >= 10 && s[4] == '-' {
		if len(s) > 10 && !isoTimeOfDay.MatchString(s[10:]) {
			return civil.Date{}, fmt.Errorf("invalid date %q: want dd/MM/yyyy or yyyy-MM-dd", s)
		}
		return civil.ParseISODate(s[:10])
	}
	return civil.ParseDate(s)
}

// parseMonth accepts MM/yyyy, yyyyMM and yyyy-MM.
func parseMonth(s string) (civil.Month, error) {
	switch {
	case len(s) == 6:
		return civil.ParseCompact(s)
	case len(s) == 7 && s[4] == '-':
		return civil.ParseCompact(s[:4] + s[5:])
	}
	return civil.ParseMonthYear(s)
}

func (rp *rowParser) parseAmounts(l *Line, cells []string) error {
	v := rp.cell(cells, FieldQuantity)
	q, err := rp.number(v)
	if err != nil {
		return rp.fail(l.Row, FieldQuantity, v, err)
	}
	l.Quantity = q
	for _, f := range []Field{FieldBilledExcise, FieldBilledSurcharge} {
		v := rp.cell(cells, f)
		if v == "" {
			continue
		}
		d, err := rp.number(v)
		if err != nil {
			return rp.fail(l.Row, f, v, err)
		}
		if f == FieldBilledExcise {
			l.BilledExcise = &d
		} else {
			l.BilledSurcharge = &d
		}
	}
	return nil
}

func (rp *rowParser) parseKind(l *Line, cells []string) error {
	v := rp.cell(cells, FieldKind)
	if v == "" {
		l.Kind = Invoice
		return nil
	}
	k, ok := rp.values.Kind[strings.ToLower(v)]
	if !ok {
		return rp.fail(l.Row, FieldKind, v, errors.New("unknown document kind; want invoice, credit note or correction"))
	}
	l.Kind = DocumentKind(k)
	return nil
}

// maxIntegerDigits is the widest integer part of a quantity or amount. The
// legacy .dic file holds 13 integer digits in its kWh, m³ and tax fields, so
// larger values cannot be declared. Ledger amounts have the same bound.
const maxIntegerDigits = 13

// storedNumber matches a number as a workbook stores it: a point before the
// decimals, no thousands separator, an optional exponent.
var storedNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$`)

// spreadsheetEpoch is day 0 of the dates a workbook stores as serial numbers
// (the 1900 date system, whose day 60 is the nonexistent 29 February 1900).
var spreadsheetEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// serialDate reads a date cell of a workbook: the number of days since
// spreadsheetEpoch, with an optional time of day as decimals. Only
// workbooks store dates so, and only from 1 March 1900 to 9999.
func (rp *rowParser) serialDate(v string) (civil.Date, bool) {
	if !rp.spreadsheet || !storedNumber.MatchString(v) {
		return civil.Date{}, false
	}
	serial, err := decimal.NewFromString(v)
	if err != nil || serial.LessThan(decimal.NewFromInt(61)) || serial.GreaterThanOrEqual(decimal.NewFromInt(2958466)) {
		return civil.Date{}, false
	}
	t := spreadsheetEpoch.AddDate(0, 0, int(serial.IntPart()))
	return civil.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}, true
}

func (rp *rowParser) number(v string) (decimal.Decimal, error) {
	var d decimal.Decimal
	var err error
	switch {
	case rp.spreadsheet && storedNumber.MatchString(v):
		// NOTE: a text cell such as "300.000" reads as 300 here, as a number
		// cell would. Number cells are the common case in workbooks.
		d, err = decimal.NewFromString(v)
	case rp.decimalComma && !strings.Contains(v, ","):
		d, err = itnum.ParseLoose(strings.ReplaceAll(v, ".", ""))
	default:
		d, err = itnum.ParseLoose(v)
	}
	if err != nil {
		return d, err
	}
	if d.Abs().Cmp(decimal.New(1, maxIntegerDigits)) >= 0 {
		return decimal.Decimal{}, fmt.Errorf("more than %d integer digits; check the unit and the separators", maxIntegerDigits)
	}
	return d, nil
}

// decimalPtr returns a pointer to a copy of d.
func decimalPtr(d decimal.Decimal) *decimal.Decimal { return &d }
