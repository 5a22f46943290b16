package api

import (
	"bytes"
	"errors"
	"net/http"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/siireport"
	"github.com/bludispatcher/dispatcher/sii"
)

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
	Measure string `json:"measure"`
	// From and To bound the checked period, both included. It is the
	// whole month when the request has no at, and the day at otherwise.
	From      civil.Date    `json:"from"`
	To        civil.Date    `json:"to"`
	Active    bool          `json:"active"`
	Points    []reliefPoint `json:"points"`
	Unlocated []string      `json:"unlocated"`
}

type reliefPoint struct {
	POD          string `json:"pod"`
	Municipality string `json:"municipality"`
	Province     string `json:"province"`
	// SiteMunicipalityCode is the ISTAT code of the site's municipality in
	// the registry, empty when billing did not send it.
	SiteMunicipalityCode string `json:"siteMunicipalityCode,omitempty"`
	// ISTATCode and Annex are those of the relief list entry the site
	// matched, and MatchedBy is the way it matched (ISTAT code, successor
	// ISTAT code, or name and province).
	ISTATCode string `json:"istatCode,omitempty"`
	Annex     string `json:"annex,omitempty"`
	MatchedBy string `json:"matchedBy"`
	// CoveredFrom and CoveredTo are the first and last days of the period
	// on which the measure covers the point, so billing can prorate it.
	CoveredFrom civil.Date `json:"coveredFrom"`
	CoveredTo   civil.Date `json:"coveredTo"`
}

// benefits runs siireport.ComputeBenefitsIn, the report the SOAP service
// also returns, for the month's extract on the day at. Without at it
// checks bonuses on the month's last day and relief on every day of the
// month. With at and no month it reads the extract in force on at, as
// SOAP GetBonusReport does.
func (h *handler) benefits(w http.ResponseWriter, r *http.Request, caller Principal) (civil.Month, civil.Date, []sii.BonusEntitlement, *sii.ReliefResult, bool) {
	p := &params{q: r.URL.Query()}
	if !companyMatches(p, caller) {
		writeError(w, http.StatusNotFound, "company not found")
		return civil.Month{}, civil.Date{}, nil, nil, false
	}
	at := p.date("at")
	var month civil.Month
	if p.err == nil && !at.IsZero() && p.str("month") == "" {
		m, err := siireport.ExtractMonthAt(r.Context(), h.Store, caller.ID, at)
		if errors.Is(err, siireport.ErrNoExtract) {
			writeError(w, http.StatusNotFound, "no RCU extract of the company is loaded for "+at.MonthOf().String()+
				" or an earlier month")
			return month, at, nil, nil, false
		}
		if err != nil {
			h.storeError(w, r, "RCU months", err)
			return month, at, nil, nil, false
		}
		month = m
	} else {
		var ok bool
		if month, ok = h.rcuMonth(w, r, p, h.Store, caller); !ok {
			return month, at, nil, nil, false
		}
	}
	from, to := at, at
	if at.IsZero() {
		at = month.Last()
		from, to = month.First(), month.Last()
	}
	b, err := siireport.ComputeBenefitsIn(r.Context(), h.Store, caller.ID, month, at, from, to)
	if err != nil {
		h.storeError(w, r, "social bonus and relief points", err)
		return month, at, nil, nil, false
	}
	return month, at, b.Bonuses, b.Relief, true
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
		Relief: reliefResponse{Measure: relief.List.Measure, From: relief.From, To: relief.To, Active: relief.Active,
			Points: []reliefPoint{}, Unlocated: []string{}}}
	for _, b := range bonuses {
		out.Bonuses = append(out.Bonuses, bonusPoint{POD: b.POD, Economic: b.Economic, Physical: b.Physical, Communication: b.Communication})
	}
	for _, p := range relief.Points {
		out.Relief.Points = append(out.Relief.Points, reliefPoint{POD: p.POD, Municipality: p.Municipality.Name, Province: p.Municipality.Province,
			SiteMunicipalityCode: p.Municipality.ISTATCode, ISTATCode: p.Entry.ISTATCode, Annex: p.Entry.Annex,
			MatchedBy: string(p.MatchedBy), CoveredFrom: p.CoveredFrom, CoveredTo: p.CoveredTo})
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
