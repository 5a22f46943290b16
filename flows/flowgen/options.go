// Package flowgen generates realistic metering flows of any size for tests,
// examples and benchmarks. A file has N PODs, a month of quarter-hour curves
// with the daylight-saving days, and 1G or 2G meters. Every flow code of
// package flows is covered: periodic, voltura and switching measures,
// corrections with every Motivazione, switching functional and historical
// data, meter replacement, and the legacy format.
//
// Output is deterministic for a given Options value. It streams through
// flows.Writer one record at a time, so memory does not grow with the
// number of PODs.
package flowgen

import (
	"errors"
	"fmt"
	"time"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// ErrOptions is wrapped by every error of New about invalid options.
var ErrOptions = errors.New("flowgen: invalid options")

// Options describe one generated file. The zero value of every field but
// FlowCode takes a default.
type Options struct {
	// FlowCode is the CodFlusso to generate, such as "PDO" or "RNO2G".
	FlowCode string
	// Seed makes the output reproducible: the same Options give the same
	// bytes.
	Seed uint64
	// PODs is the number of points of delivery (default 3). Historical
	// switching flows write 12 records per POD, one per month.
	PODs int
	// Month is the competence month (AAAAMM of the name), or the switching
	// month of switching flows. The default is October 2025, which has the
	// autumn clock change on the 26th.
	Month civil.Month
	// Day is the day of daily files (PDO2G, and the reading day of PNO2G,
	// SNM2G and the voltura flows). The default is the month's clock-change
	// day when it has one, else its last day.
	Day civil.Date
	// NotRegime generates 2G files for meters not "a regime" (name suffix
	// NR): the NR Misura types instead of the R ones.
	NotRegime bool
	// Legacy generates the pre-2020 format: DatiPdp with
	// PuntoDispacciamento and a Curva in place of Misura, and a name without
	// meter state. Only PDO supports it.
	Legacy bool
	// Reactive adds the injected reactive energies Erc and Eri (curves and
	// registers) where the Misura type allows them.
	Reactive bool
	// Reasons are the Motivazione values of a correction file, used in turn
	// per POD. The default is every value the flow code allows: 1–5 for 1G,
	// 1–6 for 2G, and 1, 2 (and 6 for 2G) for voltura and switching
	// corrections.
	Reasons []int
	// DistributorVAT and SellerVAT are the header and name VAT numbers
	// (defaults "09876543210" and "01234567897").
	DistributorVAT, SellerVAT string
	// DispatchingContract is CodContrDisp (default "DP0427").
	DispatchingContract string
	// Created is the availability time of the file name (default the 5th
	// of the month after Month, 06:05:23 in Europe/Rome).
	Created time.Time
	// Sequence is the progressivo of the name (default 1).
	Sequence int
}

// withDefaults checks opts and fills the defaults.
func (o Options) withDefaults() (Options, flows.FlowInfo, error) {
	info, ok := flows.LookupFlow(o.FlowCode)
	if !ok {
		return o, info, fmt.Errorf("%w: unknown flow code %q", ErrOptions, o.FlowCode)
	}
	if o.PODs == 0 {
		o.PODs = 3
	}
	if o.PODs < 0 {
		return o, info, fmt.Errorf("%w: PODs %d is negative", ErrOptions, o.PODs)
	}

	if o.Month.IsZero() {
		o.Month = civil.Month{Year: 2025, Month: time.October}
	}
	if o.Day.IsZero() {
		o.Day = defaultDay(o.Month)
	}
	if !o.Month.Contains(o.Day) {
		return o, info, fmt.Errorf("%w: Day %s is outside Month %s", ErrOptions, o.Day, o.Month)
	}

	if o.Legacy && o.FlowCode != "PDO" {
		return o, info, fmt.Errorf("%w: the legacy format is generated for PDO only, not %s", ErrOptions, o.FlowCode)
	}
	if o.NotRegime && !info.Is2G {
		return o, info, fmt.Errorf("%w: NotRegime needs a 2G flow code, not %s", ErrOptions, o.FlowCode)
	}

	if o.DistributorVAT == "" {
		o.DistributorVAT = "09876543210"
	}
	if o.SellerVAT == "" {
		o.SellerVAT = "01234567897"
	}
	if o.DispatchingContract == "" {
		o.DispatchingContract = "DP0427"
	}
	if o.Created.IsZero() {
		next := o.Month.AddMonths(1)
		o.Created = time.Date(next.Year, next.Month, 5, 6, 5, 23, 0, civil.Rome)
	}
	if o.Sequence <= 0 {
		o.Sequence = 1
	}

	if info.Family == flows.Correction {
		if len(o.Reasons) == 0 {
			o.Reasons = defaultReasons(info, o.NotRegime)
		}
		for _, r := range o.Reasons {
			if r < 1 || r > 6 {
				return o, info, fmt.Errorf("%w: Motivazione %d is outside 1..6", ErrOptions, r)
			}
		}
	}
	return o, info, nil
}

// defaultDay returns the clock-change day of m, or its last day.
func defaultDay(m civil.Month) civil.Date {
	for d := m.First(); m.Contains(d); d = d.AddDays(1) {
		if civil.KindOf(d) != civil.NormalDay {
			return d
		}
	}
	return m.Last()
}

// defaultReasons returns the Motivazione values a correction flow allows.
// Motivazione 6 exists for 2G meters a regime only, and corrections of
// voltura and switching data (RNV, RSN) allow 1, 2 and 6.
func defaultReasons(info flows.FlowInfo, notRegime bool) []int {
	regime2G := info.Is2G && !notRegime
	switch info.Code {
	case "RNV", "RSN", "RNV2G", "RSN2G":
		if regime2G {
			return []int{1, 2, 6}
		}
		return []int{1, 2}
	}
	if regime2G {
		return []int{1, 2, 3, 4, 5, 6}
	}
	return []int{1, 2, 3, 4, 5}
}
