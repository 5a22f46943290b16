package api

import (
	"bytes"
	"net/http"
	"slices"
	"strconv"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/siireport"
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
// month. A month without a stored extract is not found, so that a report
// on it is not mistaken for one with no points. It writes the error
// response and returns false on failure.
func (h *handler) rcuMonth(w http.ResponseWriter, r *http.Request, p *params, ds store.DomainStore, caller Principal) (civil.Month, bool) {
	m := p.month("month")
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return m, false
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
	if m.IsZero() {
		return months[0], true
	}
	if !slices.Contains(months, m) {
		writeError(w, http.StatusNotFound, "no RCU extract of the company is loaded for month "+m.String()+
			": GET /api/v1/sii/rcu/months lists the loaded months")
		return m, false
	}
	return m, true
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

// compare runs siireport.Compare for the month parameter, the same
// comparison the SOAP service returns.
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
	cmp, err := siireport.Compare(r.Context(), h.Store, caller.ID, month, "")
	if err != nil {
		h.storeError(w, r, "compare RCU with billing", err)
		return nil, false
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
