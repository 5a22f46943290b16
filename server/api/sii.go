package api

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/sii"
)

// XLSXContentType is the media type of the XLSX reports.
const XLSXContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// domainRoutes adds the routes of the SII, GME and PRA data.
func (h *handler) domainRoutes(route func(string, func(http.ResponseWriter, *http.Request, Principal))) {
	route("GET /api/v1/sii/rcu/months", h.rcuMonths)
	route("GET /api/v1/sii/rcu", h.rcuPoints)
	route("GET /api/v1/sii/rcu/comparison", h.rcuComparison)
	route("GET /api/v1/sii/rcu/comparison.xlsx", h.rcuComparisonXLSX)
	route("GET /api/v1/sii/rcu/benefits", h.rcuBenefits)
	route("GET /api/v1/sii/rcu/benefits.xlsx", h.rcuBenefitsXLSX)
	route("GET /api/v1/gme/prices", h.gmePrices)
	route("GET /api/v1/gme/averages", h.gmeAverages)
	route("GET /api/v1/pra", h.praValues)
	h.invoiceRoutes(route)
	h.acciseRoutes(route)
}

// rcuMonths serves GET /api/v1/sii/rcu/months: the extract months with
// points, newest first.
func (h *handler) rcuMonths(w http.ResponseWriter, r *http.Request, caller Principal) {
	ds := h.Store
	months, err := ds.RCUMonths(r.Context(), caller.ID)
	if err != nil {
		h.storeError(w, r, "RCU months", err)
		return
	}
	out := make([]string, len(months))
	for i, m := range months {
		out[i] = m.String()
	}
	writeJSON(w, http.StatusOK, map[string][]string{"months": out})
}

// rcuMonth reads the month parameter, defaulting to the newest extract
// month. It writes the error response and returns false on failure.
func (h *handler) rcuMonth(w http.ResponseWriter, r *http.Request, p *params, ds store.DomainStore, caller Principal) (civil.Month, bool) {
	m := p.month("month")
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return m, false
	}
	if !m.IsZero() {
		return m, true
	}
	months, err := ds.RCUMonths(r.Context(), caller.ID)
	if err != nil {
		h.storeError(w, r, "RCU months", err)
		return m, false
	}
	if len(months) == 0 {
		writeError(w, http.StatusNotFound, "no RCU extract loaded yet")
		return m, false
	}
	return months[0], true
}

// rcuPoints serves GET /api/v1/sii/rcu?month=&pod=&offset=&limit=: the
// points of the newest extract of the month (default: the newest month).
func (h *handler) rcuPoints(w http.ResponseWriter, r *http.Request, caller Principal) {
	ds := h.Store
	p := &params{q: r.URL.Query()}
	if !companyMatches(p, caller) {
		writeError(w, http.StatusNotFound, "company not found")
		return
	}
	page := p.page()
	month, ok := h.rcuMonth(w, r, p, ds, caller)
	if !ok {
		return
	}
	points, total, err := ds.RCUPoints(r.Context(), store.RCUFilter{Company: caller.ID, Month: month, POD: p.str("pod"), Page: page})
	if err != nil {
		h.storeError(w, r, "RCU points", err)
		return
	}
	if points == nil {
		points = []store.RCUPoint{}
	}
	writeJSON(w, http.StatusOK, listResponse[store.RCUPoint]{Items: points, Total: total, Offset: page.Offset, Limit: page.Limit})
}

// registryBilling is the sii.BillingRegistry of one company over the
// store's registry: the validity of each POD's registry entries and, when
// billing pushed the supply point, its distributor.
//
// NOTE: the registry keeps no UdD, counterparty, treatment, voltage, power
// or meter type, so compared limits the differences to the supply dates
// and, for points whose distributor is known, PIVA_DISTR.
type registryBilling struct {
	st      store.Store
	company store.CompanyID
}

// BillingPoints returns the registry entries valid in month as points.
func (b registryBilling) BillingPoints(ctx context.Context, month civil.Month) ([]sii.BillingPoint, error) {
	entries, err := b.st.RegistryEntriesIn(ctx, b.company, month)
	if err != nil {
		return nil, err
	}
	out := make([]sii.BillingPoint, 0, len(entries))
	for _, e := range entries {
		p := sii.BillingPoint{POD: e.POD, SupplyStart: e.ValidFrom, SupplyEnd: e.ValidTo}
		sp, err := b.st.SupplyPoint(ctx, b.company, e.POD)
		switch {
		case err == nil:
			p.DistributorVAT = sp.DistributorVAT
		case !errors.Is(err, store.ErrNotFound):
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// compared reports whether the registry can be compared on a difference:
// the supply dates always, the distributor when billing gave one.
func compared(d sii.FieldDifference) bool {
	switch d.Field {
	case sii.ColSupplyStart, sii.ColSupplyEnd:
		return true
	case sii.ColDistributorVAT:
		return d.Billing != ""
	}
	return false
}

// compare runs sii.Compare for the month parameter against the registry.
func (h *handler) compare(w http.ResponseWriter, r *http.Request, caller Principal) (*sii.Comparison, bool) {
	ds := h.Store
	p := &params{q: r.URL.Query()}
	if !companyMatches(p, caller) {
		writeError(w, http.StatusNotFound, "company not found")
		return nil, false
	}
	month, ok := h.rcuMonth(w, r, p, ds, caller)
	if !ok {
		return nil, false
	}
	records, err := ds.RCURecords(r.Context(), caller.ID, month)
	if err != nil {
		h.storeError(w, r, "RCU records", err)
		return nil, false
	}
	cmp, err := sii.Compare(r.Context(), month, records, registryBilling{st: h.Store, company: caller.ID})
	if err != nil {
		h.storeError(w, r, "compare RCU with billing", err)
		return nil, false
	}
	for i := range cmp.Distributors {
		d := &cmp.Distributors[i]
		shown := d.Differences[:0]
		for _, diff := range d.Differences {
			if compared(diff) {
				shown = append(shown, diff)
			}
		}
		d.Differences = shown
	}
	return cmp, true
}

// comparisonResponse is the JSON form of sii.Comparison.
type comparisonResponse struct {
	Month        string                  `json:"month"`
	Distributors []distributorComparison `json:"distributors"`
	CRPPPoints   []string                `json:"crppPoints"`
}

type distributorComparison struct {
	DistributorVAT  string            `json:"distributorVat"`
	DistributorName string            `json:"distributorName,omitempty"`
	SIICount        int               `json:"siiCount"`
	BillingCount    int               `json:"billingCount"`
	OnlyInSII       []string          `json:"onlyInSii"`
	OnlyInBilling   []string          `json:"onlyInBilling"`
	Differences     []fieldDifference `json:"differences"`
}

type fieldDifference struct {
	POD     string `json:"pod"`
	Field   string `json:"field"`
	SII     string `json:"sii"`
	Billing string `json:"billing"`
}

// rcuComparison serves GET /api/v1/sii/rcu/comparison?month=: the points
// of the SII extract against the store's registry, per distributor.
func (h *handler) rcuComparison(w http.ResponseWriter, r *http.Request, caller Principal) {
	cmp, ok := h.compare(w, r, caller)
	if !ok {
		return
	}
	out := comparisonResponse{Month: cmp.Month.String(), Distributors: []distributorComparison{}, CRPPPoints: []string{}}
	for _, d := range cmp.Distributors {
		dc := distributorComparison{DistributorVAT: d.DistributorVAT, DistributorName: d.DistributorName,
			SIICount: d.SIICount, BillingCount: d.BillingCount,
			OnlyInSII: []string{}, OnlyInBilling: []string{}, Differences: []fieldDifference{}}
		for _, rec := range d.OnlyInSII {
			dc.OnlyInSII = append(dc.OnlyInSII, rec.Key())
		}
		for _, bp := range d.OnlyInBilling {
			dc.OnlyInBilling = append(dc.OnlyInBilling, sii.PODKey(bp.POD))
		}
		for _, diff := range d.Differences {
			dc.Differences = append(dc.Differences, fieldDifference(diff))
		}
		out.Distributors = append(out.Distributors, dc)
	}
	for _, rec := range cmp.CRPP {
		out.CRPPPoints = append(out.CRPPPoints, rec.Key())
	}
	writeJSON(w, http.StatusOK, out)
}

// rcuComparisonXLSX serves GET /api/v1/sii/rcu/comparison.xlsx?month=.
func (h *handler) rcuComparisonXLSX(w http.ResponseWriter, r *http.Request, caller Principal) {
	cmp, ok := h.compare(w, r, caller)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := sii.WriteComparisonXLSX(&buf, cmp); err != nil {
		h.internal(w, r, "write comparison workbook", err)
		return
	}
	writeFile(w, "rcu-comparison-"+cmp.Month.String()+".xlsx", XLSXContentType, buf.Bytes())
}

// writeFile sends body as a download named name.
func writeFile(w http.ResponseWriter, name, contentType string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", ContentDisposition(name))
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}
