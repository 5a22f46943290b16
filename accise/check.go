package accise

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Severities, re-exported for the package's callers.
const (
	Blocking = anomaly.Blocking
	Warning  = anomaly.Warning
)

// Anomaly codes of the import, the computation and the checks.
const (
	// CodeUnreadableRow is a row the importer could not read.
	CodeUnreadableRow = "IMP01"
	// CodeNotComputable is a line whose tax could not be computed.
	CodeNotComputable = "ACC00"
	// CodeProvinceMissing is a line without a province.
	CodeProvinceMissing = "ACC01"
	// CodeProvinceUnknown is a province code not in the territory table.
	CodeProvinceUnknown = "ACC02"
	// CodeMunicipalityMissing is a line without a cadastral code.
	CodeMunicipalityMissing = "ACC03"
	// CodeMunicipalityUnknown is a cadastral code that is malformed, not in
	// the given list, or in another province.
	CodeMunicipalityUnknown = "ACC04"
	// CodeUseInconsistent is a use category that contradicts the commodity,
	// the residence flag or the contracted power.
	CodeUseInconsistent = "ACC05"
	// CodeNegativeQuantity is a negative quantity on an invoice.
	CodeNegativeQuantity = "ACC06"
	// CodePeriodOutsideYear is a period outside the declared period on a
	// line that is not a correction.
	CodePeriodOutsideYear = "ACC07"
	// CodeBilledExciseDiffers is billed excise or surcharge that differs
	// from the computed one beyond the tolerance.
	CodeBilledExciseDiffers = "ACC08"
	// CodeBilledTwice is a supply invoiced twice for the same period.
	CodeBilledTwice = "ACC09"
	// CodeConsumptionOutlier is consumption far from the supply's history.
	CodeConsumptionOutlier = "ACC10"
	// CodeArisganSpecialStatute is ARISGAN billed on gas in a
	// special-statute region, where it is not due.
	CodeArisganSpecialStatute = "ACC11"
	// CodeDiscontinuityCrossed is a non-dwelling month above 1,200,000 kWh,
	// taxed with the fixed amount.
	CodeDiscontinuityCrossed = "ACC12"
	// CodeClimateZoneMissing is a gas line without a climate zone in a
	// region whose ARISGAN rates depend on it.
	CodeClimateZoneMissing = "ACC13"
	// CodeSupplyMalformed is a POD or PDR that is not the code of its
	// commodity: a POD is "IT", three digits, "E" and eight or nine
	// characters, a PDR fourteen digits.
	CodeSupplyMalformed = "ACC14"
	// CodeCorrectionUndated is a correction without the date its document
	// was issued, checked for a half-year. It is declared in each half it
	// is passed to, which declares it twice when both halves get it.
	CodeCorrectionUndated = "ACC15"
)

// CheckOptions configures Check.
type CheckOptions struct {
	// From and To bound the declared period (a tax year or a half-year).
	// In a half-year, the lines of the other half of the same tax year are
	// not blocking, because the second half's gas brackets need the first
	// half's bills.
	From, To civil.Date
	// Territory defaults to DefaultTerritory.
	Territory *Territory
	// Rates defaults to DefaultRates.
	Rates *Rates
	// Municipalities maps cadastral codes to province codes. When nil, only
	// the shape of cadastral codes is checked (a letter and three digits).
	Municipalities map[string]string
	// Tolerance is the accepted difference, in euro, between billed and
	// computed tax of an electricity supply-month or a gas line.
	Tolerance decimal.Decimal
	// OutlierFactor flags a quantity more than this many times above or
	// below the supply's median; zero disables the check.
	OutlierFactor decimal.Decimal
	// History gives the usual monthly quantity of supplies from earlier
	// data. Supplies not in it are compared with the median of their own
	// months in the checked lines.
	History map[string]decimal.Decimal
}

// YearCheckOptions returns the options for tax year year: a tolerance of
// 0.10 € and an outlier factor of 5.
func YearCheckOptions(year int) CheckOptions {
	return CheckOptions{
		From:          civil.Date{Year: year, Month: 1, Day: 1},
		To:            civil.Date{Year: year, Month: 12, Day: 31},
		Tolerance:     decimal.New(10, -2),
		OutlierFactor: decimal.NewFromInt(5),
	}
}

func (o CheckOptions) rates() *Rates {
	if o.Rates != nil {
		return o.Rates
	}
	return DefaultRates()
}

func (o CheckOptions) territory() *Territory {
	if o.Territory != nil {
		return o.Territory
	}
	return DefaultTerritory()
}

// Check runs every check on a computation and returns the anomalies sorted
// by file and row. Their Field is the column name of the "dispatcher"
// import profile, or "periodo" for the period as a whole.
func Check(c *Computation, opts CheckOptions) anomaly.List {
	var found anomaly.List
	for _, l := range c.Lines {
		found = append(found, checkSupply(l)...)
		found = append(found, checkTerritory(l, opts)...)
		found = append(found, checkUse(l)...)
		found = append(found, checkQuantitySign(l)...)
		found = append(found, checkPeriod(l, opts)...)
		found = append(found, checkSpecialStatute(l, opts)...)
		found = append(found, checkClimateZone(l, opts)...)
	}
	found = append(found, checkBilled(c, opts)...)
	found = append(found, checkBilledTwice(c.Lines)...)
	found = append(found, checkOutliers(c, opts)...)
	found = append(found, checkDiscontinuity(c)...)
	sort.SliceStable(found, func(a, b int) bool {
		if found[a].File != found[b].File {
			return found[a].File < found[b].File
		}
		return found[a].Line < found[b].Line
	})
	return found
}

func finding(l Line, code string, sev anomaly.Severity, field, value, msg string) Anomaly {
	return Anomaly{Code: code, Rule: code, Severity: sev, File: l.File, Line: l.Row, Key: l.Supply, Field: field, Value: value, Message: msg}
}

func checkTerritory(l Line, opts CheckOptions) anomaly.List {
	var found anomaly.List
	switch _, ok := opts.territory().Province(l.Province); {
	case l.Province == "":
		found = append(found, finding(l, CodeProvinceMissing, Blocking, "provincia", "",
			"the province is missing, so the line belongs to no frame; add the two-letter province code of the supply"))
	case !ok:
		found = append(found, finding(l, CodeProvinceUnknown, Blocking, "provincia", l.Province,
			"the province code is not an Italian province; write its two-letter code, such as TO or RM"))
	}
	switch {
	case l.Municipality == "":
		found = append(found, finding(l, CodeMunicipalityMissing, Warning, "codice_catastale", "",
			"the cadastral code of the municipality is missing; add it, since frames and the client list group by it"))
	case !validCadastralCode(l.Municipality):
		found = append(found, finding(l, CodeMunicipalityUnknown, Blocking, "codice_catastale", l.Municipality,
			"the cadastral code is malformed; want a letter and three digits, such as L219"))
	case opts.Municipalities != nil:
		prov, ok := opts.Municipalities[l.Municipality]
		if !ok {
			found = append(found, finding(l, CodeMunicipalityUnknown, Blocking, "codice_catastale", l.Municipality,
				"the cadastral code is not in the municipality list; check the code or update the list"))
		} else if l.Province != "" && prov != l.Province {
			found = append(found, finding(l, CodeMunicipalityUnknown, Blocking, "codice_catastale", l.Municipality,
				fmt.Sprintf("the municipality is in province %s, not %s; correct the province or the code", prov, l.Province)))
		}
	}
	return found
}

func validCadastralCode(s string) bool {
	if len(s) != 4 || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for i := 1; i < 4; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func checkUse(l Line) anomaly.List {
	electric := l.Use == UseDwelling || l.Use == UseNonDwelling || l.Use == UseExcluded
	gas := l.Use == UseCivil || l.Use == UseIndustrial || l.Use == UseVehicle
	switch {
	case l.Commodity == Electricity && gas, l.Commodity == Gas && electric:
		return anomaly.List{finding(l, CodeUseInconsistent, Blocking, "categoria_uso", string(l.Use),
			fmt.Sprintf("the use category %s does not exist for %s; choose a use of that commodity", l.Use, l.Commodity))}
	case l.Commodity == Electricity && l.IsResident() && l.Use != UseDwelling:
		return anomaly.List{finding(l, CodeUseInconsistent, Blocking, "residente", "S",
			fmt.Sprintf("the supply is marked resident but its use is %s; residence applies to dwellings only", l.Use))}
	case l.Commodity == Electricity && l.IsResident() && l.PowerKW == nil:
		return anomaly.List{finding(l, CodeUseInconsistent, Warning, "potenza_kw", "",
			"a resident dwelling has no contracted power, so no exemption is applied; add the power in kW")}
	case l.PowerKW != nil && l.PowerKW.IsNegative():
		return anomaly.List{finding(l, CodeUseInconsistent, Blocking, "potenza_kw", l.PowerKW.String(),
			"the contracted power is negative; correct it")}
	}
	return nil
}

func checkQuantitySign(l Line) anomaly.List {
	if l.Quantity.IsNegative() && l.Kind == Invoice {
		return anomaly.List{finding(l, CodeNegativeQuantity, Blocking, "quantita", l.Quantity.String(),
			"an invoice has a negative quantity; issue it as a credit note or a correction")}
	}
	return nil
}

func checkPeriod(l Line, opts CheckOptions) anomaly.List {
	if l.Kind == Correction && l.Issued.IsZero() && !opts.From.IsZero() && opts.halfYear() {
		return anomaly.List{finding(l, CodeCorrectionUndated, Warning, "data_documento", "",
			"the correction has no document date, so every half-year declaration it is passed to declares it; add the issue date, or pass it only with the half that billed it")}
	}
	if l.Kind == Correction || opts.From.IsZero() {
		return nil
	}
	half := opts.halfYear()
	sameYear := l.From.Year == opts.From.Year && l.To.Year == opts.From.Year
	switch {
	case half && sameYear && l.From.After(opts.To):
		// A line of the second half is declared there.
		return nil
	case half && sameYear && l.To.Before(opts.From):
		// The second half's gas brackets continue from the first half's
		// bills, so a line of the first half is expected here. It is not
		// declared, which loses a bill issued after the first declaration.
		outcome := "is not declared in this half"
		if l.Commodity == Gas {
			outcome += " and only continues the annual gas brackets"
		}
		return anomaly.List{finding(l, CodePeriodOutsideYear, Warning, "periodo", l.From.Italian()+"-"+l.To.Italian(),
			fmt.Sprintf("the period is in the first half of the tax year, so the line %s; if it was billed after the first half's declaration, mark it as a correction", outcome))}
	case l.To.Before(opts.From) || l.From.After(opts.To):
		return anomaly.List{finding(l, CodePeriodOutsideYear, Blocking, "periodo", l.From.Italian()+"-"+l.To.Italian(),
			fmt.Sprintf("the period is outside the declared period %s-%s; mark the line as a correction of an earlier period or remove it",
				opts.From.Italian(), opts.To.Italian()))}
	case (l.From.Before(opts.From) || l.To.After(opts.To)) && l.Commodity == Gas && half:
		return anomaly.List{finding(l, CodePeriodOutsideYear, Warning, "periodo", l.From.Italian()+"-"+l.To.Italian(),
			"the period straddles the declared half-year, so only its days inside are declared; split the line at the boundary")}
	case (l.From.Before(opts.From) || l.To.After(opts.To)) && l.Commodity == Gas:
		return anomaly.List{finding(l, CodePeriodOutsideYear, Warning, "periodo", l.From.Italian()+"-"+l.To.Italian(),
			"the period straddles the declared year, so only its days inside are declared; split the line at the boundary")}
	case l.From.Before(opts.From) || l.To.After(opts.To):
		return anomaly.List{finding(l, CodePeriodOutsideYear, Warning, "periodo", l.From.Italian()+"-"+l.To.Italian(),
			"the period straddles the declared period, so only its months inside are declared; split the line at the boundary")}
	}
	return nil
}

// halfYear reports whether the checked period is one half of a tax year
// rather than the whole year.
func (o CheckOptions) halfYear() bool {
	return o.From.Year == o.To.Year && (o.From != civil.Date{Year: o.From.Year, Month: 1, Day: 1} || o.To != civil.Date{Year: o.To.Year, Month: 12, Day: 31})
}

// checkClimateZone flags civil and industrial gas lines without a climate
// zone where the region's ARISGAN rows are split by zone, because no rate
// then applies to them.
func checkClimateZone(l Line, opts CheckOptions) anomaly.List {
	if l.Commodity != Gas || l.ClimateZone != "" || (l.Use != UseCivil && l.Use != UseIndustrial) {
		return nil
	}
	region, ok := opts.territory().RegionOf(l.Province)
	if !ok || !opts.rates().arisganByZone(region.Code) {
		return nil
	}
	return anomaly.List{finding(l, CodeClimateZoneMissing, Blocking, "zona_climatica", "",
		fmt.Sprintf("the climate zone is missing, and ARISGAN in %s depends on it; add the zone A-F of the municipality", region.Name))}
}

func checkSpecialStatute(l Line, opts CheckOptions) anomaly.List {
	if l.Commodity != Gas || l.BilledSurcharge == nil || l.BilledSurcharge.IsZero() {
		return nil
	}
	region, ok := opts.territory().RegionOf(l.Province)
	if !ok || !region.SpecialStatute {
		return nil
	}
	return anomaly.List{finding(l, CodeArisganSpecialStatute, Blocking, "addizionale_fatturata", l.BilledSurcharge.String(),
		fmt.Sprintf("ARISGAN was billed in %s, a special-statute region that levies none; refund it to the customer", region.Name))}
}
