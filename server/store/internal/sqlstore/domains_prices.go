package sqlstore

import (
	"context"
	"sort"

	"github.com/bludispatcher/dispatcher/server/store"
)

// Prices returns the GME values of a day range; see store.DomainStore.
// Rows come newest load first, so the first value of each key wins.
func (s *Store) Prices(ctx context.Context, f store.PriceFilter) ([]store.Price, error) {
	const op = "prices"
	var w where
	w.add("company_id = ?", int64(f.Company))
	if f.Market != "" {
		w.add("market = ?", f.Market)
	}
	if f.Kind != "" {
		w.add("kind = ?", f.Kind)
	}
	if f.Zone != "" {
		w.add("zone = ?", f.Zone)
	}
	addDateRange(&w, "day", f.Days)
	rows, err := s.read.Query(ctx, s.q(`SELECT load_id, seq, market, kind, day, period, start_at, end_at,
		zone, text, value, line FROM gme_prices`+w.String()+" ORDER BY load_id DESC, seq, field_seq"), w.args...)
	if err != nil {
		return nil, s.wrap(op, err)
	}
	defer rows.Close()

	type key struct {
		market, kind, day, zone string
		period                  int
	}
	seen := map[key]bool{}
	var out []store.Price
	for rows.Next() {
		var p store.Price
		var load, start, end int64
		var day string
		if err := rows.Scan(&load, &p.Seq, &p.Market, &p.Kind, &day, &p.Period, &start, &end,
			&p.Zone, &p.Text, &p.Value, &p.Line); err != nil {
			return nil, s.wrap(op, err)
		}
		k := key{p.Market, p.Kind, day, p.Zone, p.Period}
		if seen[k] {
			continue
		}
		seen[k] = true
		if p.Day, err = parseStoredDate(day); err != nil {
			return nil, s.wrap(op, err)
		}
		p.Load = store.LoadID(load)
		p.Start, p.End = fromMicros(start), fromMicros(end)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap(op, err)
	}

	sortPrices(out)
	return out, nil
}

// PRAValues returns the PRA values that match f; see store.DomainStore.
//
// NOTE: the newest value of each key is chosen in Go, so every matching
// row is read before the page is cut; memory grows with the filter's
// range, not with the page.
func (s *Store) PRAValues(ctx context.Context, f store.PRAFilter) ([]store.PRAValue, int, error) {
	const op = "PRA values"
	var w where
	w.add("company_id = ?", int64(f.Company))
	if f.Area != "" {
		w.add("area = ?", f.Area)
	}
	addDateRange(&w, "day", f.Days)
	rows, err := s.read.Query(ctx, s.q(`SELECT load_id, seq, line, area, distributor_vat, day, resolution,
		period, start_at, end_at, energy_kwh, energy_text FROM pra_values`+w.String()+
		" ORDER BY load_id DESC, seq"), w.args...)
	if err != nil {
		return nil, 0, s.wrap(op, err)
	}
	defer rows.Close()

	type key struct {
		area, distributor, day, resolution string
		period                             int
	}
	seen := map[key]bool{}
	var all []store.PRAValue
	for rows.Next() {
		var v store.PRAValue
		var load, start, end int64
		var day string
		if err := rows.Scan(&load, &v.Seq, &v.Line, &v.Area, &v.DistributorVAT, &day, &v.Resolution,
			&v.Period, &start, &end, &v.EnergyKWh, &v.EnergyText); err != nil {
			return nil, 0, s.wrap(op, err)
		}
		k := key{v.Area, v.DistributorVAT, day, v.Resolution, v.Period}
		if seen[k] {
			continue
		}
		seen[k] = true
		if v.Day, err = parseStoredDate(day); err != nil {
			return nil, 0, s.wrap(op, err)
		}
		v.Load = store.LoadID(load)
		v.Start, v.End = fromMicros(start), fromMicros(end)
		all = append(all, v)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, s.wrap(op, err)
	}

	sortPRAValues(all)

	page := f.Page.Normalize()
	total := len(all)
	if page.Offset >= total {
		return nil, total, nil
	}
	end := min(page.Offset+page.Limit, total)
	return all[page.Offset:end], total, nil
}

// sortPrices orders prices by start, market, kind and zone.
func sortPrices(prices []store.Price) {
	sort.SliceStable(prices, func(i, j int) bool {
		a, b := prices[i], prices[j]
		if !a.Start.Equal(b.Start) {
			return a.Start.Before(b.Start)
		}
		if a.Market != b.Market {
			return a.Market < b.Market
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Zone < b.Zone
	})
}

// sortPRAValues orders values by start, area and distributor.
func sortPRAValues(values []store.PRAValue) {
	sort.SliceStable(values, func(i, j int) bool {
		a, b := values[i], values[j]
		if !a.Start.Equal(b.Start) {
			return a.Start.Before(b.Start)
		}
		if a.Area != b.Area {
			return a.Area < b.Area
		}
		return a.DistributorVAT < b.DistributorVAT
	})
}
