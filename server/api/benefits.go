package api

import (
	"bytes"
	"context"
	"errors"
	"net/http"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/sii"
)

// storeSites is the sii.SiteRegistry of one company over the supply points
// and sites that billing pushed to the store.
type storeSites struct {
	st      store.Store
	company store.CompanyID
}

// SiteMunicipality returns the municipality and province of the site of
// pod; ok is false when billing pushed no supply point or site for it.
func (s storeSites) SiteMunicipality(ctx context.Context, pod string) (sii.Municipality, bool, error) {
	sp, err := s.st.SupplyPoint(ctx, s.company, pod)
	if errors.Is(err, store.ErrNotFound) {
		return sii.Municipality{}, false, nil
	}
	if err != nil {
		return sii.Municipality{}, false, err
	}
	site, err := s.st.Site(ctx, s.company, sp.Site)
	if errors.Is(err, store.ErrNotFound) {
		return sii.Municipality{}, false, nil
	}
	if err != nil {
		return sii.Municipality{}, false, err
	}
	if site.Municipality == "" {
		return sii.Municipality{}, false, nil
	}
	return sii.Municipality{Name: site.Municipality, Province: site.Province}, true, nil
}

// benefitsResponse is the JSON of the social bonus and relief report.
type benefitsResponse struct {
	Month   string         `json:"month"`
	At      civil.Date     `json:"at"`
	Bonuses []bonusPoint   `json:"bonuses"`
	Relief  reliefResponse `json:"relief"`
}

type bonusPoint struct {
	POD           string `json:"pod"`
	Economic      bool   `json:"economic"`
	Physical      bool   `json:"physical"`
	Communication string `json:"communication,omitempty"` // COMUNIC_BONUS
}

type reliefResponse struct {
	Measure   string        `json:"measure"`
	Active    bool          `json:"active"`
	Points    []reliefPoint `json:"points"`
	Unlocated []string      `json:"unlocated"`
}

type reliefPoint struct {
	POD          string `json:"pod"`
	Municipality string `json:"municipality"`
	Province     string `json:"province"`
}

// benefits computes the social bonuses of the month's extract active on
// the day at (default: the month's last day) and the points covered by
// the embedded earthquake relief list.
func (h *handler) benefits(w http.ResponseWriter, r *http.Request, caller Principal) (civil.Month, civil.Date, []sii.BonusEntitlement, *sii.ReliefResult, bool) {
	p := &params{q: r.URL.Query()}
	if !companyMatches(p, caller) {
		writeError(w, http.StatusNotFound, "company not found")
		return civil.Month{}, civil.Date{}, nil, nil, false
	}
	at := p.date("at")
	month, ok := h.rcuMonth(w, r, p, h.Store, caller)
	if !ok {
		return month, at, nil, nil, false
	}
	if at.IsZero() {
		at = month.Last()
	}
	records, err := h.Store.RCURecords(r.Context(), caller.ID, month)
	if err != nil {
		h.storeError(w, r, "RCU records", err)
		return month, at, nil, nil, false
	}
	relief, err := sii.ReliefPoints(r.Context(), records, storeSites{st: h.Store, company: caller.ID}, sii.EarthquakeRelief2016(), at)
	if err != nil {
		h.storeError(w, r, "relief points", err)
		return month, at, nil, nil, false
	}
	return month, at, sii.BonusesAt(records, at), relief, true
}

// rcuBenefits serves GET /api/v1/sii/rcu/benefits?month=&at=: the points
// of the extract with a social bonus active on day at, and those in the
// municipalities of the earthquake relief list.
func (h *handler) rcuBenefits(w http.ResponseWriter, r *http.Request, caller Principal) {
	month, at, bonuses, relief, ok := h.benefits(w, r, caller)
	if !ok {
		return
	}
	out := benefitsResponse{Month: month.String(), At: at, Bonuses: []bonusPoint{},
		Relief: reliefResponse{Measure: relief.List.Measure, Active: relief.Active, Points: []reliefPoint{}, Unlocated: []string{}}}
	for _, b := range bonuses {
		out.Bonuses = append(out.Bonuses, bonusPoint{POD: b.POD, Economic: b.Economic, Physical: b.Physical, Communication: b.Communication})
	}
	for _, p := range relief.Points {
		out.Relief.Points = append(out.Relief.Points, reliefPoint{POD: p.POD, Municipality: p.Municipality.Name, Province: p.Municipality.Province})
	}
	out.Relief.Unlocated = append(out.Relief.Unlocated, relief.Unlocated...)
	writeJSON(w, http.StatusOK, out)
}

// rcuBenefitsXLSX serves GET /api/v1/sii/rcu/benefits.xlsx?month=&at=.
func (h *handler) rcuBenefitsXLSX(w http.ResponseWriter, r *http.Request, caller Principal) {
	month, at, bonuses, relief, ok := h.benefits(w, r, caller)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := sii.WriteBenefitsXLSX(&buf, at, bonuses, relief); err != nil {
		h.internal(w, r, "write benefits workbook", err)
		return
	}
	writeFile(w, "rcu-benefits-"+month.String()+".xlsx", XLSXContentType, buf.Bytes())
}
