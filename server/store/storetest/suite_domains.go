package storetest

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/gme"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/sii"
)

// testDomains checks the SII, GME and PRA data of DomainStore and DomainTx.
func testDomains(t *testing.T, f Factory) {
	tests := []struct {
		name string
		fn   func(t *testing.T, f Factory)
	}{
		{"RCUPoints", testRCUPoints},
		{"RCURejectedLoadKeepsNoPoints", testRCURejected},
		{"RegistryEntriesInMonth", testRegistryEntriesIn},
		{"PricesNewestLoadWins", testPrices},
		{"PRAValues", testPRAValues},
		{"Invoices", testInvoices},
		{"AddCounts", testAddCounts},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, f) })
	}
}

// domainStore returns s as a DomainStore; every store of the suite is one.
func domainStore(t *testing.T, s store.Store) store.DomainStore {
	t.Helper()
	ds, ok := s.(store.DomainStore)
	require.True(t, ok, "%T does not implement store.DomainStore", s)
	return ds
}

// domainLoad runs add inside one load of a file with the given bytes and
// commits it.
func domainLoad(t *testing.T, s store.Store, co store.CompanyID, name, data string, add func(ctx context.Context, tx store.DomainTx)) store.Load {
	t.Helper()
	ctx := ctxT(t)
	tx, err := s.BeginLoad(ctx, info(co, name, []byte(data)))
	require.NoError(t, err)
	dt, ok := tx.(store.DomainTx)
	require.True(t, ok, "%T does not implement store.DomainTx", tx)
	add(ctx, dt)
	l, err := tx.Commit(ctx)
	require.NoError(t, err)
	return l
}

// rcuRecords reads the records of an extract.
func rcuRecords(t *testing.T, text string) []*sii.RCURecord {
	t.Helper()
	r, err := sii.NewRCUReader(strings.NewReader(text), sii.RCUOptions{})
	require.NoError(t, err)
	var out []*sii.RCURecord
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		require.NoError(t, err)
		out = append(out, rec)
	}
}

const rcuText = "COD_POD;PIVA_DISTR;DATA_INIZIO_FORNITURA;POTCONTRIMP;EXTRA\n" +
	"IT001E00000001;12345678903;01/02/2024;3,0;a\n" +
	"IT001E00000002X;12345678903;;;b\n"

func testRCUPoints(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ds := domainStore(t, s)
	ctx := ctxT(t)
	co, other := company(t, s, "acme"), company(t, s, "other")
	march := civil.Month{Year: 2024, Month: time.March}

	recs := rcuRecords(t, rcuText)
	l := domainLoad(t, s, co, "rcu-202403.csv", rcuText, func(ctx context.Context, tx store.DomainTx) {
		tx.SetFlowCode("RCU")
		for _, rec := range recs {
			ok, err := tx.AddRCURecord(ctx, march, rec, nil)
			require.NoError(t, err)
			assert.True(t, ok)
		}
	})
	assert.Equal(t, store.StatusLoaded, l.Status)
	assert.Equal(t, "RCU", l.FlowCode)
	assert.Equal(t, 2, l.RecordsLoaded)

	points, total, err := ds.RCUPoints(ctx, store.RCUFilter{Company: co, Month: march})
	require.NoError(t, err)
	assert.Equal(t, 2, total)
	require.Len(t, points, 2)
	assert.Equal(t, store.RCUPoint{
		RecordRef: store.RecordRef{Load: l.ID, Seq: 1}, Month: "2024-03", Line: 2,
		POD: "IT001E00000001", PODKey: "IT001E00000001", DistributorVAT: "12345678903",
		SupplyStart: "2024-02-01", CommittedPower: "3",
		Raw: map[string]string{"COD_POD": "IT001E00000001", "PIVA_DISTR": "12345678903",
			"DATA_INIZIO_FORNITURA": "01/02/2024", "POTCONTRIMP": "3,0", "EXTRA": "a"},
	}, points[0])
	assert.Equal(t, "IT001E00000002", points[1].PODKey)
	assert.Equal(t, "", points[1].SupplyStart, "an empty date stays empty")

	one, _, err := ds.RCUPoints(ctx, store.RCUFilter{Company: co, Month: march, POD: "IT001E00000002"})
	require.NoError(t, err)
	require.Len(t, one, 1)
	assert.Equal(t, "IT001E00000002X", one[0].POD)

	back, err := ds.RCURecords(ctx, co, march)
	require.NoError(t, err)
	require.Len(t, back, 2)
	assert.Equal(t, recs[0].SupplyStart, back[0].SupplyStart)
	assert.Equal(t, recs[0].CommittedPower, back[0].CommittedPower)
	assert.Equal(t, 2, back[0].Line)
	extra, ok := back[1].Get("EXTRA")
	assert.True(t, ok)
	assert.Equal(t, "b", extra)

	// A second extract of the same month replaces the first one.
	second := "COD_POD\nIT001E00000003\n"
	domainLoad(t, s, co, "rcu-202403-bis.csv", second, func(ctx context.Context, tx store.DomainTx) {
		_, err := tx.AddRCURecord(ctx, march, rcuRecords(t, second)[0], nil)
		require.NoError(t, err)
	})
	points, total, err = ds.RCUPoints(ctx, store.RCUFilter{Company: co, Month: march})
	require.NoError(t, err)
	assert.Equal(t, 1, total)
	require.Len(t, points, 1)
	assert.Equal(t, "IT001E00000003", points[0].POD)

	months, err := ds.RCUMonths(ctx, co)
	require.NoError(t, err)
	assert.Equal(t, []civil.Month{march}, months)

	points, total, err = ds.RCUPoints(ctx, store.RCUFilter{Company: other, Month: march})
	require.NoError(t, err)
	assert.Zero(t, total, "another company sees no points")
	assert.Empty(t, points)
	months, err = ds.RCUMonths(ctx, other)
	require.NoError(t, err)
	assert.Empty(t, months)
}

func testRCURejected(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ds := domainStore(t, s)
	co := company(t, s, "acme")
	march := civil.Month{Year: 2024, Month: time.March}
	blocking := anomaly.List{{Code: sii.CodeRCUPOD, Severity: anomaly.Blocking, Level: anomaly.RecordLevel, Message: "empty POD"}}
	fileLevel := anomaly.List{{Code: sii.CodeRCUParse, Severity: anomaly.Blocking, Level: anomaly.FileLevel, Message: "broken"}}

	recs := rcuRecords(t, rcuText)
	l := domainLoad(t, s, co, "rcu-202403.csv", rcuText, func(ctx context.Context, tx store.DomainTx) {
		stored, err := tx.AddRCURecord(ctx, march, recs[0], nil)
		require.NoError(t, err)
		assert.True(t, stored)
		stored, err = tx.AddRCURecord(ctx, march, recs[1], blocking)
		require.NoError(t, err)
		assert.False(t, stored)
		require.NoError(t, tx.(store.LoadTx).AddAnomalies(ctx, fileLevel))
	})
	assert.Equal(t, store.StatusRejected, l.Status)
	assert.Equal(t, 2, l.RecordsRejected)
	points, total, err := ds.RCUPoints(ctxT(t), store.RCUFilter{Company: co, Month: march})
	require.NoError(t, err)
	assert.Zero(t, total)
	assert.Empty(t, points)

	_, _, err = ds.RCUPoints(ctxT(t), store.RCUFilter{Company: co})
	assert.ErrorIs(t, err, store.ErrInvalid, "the month is required")
}

func testRegistryEntriesIn(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ds := domainStore(t, s)
	ctx := ctxT(t)
	co := company(t, s, "acme")
	d := func(y int, m time.Month, day int) civil.Date { return civil.Date{Year: y, Month: m, Day: day} }
	for _, e := range []store.RegistryEntry{
		{Company: co, POD: "IT001E00000001", ValidFrom: d(2024, 1, 1)},
		{Company: co, POD: "IT001E00000002", ValidFrom: d(2023, 1, 1), ValidTo: d(2024, 2, 29)},
		{Company: co, POD: "IT001E00000002", ValidFrom: d(2024, 3, 31)},
		{Company: co, POD: "IT001E00000003", ValidFrom: d(2024, 4, 1)},
	} {
		require.NoError(t, s.PutRegistryEntry(ctx, e))
	}
	got, err := ds.RegistryEntriesIn(ctx, co, civil.Month{Year: 2024, Month: time.March})
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "IT001E00000001", got[0].POD)
	assert.Equal(t, "IT001E00000002", got[1].POD)
	assert.Equal(t, d(2024, 3, 31), got[1].ValidFrom, "the entry that ended in February is left out")
}

// gmeDay is an hourly price file of 2 hours of one day.
func gmeDay(pun1 string) string {
	return `<?xml version="1.0" standalone="yes"?><NewDataSet>` +
		`<Prezzi><Data>20251001</Data><Mercato>MGP</Mercato><Ora>1</Ora><PUN>` + pun1 + `</PUN><NORD>90,5</NORD></Prezzi>` +
		`<Prezzi><Data>20251001</Data><Mercato>MGP</Mercato><Ora>2</Ora><PUN>102,000000</PUN><NORD></NORD></Prezzi>` +
		`</NewDataSet>`
}

func gmeRecords(t *testing.T, text string) []*gme.Record {
	t.Helper()
	r := gme.NewReader(strings.NewReader(text))
	var out []*gme.Record
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		require.NoError(t, err)
		out = append(out, rec)
	}
}

func testPrices(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ds := domainStore(t, s)
	ctx := ctxT(t)
	co := company(t, s, "acme")
	for i, pun := range []string{"101,010000", "111,000000"} {
		text := gmeDay(pun)
		domainLoad(t, s, co, "prices"+string(rune('a'+i))+".xml", text, func(ctx context.Context, tx store.DomainTx) {
			for _, rec := range gmeRecords(t, text) {
				_, err := tx.AddPrice(ctx, rec, nil)
				require.NoError(t, err)
			}
		})
	}
	oct1 := civil.Date{Year: 2025, Month: time.October, Day: 1}
	prices, err := ds.Prices(ctx, store.PriceFilter{Company: co, Days: store.DateRange{From: oct1, To: oct1}})
	require.NoError(t, err)
	require.Len(t, prices, 4, "two hours of PUN and NORD, the newest load only")
	assert.Equal(t, "NORD", prices[0].Zone)
	assert.Equal(t, "90.5", prices[0].Value)
	assert.Equal(t, "PUN", prices[1].Zone)
	assert.Equal(t, "111,000000", prices[1].Text)
	assert.Equal(t, "111", prices[1].Value)
	assert.Equal(t, time.Date(2025, 9, 30, 22, 0, 0, 0, time.UTC), prices[1].Start)
	assert.Equal(t, time.Date(2025, 9, 30, 23, 0, 0, 0, time.UTC), prices[1].End)
	assert.Equal(t, "", prices[2].Text, "an empty element stays empty")
	assert.Equal(t, "", prices[2].Value)

	pun, err := ds.Prices(ctx, store.PriceFilter{Company: co, Market: "MGP", Kind: "Prezzi", Zone: "PUN"})
	require.NoError(t, err)
	assert.Len(t, pun, 2)
	none, err := ds.Prices(ctx, store.PriceFilter{Company: co, Days: store.DateRange{From: oct1.AddDays(1)}})
	require.NoError(t, err)
	assert.Empty(t, none)
}

func testPRAValues(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ds := domainStore(t, s)
	ctx := ctxT(t)
	co := company(t, s, "acme")
	text := "AREA_RIF;DATA;ORA;ENERGIA\nA1;01/03/2024;2;5,5\nA1;01/03/2024;1;4\nA2;01/03/2024;1;;\n"
	r, err := sii.NewPRAReader(strings.NewReader(text), sii.DefaultPRAProfile())
	require.NoError(t, err)
	domainLoad(t, s, co, "pra.csv", text, func(ctx context.Context, tx store.DomainTx) {
		for {
			rec, err := r.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			require.NoError(t, err)
			_, err = tx.AddPRAValue(ctx, rec, nil)
			require.NoError(t, err)
		}
	})
	values, total, err := ds.PRAValues(ctx, store.PRAFilter{Company: co, Area: "A1"})
	require.NoError(t, err)
	assert.Equal(t, 2, total)
	require.Len(t, values, 2)
	assert.Equal(t, 1, values[0].Period, "ordered by start")
	assert.Equal(t, "4", values[0].EnergyKWh)
	assert.Equal(t, "hour", values[0].Resolution)
	assert.Equal(t, "5.5", values[1].EnergyKWh)
	assert.Equal(t, "5,5", values[1].EnergyText)

	// Hour 1 of A1 and of A2 start together, so area orders them.
	page, total, err := ds.PRAValues(ctx, store.PRAFilter{Company: co, Page: store.Page{Offset: 1, Limit: 1}})
	require.NoError(t, err)
	assert.Equal(t, 3, total)
	require.Len(t, page, 1)
	assert.Equal(t, "A2", page[0].Area)
	assert.Equal(t, "", page[0].EnergyKWh, "a missing energy stays empty")
}

func testAddCounts(t *testing.T, f Factory) {
	s, _ := open(t, f)
	co := company(t, s, "acme")
	l := domainLoad(t, s, co, "lines.csv", "a;b\n1;2\n", func(_ context.Context, tx store.DomainTx) {
		tx.AddCounts(4, 1)
		tx.AddCounts(1, 0)
	})
	assert.Equal(t, 5, l.RecordsLoaded)
	assert.Equal(t, 1, l.RecordsRejected)
	assert.Equal(t, store.StatusLoaded, l.Status)

	l = domainLoad(t, s, co, "bad.csv", "x\n", func(_ context.Context, tx store.DomainTx) {
		tx.AddCounts(0, 2)
	})
	assert.Equal(t, store.StatusRejected, l.Status, "rejected rows and none loaded")
}
