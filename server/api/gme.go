package api

import (
	"net/http"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/gme"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/internal/itnum"
	"github.com/bludispatcher/dispatcher/server/store"
)

// MaxPriceDays is the widest day range of one GET /api/v1/gme/prices
// request: a quarter of a year, about 9,000 quarter-hours per series.
const MaxPriceDays = 93

// gmePrices serves GET /api/v1/gme/prices?from=&to=&market=&kind=&zone=:
// the stored GME values of a day range, newest load's value of each key.
func (h *handler) gmePrices(w http.ResponseWriter, r *http.Request, caller Principal) {
	ds := h.Store
	p := &params{q: r.URL.Query()}
	if !companyMatches(p, caller) {
		writeError(w, http.StatusNotFound, "company not found")
		return
	}
	days := p.dateRange()
	if p.err == nil && (days.From.IsZero() || days.To.IsZero()) {
		p.fail("from", p.str("from"), "both from and to, as yyyy-mm-dd")
	}
	if p.err == nil && days.To.After(days.From.AddDays(MaxPriceDays-1)) {
		p.fail("to", p.str("to"), "a range of at most 93 days")
	}
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	prices, err := ds.Prices(r.Context(), store.PriceFilter{Company: caller.ID, Market: p.str("market"),
		Kind: p.str("kind"), Zone: p.str("zone"), Days: days})
	if err != nil {
		h.storeError(w, r, "GME prices", err)
		return
	}
	if prices == nil {
		prices = []store.Price{}
	}
	writeJSON(w, http.StatusOK, listResponse[store.Price]{Items: prices, Total: len(prices), Limit: len(prices)})
}

// averageResponse is one band of gme.BandAverages in JSON.
type averageResponse struct {
	// Value is the mean in €/MWh, absent when the band had no price.
	Value *decimal.Decimal `json:"value,omitempty"`
	Count int              `json:"count"`
}

// bandAveragesResponse is gme.BandAverages in JSON.
type bandAveragesResponse struct {
	Month  string `json:"month"`
	Market string `json:"market"`
	Kind   string `json:"kind"`
	Series string `json:"series"`
	// POD is the point whose curve weights the prices; empty when the
	// averages are arithmetic.
	POD      string `json:"pod,omitempty"`
	Weighted bool   `json:"weighted"`
	// MissingConsumption counts the price intervals the curve had no
	// energy for.
	MissingConsumption int             `json:"missingConsumption"`
	F1                 averageResponse `json:"f1"`
	F2                 averageResponse `json:"f2"`
	F3                 averageResponse `json:"f3"`
	F23                averageResponse `json:"f23"`
	Base               averageResponse `json:"base"`
}

func average(a gme.Average) averageResponse {
	out := averageResponse{Count: a.Count}
	if a.Set {
		v := a.Value
		out.Value = &v
	}
	return out
}

// gmeAverages serves GET /api/v1/gme/averages?month=&market=&kind=&series=&pod=:
// the monthly averages of one price series by ARERA band F1, F2, F3, F23
// and over every interval. They are arithmetic, or weighted by the loaded
// curve of pod when given. The defaults are market MGP, kind Prezzi
// (hourly) and series PUN.
func (h *handler) gmeAverages(w http.ResponseWriter, r *http.Request, caller Principal) {
	p := &params{q: r.URL.Query()}
	if !companyMatches(p, caller) {
		writeError(w, http.StatusNotFound, "company not found")
		return
	}
	opts, kindName := averagerOptions(p)
	pod := strings.ToUpper(p.str("pod"))
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}

	prices, err := h.Store.Prices(r.Context(), store.PriceFilter{Company: caller.ID, Market: opts.Market, Kind: kindName,
		Zone: opts.Series, Days: store.DateRange{From: opts.Month.First(), To: opts.Month.Last()}})
	if err != nil {
		h.storeError(w, r, "GME prices", err)
		return
	}
	if pod != "" {
		if opts.Curve, err = podCurve(r, h.Store, caller.ID, pod, opts.Month); err != nil {
			h.storeError(w, r, "POD curve", err)
			return
		}
	}

	avg := gme.NewBandAverager(opts)
	for _, pr := range prices {
		avg.Add(priceRecord(pr, opts.Kind))
	}
	res := avg.Result()
	writeJSON(w, http.StatusOK, bandAveragesResponse{Month: opts.Month.String(), Market: opts.Market, Kind: kindName,
		Series: opts.Series, POD: pod, Weighted: res.Weighted, MissingConsumption: res.MissingConsumption,
		F1: average(res.F1), F2: average(res.F2), F3: average(res.F3), F23: average(res.F23), Base: average(res.Base)})
}

// averagerOptions reads month, market, kind and series with their
// defaults, and returns the kind's element name too.
func averagerOptions(p *params) (gme.AveragerOptions, string) {
	opts := gme.AveragerOptions{Month: p.month("month"), Market: p.str("market"), Series: p.str("series"), Kind: gme.KindPrices}
	if p.err == nil && opts.Month.IsZero() {
		p.fail("month", "", "a month as yyyy-mm")
	}
	if opts.Market == "" {
		opts.Market = "MGP"
	}
	if opts.Series == "" {
		opts.Series = "PUN"
	}
	kindName := p.str("kind")
	switch kindName {
	case "", gme.KindPrices.String():
		kindName = gme.KindPrices.String()
	case gme.KindPrices15.String():
		opts.Kind = gme.KindPrices15
	default:
		p.fail("kind", kindName, "Prezzi or Prezzi15")
	}
	return opts, kindName
}

// podCurve returns the newest active-energy (Ea) quarter-hours of pod in
// month as a weighting curve. Slots without a value or with a malformed
// one are left out, so their prices count as missing consumption.
func podCurve(r *http.Request, st store.Store, company store.CompanyID, pod string, month civil.Month) (gme.Curve, error) {
	days, err := st.Curve(r.Context(), company, pod, store.DateRange{From: month.First(), To: month.Last()}, true)
	if err != nil {
		return nil, err
	}
	var intervals []gme.Interval
	for _, d := range days {
		if d.KindName != "Ea" {
			continue
		}
		for _, slot := range d.Slots {
			if !slot.Set || slot.Start.IsZero() {
				continue
			}
			kWh, err := itnum.ParseLoose(slot.Text)
			if err != nil {
				continue
			}
			intervals = append(intervals, gme.Interval{Start: slot.Start, KWh: kWh})
		}
	}
	return gme.NewIntervalCurve(intervals), nil
}

// priceRecord turns one stored value back into a GME row of one field.
func priceRecord(p store.Price, kind gme.Kind) *gme.Record {
	f := gme.Field{Name: p.Zone, Text: p.Text, Empty: p.Text == "", Line: p.Line}
	if v, err := decimal.NewFromString(p.Value); err == nil && p.Value != "" {
		f.Value, f.Valid = v, true
	}
	return &gme.Record{Kind: kind, Element: p.Kind, Date: p.Day, Market: p.Market, Period: p.Period,
		Start: p.Start, End: p.End, Fields: []gme.Field{f}, Line: p.Line}
}

// praValues serves GET /api/v1/pra?area=&from=&to=&offset=&limit=: the
// stored PRA values, newest load's value of each key.
func (h *handler) praValues(w http.ResponseWriter, r *http.Request, caller Principal) {
	ds := h.Store
	p := &params{q: r.URL.Query()}
	if !companyMatches(p, caller) {
		writeError(w, http.StatusNotFound, "company not found")
		return
	}
	f := store.PRAFilter{Company: caller.ID, Area: p.str("area"), Days: p.dateRange(), Page: p.page()}
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	values, total, err := ds.PRAValues(r.Context(), f)
	if err != nil {
		h.storeError(w, r, "PRA values", err)
		return
	}
	if values == nil {
		values = []store.PRAValue{}
	}
	writeJSON(w, http.StatusOK, listResponse[store.PRAValue]{Items: values, Total: total, Offset: f.Page.Offset, Limit: f.Page.Limit})
}
