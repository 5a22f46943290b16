package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
)

// RunBilling runs the conformance suite of store.Billing: the registry a
// billing system pushes and the export queue it pulls.
func RunBilling(t *testing.T, f Factory) {
	tests := []struct {
		name string
		fn   func(t *testing.T, f Factory)
	}{
		{"CompanyDetails", testCompanyDetails},
		{"RegistryEntities", testRegistryEntities},
		{"RegistryInvalid", testRegistryInvalid},
		{"RegistryTechnical", testRegistryTechnical},
		{"RegistryDispatching", testRegistryDispatching},
		{"RegistryMunicipalityCode", testRegistryMunicipalityCode},
		{"RegistryPODKey", testRegistryPODKey},
		{"RegistryPODCase", testRegistryPODCase},
		{"SiteSearchAfterUpdate", testSiteSearch},
		{"ExportQueue", testExportQueue},
		{"ExportCorrectionLink", testExportCorrectionLink},
		{"ExportSwitching", testExportSwitching},
		{"ExportIsolation", testExportIsolation},
		{"ExportLogFilters", testExportLogFilters},
		{"ExportConcurrentAcknowledge", testExportConcurrentAcknowledge},
		{"ExportSwitchEventAfterData", testExportSwitchEventAfterData},
		{"ExportReexportCursor", testExportReexportCursor},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, f) })
	}
}

func day(y int, m time.Month, d int) civil.Date { return civil.Date{Year: y, Month: m, Day: d} }

func testCompanyDetails(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "det")
	d := store.CompanyDetails{Company: co, Name: "Det Energia SpA", VAT: "11111111111", BillingKey: "AZ-1",
		Validity: store.Validity{From: day(2024, 1, 1), To: day(2026, 12, 31)}}
	require.NoError(t, s.UpdateCompanyDetails(ctx, d))
	got, err := s.CompanyDetails(ctx, co)
	require.NoError(t, err)
	assert.False(t, got.UpdatedAt.IsZero())
	got.UpdatedAt = time.Time{}
	assert.Equal(t, d, got)
	c, err := s.Company(ctx, co)
	require.NoError(t, err)
	assert.Equal(t, "Det Energia SpA", c.Name)
	assert.Equal(t, "11111111111", c.VAT)

	d.Company = co + 100
	assert.ErrorIs(t, s.UpdateCompanyDetails(ctx, d), store.ErrNotFound)
	_, err = s.CompanyDetails(ctx, co+100)
	assert.ErrorIs(t, err, store.ErrNotFound)
}

// putRegistry stores customer C1, site S1 and supply point pod under co.
func putRegistry(t *testing.T, s store.Store, co store.CompanyID, pod string) {
	t.Helper()
	ctx := ctxT(t)
	from := day(2025, 1, 1)
	require.NoError(t, s.PutCustomer(ctx, store.Customer{Company: co, Code: "C1", Name: "Rossi SpA",
		TaxCode: "RSSMRA80A01F205X", Validity: store.Validity{From: from}}))
	require.NoError(t, s.PutSite(ctx, store.Site{Company: co, Code: "S1", Customer: "C1", Name: "Sede Milano",
		Address: "Via Roma 1", Municipality: "Milano", Province: "MI", Validity: store.Validity{From: from}}))
	require.NoError(t, s.PutSupplyPoint(ctx, store.SupplyPoint{Company: co, Code: pod, Commodity: store.Electricity,
		Site: "S1", DistributorVAT: "09876543210", DistributorName: "Distribuzione Nord",
		BillingContractKey: "CT-1", BillingSupplyKey: "FO-1", Validity: store.Validity{From: from}}))
}

func testRegistryEntities(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "ana")
	putRegistry(t, s, co, POD(80))

	cust, err := s.Customer(ctx, co, "C1")
	require.NoError(t, err)
	assert.Equal(t, "Rossi SpA", cust.Name)
	site, err := s.Site(ctx, co, "S1")
	require.NoError(t, err)
	assert.Equal(t, "Milano", site.Municipality)
	sp, err := s.SupplyPoint(ctx, co, POD(80))
	require.NoError(t, err)
	assert.Equal(t, store.Electricity, sp.Commodity)
	assert.Equal(t, "Distribuzione Nord", sp.DistributorName)

	entries, err := s.RegistryEntries(ctx, co, POD(80))
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, "S1", entries[0].SiteCode)
	assert.Equal(t, "Sede Milano", entries[0].SiteName)
	assert.Equal(t, "Rossi SpA", entries[0].CustomerName)
	assert.Equal(t, "CT-1", entries[0].BillingContractKey)

	// Closing the supply point with a new start moves its entry.
	sp.Validity = store.Validity{From: day(2025, 3, 1), To: day(2025, 12, 31)}
	require.NoError(t, s.PutSupplyPoint(ctx, sp))
	entries, err = s.RegistryEntries(ctx, co, POD(80))
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, day(2025, 3, 1), entries[0].ValidFrom)
	assert.Equal(t, day(2025, 12, 31), entries[0].ValidTo)

	// A renamed customer is renamed in the entries.
	cust.Name = "Rossi e Figli SpA"
	require.NoError(t, s.PutCustomer(ctx, cust))
	entries, err = s.RegistryEntries(ctx, co, POD(80))
	require.NoError(t, err)
	assert.Equal(t, "Rossi e Figli SpA", entries[0].CustomerName)

	_, err = s.Customer(ctx, co, "C9")
	assert.ErrorIs(t, err, store.ErrNotFound)
	other := company(t, s, "ana2")
	_, err = s.SupplyPoint(ctx, other, POD(80))
	assert.ErrorIs(t, err, store.ErrNotFound, "another company does not see the supply point")
}

func testRegistryInvalid(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "bad")
	from := store.Validity{From: day(2025, 1, 1)}
	assert.ErrorIs(t, s.PutCustomer(ctx, store.Customer{Company: co, Name: "x", Validity: from}), store.ErrInvalid)
	assert.ErrorIs(t, s.PutCustomer(ctx, store.Customer{Company: co, Code: "C1", Name: "x"}), store.ErrInvalid)
	err := s.PutCustomer(ctx, store.Customer{Company: co, Code: "C1", Name: "x",
		Validity: store.Validity{From: day(2025, 2, 1), To: day(2025, 1, 1)}})
	assert.ErrorIs(t, err, store.ErrInvalid)
	assert.ErrorContains(t, err, "ValidTo")
	assert.ErrorIs(t, s.PutSite(ctx, store.Site{Company: co, Code: "S1", Customer: "C9", Validity: from}),
		store.ErrNotFound, "a site needs its customer")
	assert.ErrorIs(t, s.PutSupplyPoint(ctx, store.SupplyPoint{Company: co, Code: POD(1), Commodity: store.Gas,
		Site: "S9", Validity: from}), store.ErrNotFound, "a supply point needs its site")
	assert.ErrorIs(t, s.PutSupplyPoint(ctx, store.SupplyPoint{Company: co, Code: POD(1), Commodity: "water",
		Site: "S1", Validity: from}), store.ErrInvalid)
	assert.ErrorIs(t, s.PutCustomer(ctx, store.Customer{Company: co + 100, Code: "C1", Name: "x", Validity: from}),
		store.ErrNotFound)
}

func testSiteSearch(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "sede")
	data, _ := Original(90, 100)
	load(t, s, co, "pdo.xml", data, Header("PDO"), item{rec: HourlyRecord(POD(81), jan2026, 1)})

	rows, total, err := s.SearchRecords(ctx, store.RecordFilter{Company: co, Site: "S1"})
	require.NoError(t, err)
	assert.Zero(t, total, "no registry yet")
	assert.Empty(t, rows)

	putRegistry(t, s, co, POD(81))
	rows, total, err = s.SearchRecords(ctx, store.RecordFilter{Company: co, Site: "S1"})
	require.NoError(t, err)
	assert.Equal(t, 1, total)
	require.Len(t, rows, 1)
	assert.Equal(t, POD(81), rows[0].POD)

	// Moving the supply point to another site moves the search.
	require.NoError(t, s.PutSite(ctx, store.Site{Company: co, Code: "S2", Customer: "C1", Name: "Sede Torino",
		Validity: store.Validity{From: day(2025, 1, 1)}}))
	sp, err := s.SupplyPoint(ctx, co, POD(81))
	require.NoError(t, err)
	sp.Site = "S2"
	require.NoError(t, s.PutSupplyPoint(ctx, sp))
	_, total, err = s.SearchRecords(ctx, store.RecordFilter{Company: co, Site: "S1"})
	require.NoError(t, err)
	assert.Zero(t, total)
	_, total, err = s.SearchRecords(ctx, store.RecordFilter{Company: co, Site: "S2"})
	require.NoError(t, err)
	assert.Equal(t, 1, total)
}

// pendingSeqs returns the sequences of every pending item, in order.
func pendingSeqs(t *testing.T, s store.Store, co store.CompanyID) []store.ExportItem {
	t.Helper()
	items, err := s.PendingExport(ctxT(t), store.ExportFilter{Company: co, Limit: store.MaxLimit})
	require.NoError(t, err)
	return items
}

func seqsOf(items []store.ExportItem) []int64 {
	out := make([]int64, len(items))
	for i, it := range items {
		out[i] = it.Seq
	}
	return out
}

func kindsOf(items []store.ExportItem) []store.ExportKind {
	out := make([]store.ExportKind, len(items))
	for i, it := range items {
		out[i] = it.Kind
	}
	return out
}

func testExportQueue(t *testing.T, f Factory) {
	s, reopen := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "exp")
	data, _ := Original(91, 100)
	l := load(t, s, co, "pdo.xml", data, Header("PDO"),
		item{rec: HourlyRecord(POD(82), jan2026, 1)}, item{rec: HourlyRecord(POD(83), jan2026, 2)})

	items := pendingSeqs(t, s, co)
	require.Len(t, items, 6, "reading, curve and technical data of two records")
	assert.Equal(t, []store.ExportKind{store.ExportCurve, store.ExportReading, store.ExportTechnical,
		store.ExportCurve, store.ExportReading, store.ExportTechnical}, kindsOf(items))
	for i := 1; i < len(items); i++ {
		assert.Greater(t, items[i].Seq, items[i-1].Seq, "sequences grow")
	}
	assert.Equal(t, store.RecordRef{Load: l.ID, Seq: 1}, items[0].Record)
	assert.Equal(t, POD(82), items[0].POD)
	assert.Equal(t, "PDO", items[0].FlowCode)
	assert.Nil(t, items[0].TakenAt)

	// Paging by sequence and kind.
	page, err := s.PendingExport(ctx, store.ExportFilter{Company: co, After: items[1].Seq, Limit: 2})
	require.NoError(t, err)
	assert.Equal(t, seqsOf(items[2:4]), seqsOf(page))
	page, err = s.PendingExport(ctx, store.ExportFilter{Company: co, Kinds: []store.ExportKind{store.ExportCurve}})
	require.NoError(t, err)
	assert.Equal(t, []int64{items[0].Seq, items[3].Seq}, seqsOf(page))

	// Entities carry their data.
	ents, err := s.ExportEntities(ctx, co, []int64{items[0].Seq, items[1].Seq, items[2].Seq, 999999})
	require.NoError(t, err)
	require.Len(t, ents, 4)
	assert.Len(t, ents[0].Curve, jan2026.Days())
	require.Len(t, ents[1].Readings, 1)
	assert.Equal(t, store.ReadingMeasure, ents[1].Readings[0].Kind)
	assert.Equal(t, "400", ents[2].Technical["Tensione"])
	assert.False(t, ents[3].Found)
	assert.Equal(t, int64(999999), ents[3].Seq)

	// Acknowledged items are not returned again, by this or another instance.
	res, err := s.AcknowledgeExport(ctx, co, []int64{items[0].Seq, items[1].Seq, 999999}, "billing-1")
	require.NoError(t, err)
	assert.Equal(t, []store.ExportResult{{Seq: items[0].Seq, Outcome: store.ExportOK},
		{Seq: items[1].Seq, Outcome: store.ExportOK}, {Seq: 999999, Outcome: store.ExportNotFound}}, res)
	res, err = s.AcknowledgeExport(ctx, co, []int64{items[0].Seq}, "billing-1")
	require.NoError(t, err)
	assert.Equal(t, store.ExportAlreadyTaken, res[0].Outcome)
	s2 := reopen(t)
	assert.Equal(t, seqsOf(items[2:]), seqsOf(pendingSeqs(t, s2, co)))
	taken, err := s2.ExportEntities(ctx, co, []int64{items[0].Seq})
	require.NoError(t, err)
	require.NotNil(t, taken[0].TakenAt)
	assert.Equal(t, "billing-1", taken[0].TakenBy)
	assert.Equal(t, 1, taken[0].Exports)

	// A re-export makes an item pending again with its sequence, offered
	// after every pending item.
	res, err = s.Reexport(ctx, co, []int64{items[0].Seq, items[2].Seq}, "operator")
	require.NoError(t, err)
	assert.Equal(t, store.ExportOK, res[0].Outcome)
	assert.Equal(t, store.ExportNotTaken, res[1].Outcome)
	again := pendingSeqs(t, s, co)
	assert.Equal(t, append(seqsOf(items[2:]), items[0].Seq), seqsOf(again))

	log, total, err := s.ExportLog(ctx, store.ExportLogFilter{Company: co})
	require.NoError(t, err)
	assert.Equal(t, 3, total)
	require.Len(t, log, 3)
	assert.Equal(t, store.ExportActionAcknowledge, log[0].Action)
	assert.Equal(t, "billing-1", log[0].Caller)
	assert.Equal(t, items[0].Seq, log[0].Seq)
	assert.Equal(t, store.ExportCurve, log[0].Kind)
	assert.Equal(t, store.ExportActionReexport, log[2].Action)
	assert.Equal(t, "operator", log[2].Caller)
	assert.False(t, log[2].At.Before(log[0].At))

	_, err = s.AcknowledgeExport(ctx, co, nil, "x")
	assert.ErrorIs(t, err, store.ErrInvalid)
}

func testExportCorrectionLink(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "lnk")
	d1, _ := Original(92, 100)
	orig := load(t, s, co, "pdo.xml", d1, Header("PDO"), item{rec: HourlyRecord(POD(84), jan2026, 1)})
	first := pendingSeqs(t, s, co)
	_, err := s.AcknowledgeExport(ctx, co, seqsOf(first), "billing")
	require.NoError(t, err)

	d2, _ := Original(93, 100)
	load(t, s, co, "rfo.xml", d2, Header("RFO"), item{rec: correction(POD(84), jan2026, "P", 2)})
	items := pendingSeqs(t, s, co)
	require.Len(t, items, 1, "a correction is one item")
	assert.Equal(t, store.ExportCorrection, items[0].Kind)
	ents, err := s.ExportEntities(ctx, co, seqsOf(items))
	require.NoError(t, err)
	e := ents[0]
	require.NotNil(t, e.Replaces)
	assert.Equal(t, store.RecordRef{Load: orig.ID, Seq: 1}, e.Replaces.Record)
	assert.Equal(t, first[0].Seq, e.Replaces.Seq, "linked to the first item of the original")
	assert.NotNil(t, e.Replaces.TakenAt, "the original was exported before")
	assert.NotEmpty(t, e.Readings)
	assert.NotEmpty(t, e.Curve)
	require.NotNil(t, e.Row.CorrectionType)
	assert.Equal(t, "P", *e.Row.CorrectionType)
}

func testExportSwitching(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "swx")
	r := &flows.Record{POD: flows.V(POD(85)), ServiceDate: flows.V("01/02/2026"),
		PracticeCode: flows.V("123456789012345"), StartDate: flows.V("01/02/2026"),
		Pdp: flows.Pdp{Set: true, Voltage: flows.V("230")}}
	data, _ := Original(94, 100)
	load(t, s, co, "sof.xml", data, Header("SOF"), item{rec: r})
	items := pendingSeqs(t, s, co)
	require.Len(t, items, 1)
	assert.Equal(t, store.ExportSwitching, items[0].Kind)
	ents, err := s.ExportEntities(ctx, co, seqsOf(items))
	require.NoError(t, err)
	assert.Equal(t, store.SwitchingFunctional, ents[0].SwitchingKind)
	assert.Equal(t, "230", ents[0].Technical["Tensione"])
}

func testExportIsolation(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	a, b := company(t, s, "isoa"), company(t, s, "isob")
	data, _ := Original(95, 100)
	load(t, s, a, "pdo.xml", data, Header("PDO"), item{rec: HourlyRecord(POD(86), jan2026, 1)})
	items := pendingSeqs(t, s, a)
	require.NotEmpty(t, items)
	assert.Empty(t, pendingSeqs(t, s, b))

	ents, err := s.ExportEntities(ctx, b, seqsOf(items))
	require.NoError(t, err)
	for _, e := range ents {
		assert.False(t, e.Found, "company b reads nothing of a")
	}
	res, err := s.AcknowledgeExport(ctx, b, seqsOf(items), "intruder")
	require.NoError(t, err)
	for _, r := range res {
		assert.Equal(t, store.ExportNotFound, r.Outcome)
	}
	assert.Len(t, pendingSeqs(t, s, a), len(items), "a's items stay pending")
	_, total, err := s.ExportLog(ctx, store.ExportLogFilter{Company: b})
	require.NoError(t, err)
	assert.Zero(t, total)
}

func testExportLogFilters(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "logf")
	data, _ := Original(96, 100)
	load(t, s, co, "pdo.xml", data, Header("PDO"), item{rec: HourlyRecord(POD(87), jan2026, 1)})
	items := pendingSeqs(t, s, co)
	_, err := s.AcknowledgeExport(ctx, co, seqsOf(items), "billing")
	require.NoError(t, err)
	_, err = s.Reexport(ctx, co, seqsOf(items[:1]), "billing")
	require.NoError(t, err)

	log, total, err := s.ExportLog(ctx, store.ExportLogFilter{Company: co, Seq: items[0].Seq})
	require.NoError(t, err)
	assert.Equal(t, 2, total)
	assert.Len(t, log, 2)
	_, total, err = s.ExportLog(ctx, store.ExportLogFilter{Company: co, Action: store.ExportActionReexport})
	require.NoError(t, err)
	assert.Equal(t, 1, total)
	log, total, err = s.ExportLog(ctx, store.ExportLogFilter{Company: co, Page: store.Page{Offset: 1, Limit: 1}})
	require.NoError(t, err)
	assert.Equal(t, len(items)+1, total)
	assert.Len(t, log, 1)
	_, total, err = s.ExportLog(ctx, store.ExportLogFilter{Company: co,
		At: store.TimeRange{To: time.Now().Add(-time.Hour)}})
	require.NoError(t, err)
	assert.Zero(t, total)
}

// testExportConcurrentAcknowledge acknowledges the same items from two
// instances at once: each item is taken exactly once and logged once.
func testExportConcurrentAcknowledge(t *testing.T, f Factory) {
	s, reopen := open(t, f)
	s2 := reopen(t)
	ctx := ctxT(t)
	co := company(t, s, "race")
	data, _ := Original(97, 100)
	load(t, s, co, "pdo.xml", data, Header("PDO"), item{rec: HourlyRecord(POD(88), jan2026, 1)},
		item{rec: HourlyRecord(POD(89), jan2026, 2)})
	items := pendingSeqs(t, s, co)
	require.NotEmpty(t, items)
	seqs := seqsOf(items)

	const rounds = 10
	results := make([][]store.ExportResult, 2)
	errs := make([]error, 2)
	for round := range rounds {
		if round > 0 {
			_, err := s.Reexport(ctx, co, seqs, "operator")
			require.NoError(t, err)
		}
		var wg sync.WaitGroup
		for i, st := range []store.Store{s, s2} {
			wg.Go(func() { results[i], errs[i] = st.AcknowledgeExport(ctx, co, seqs, "billing") })
		}
		wg.Wait()
		require.NoError(t, errs[0])
		require.NoError(t, errs[1])
		for j, seq := range seqs {
			oks := 0
			for i := range results {
				if results[i][j].Outcome == store.ExportOK {
					oks++
				}
			}
			assert.Equal(t, 1, oks, "round %d: item %d acknowledged once", round, seq)
		}
	}

	_, total, err := s.ExportLog(ctx, store.ExportLogFilter{Company: co, Action: store.ExportActionAcknowledge})
	require.NoError(t, err)
	assert.Equal(t, rounds*len(seqs), total, "one acknowledgement logged per item and round")
	ents, err := s.ExportEntities(ctx, co, seqs)
	require.NoError(t, err)
	for _, e := range ents {
		assert.Equal(t, rounds, e.Exports, "item %d", e.Seq)
	}
	assert.Empty(t, pendingSeqs(t, s, co), "no item is lost")
}

// testExportSwitchEventAfterData queues a "switch completed" event before
// anyone has read the queue since its reading was loaded. The event must
// follow the items of that reading, and a later correction of the reading
// must link to the reading's data, not to the event.
func testExportSwitchEventAfterData(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "swev")
	data, _ := Original(98, 100)
	l := load(t, s, co, "snm.xml", data, Header("PDO"), item{rec: HourlyRecord(POD(90), jan2026, 1)})
	ref := store.RecordRef{Load: l.ID, Seq: 1}
	require.NoError(t, s.QueueSwitchCompleted(ctx, store.Switch{Company: co, PracticeCode: "SII100000000090",
		POD: POD(90), Data: store.SwitchData{Reading: &store.SwitchReading{Record: ref, FlowCode: "PDO"}}}))

	items := pendingSeqs(t, s, co)
	require.NotEmpty(t, items)
	last := items[len(items)-1]
	assert.Equal(t, store.ExportSwitchCompleted, last.Kind, "the event comes after the data it was built from")
	_, err := s.AcknowledgeExport(ctx, co, seqsOf(items), "billing")
	require.NoError(t, err)

	d2, _ := Original(99, 100)
	load(t, s, co, "rfo.xml", d2, Header("RFO"), item{rec: correction(POD(90), jan2026, "P", 2)})
	corr := pendingSeqs(t, s, co)
	require.Len(t, corr, 1)
	ents, err := s.ExportEntities(ctx, co, seqsOf(corr))
	require.NoError(t, err)
	require.NotNil(t, ents[0].Replaces)
	assert.Equal(t, ref, ents[0].Replaces.Record)
	var firstData int64
	for _, it := range items {
		if it.Kind != store.ExportSwitchCompleted {
			firstData = it.Seq
			break
		}
	}
	assert.Equal(t, firstData, ents[0].Replaces.Seq, "linked to the first data item of the reading")
}
