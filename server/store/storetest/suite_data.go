package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
)

// correction builds a correction DatiPod of an hourly POD.
func correction(pod string, m civil.Month, kind string, seed int) *flows.Record {
	r := HourlyRecord(pod, m, seed)
	r.CorrectionType = flows.V(kind)
	r.DetectionDate = flows.V("15/02/2026")
	r.Reason = flows.V("1")
	return r
}

func testCorrections(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "rett")
	d1, _ := Original(20, 100)
	orig := load(t, s, co, "pdo.xml", d1, Header("PDO"), item{rec: HourlyRecord(POD(30), jan2026, 1)})
	d2, _ := Original(21, 100)
	c1 := load(t, s, co, "rfo1.xml", d2, Header("RFO"), item{rec: correction(POD(30), jan2026, "P", 2)})
	d3, _ := Original(22, 100)
	c2 := load(t, s, co, "rfo2.xml", d3, Header("RFO"),
		item{rec: correction(POD(30), jan2026, "P", 3)},
		item{rec: correction(POD(30), jan2026, "S", 4)})

	all, err := s.Corrections(ctx, co, POD(30), false)
	require.NoError(t, err)
	require.Len(t, all, 3)
	first, second, other := all[0], all[1], all[2]
	assert.Equal(t, store.RecordRef{Load: c1.ID, Seq: 1}, first.Record.RecordRef)
	assert.Equal(t, "2026-01", first.Competence)
	assert.Equal(t, "P", first.Type)
	require.NotNil(t, first.Replaces)
	assert.Equal(t, store.RecordRef{Load: orig.ID, Seq: 1}, first.Replaces.RecordRef, "the first correction replaces the measure")
	assert.Equal(t, "PDO", first.Replaces.FlowCode)
	assert.False(t, first.Current)

	assert.Equal(t, store.RecordRef{Load: c2.ID, Seq: 1}, second.Record.RecordRef)
	require.NotNil(t, second.Replaces)
	assert.Equal(t, first.Record.RecordRef, second.Replaces.RecordRef, "a correction replaces the previous one")
	assert.True(t, second.Current)
	require.NotNil(t, second.Record.CorrectionType)
	assert.Equal(t, "P", *second.Record.CorrectionType)

	assert.Equal(t, "S", other.Type)
	assert.True(t, other.Current, "another TipoRettifica is another key")
	require.NotNil(t, other.Replaces)
	assert.Equal(t, orig.ID, other.Replaces.Load)

	current, err := s.Corrections(ctx, co, POD(30), true)
	require.NoError(t, err)
	require.Len(t, current, 2)
	assert.Equal(t, second.Record.RecordRef, current[0].Record.RecordRef)
	assert.Equal(t, other.Record.RecordRef, current[1].Record.RecordRef)

	// The curve keeps every version; latestOnly keeps the newest load's.
	days, err := s.Curve(ctx, co, POD(30), store.DateRange{From: jan2026.First(), To: jan2026.First()}, false)
	require.NoError(t, err)
	assert.Len(t, days, 4)
	latest, err := s.Curve(ctx, co, POD(30), store.DateRange{From: jan2026.First(), To: jan2026.First()}, true)
	require.NoError(t, err)
	require.Len(t, latest, 1)
	assert.Equal(t, c2.ID, latest[0].Load)

	// A correction with nothing before it replaces nothing.
	d4, _ := Original(23, 100)
	load(t, s, co, "rno.xml", d4, Header("RNO"), item{rec: correction(POD(31), jan2026, "P", 5)})
	lone, err := s.Corrections(ctx, co, POD(31), false)
	require.NoError(t, err)
	require.Len(t, lone, 1)
	assert.Nil(t, lone[0].Replaces)
}

func testSwitching(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "sw")
	r := &flows.Record{
		POD:          flows.V(POD(40)),
		ServiceDate:  flows.V("01/02/2026"),
		PracticeCode: flows.V("123456789012345"),
		StartDate:    flows.V("01/02/2026"),
		Pdp: flows.Pdp{Set: true, Voltage: flows.V("230"), CommittedPower: flows.V("3,0"),
			Ka: flows.V("1"), Extra: []flows.Element{{Name: "Nuovo", XML: "<Nuovo>x</Nuovo>"}}},
	}
	data, _ := Original(30, 100)
	l := load(t, s, co, "sof.xml", data, Header("SOF"), item{rec: r})

	sw, err := s.Switching(ctx, co, POD(40))
	require.NoError(t, err)
	require.Len(t, sw, 1)
	assert.Equal(t, store.SwitchingFunctional, sw[0].Kind)
	assert.Equal(t, l.ID, sw[0].Record.Load)
	require.NotNil(t, sw[0].Record.PracticeCode)
	assert.Equal(t, "123456789012345", *sw[0].Record.PracticeCode)
	assert.Equal(t, civil.Date{Year: 2026, Month: time.February, Day: 1}, sw[0].Record.Date)
	assert.Equal(t, "2026-02-01", sw[0].Record.Competence)

	tech, err := s.Technical(ctx, co, POD(40))
	require.NoError(t, err)
	require.Len(t, tech, 1)
	assert.Equal(t, map[string]string{"Tensione": "230", "PotImp": "3,0", "Ka": "1", "Nuovo": "<Nuovo>x</Nuovo>"},
		tech[0].Fields)

	hist := HourlyRecord(POD(40), jan2026, 6)
	data2, _ := Original(31, 100)
	load(t, s, co, "sos.xml", data2, Header("SOS"), item{rec: hist})
	sw, err = s.Switching(ctx, co, POD(40))
	require.NoError(t, err)
	require.Len(t, sw, 2)
	assert.Equal(t, store.SwitchingHistorical, sw[0].Kind, "ordered by date: January first")
	assert.Equal(t, store.SwitchingFunctional, sw[1].Kind)
}

func testConsumptions(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "cons")
	r := &flows.Record{
		POD:       flows.V(POD(50)),
		MonthYear: flows.V("01/2026"),
		Consumption: &flows.Measure{Element: "Consumo", PeriodStart: flows.V("01/01/2026"),
			DataType: flows.V("S")},
		ConsumptionStD: &flows.StDConsumption{Ea: [3]flows.Value{flows.V("10,000"), flows.V(""), {}}},
	}
	r.Consumption.Registers.EaM = flows.V("123,000")
	data, _ := Original(40, 100)
	load(t, s, co, "s2g.xml", data, Header("S2G"), item{rec: r})

	cons, err := s.Consumptions(ctx, co, POD(50), store.DateRange{})
	require.NoError(t, err)
	require.Len(t, cons, 2)
	assert.Equal(t, store.ReadingConsumption, cons[0].Kind)
	assert.Equal(t, map[string]string{"EaM": "123,000"}, cons[0].Registers)
	require.NotNil(t, cons[0].PeriodStart)
	assert.Equal(t, "01/01/2026", *cons[0].PeriodStart)
	assert.Equal(t, store.ReadingConsumptionStD, cons[1].Kind)
	assert.Equal(t, map[string]string{"EaF1_StD": "10,000", "EaF2_StD": ""}, cons[1].Registers)
	readings, err := s.Readings(ctx, co, POD(50), store.DateRange{})
	require.NoError(t, err)
	assert.Empty(t, readings, "consumptions are not measures")

	m := &flows.Record{
		POD:         flows.V(POD(51)),
		MeasureDate: flows.V("10/03/2026"),
		Removal: &flows.MeterChange{MeasureDate: flows.V("10/03/2026"), ActiveMeter: flows.V("OLD1"),
			Ka: flows.V("1")},
		Installation: &flows.MeterChange{MeasureDate: flows.V("10/03/2026"), ActiveMeter: flows.V("NEW1")},
	}
	m.Removal.Registers.Ea[0] = flows.V("5000,000")
	data2, _ := Original(41, 100)
	load(t, s, co, "smis.xml", data2, Header("SMIS"), item{rec: m})
	readings, err = s.Readings(ctx, co, POD(51), store.DateRange{From: civil.Date{Year: 2026, Month: 3, Day: 10}})
	require.NoError(t, err)
	require.Len(t, readings, 2)
	assert.Equal(t, store.ReadingInstallation, readings[0].Kind)
	assert.Equal(t, "NEW1", readings[0].Meter["MatrAtt"])
	assert.Equal(t, store.ReadingRemoval, readings[1].Kind)
	assert.Equal(t, map[string]string{"DataMisura": "10/03/2026", "MatrAtt": "OLD1", "Ka": "1"}, readings[1].Meter)
	assert.Equal(t, "5000,000", readings[1].Registers["EaF1"])
	sw, err := s.Switching(ctx, co, POD(51))
	require.NoError(t, err)
	require.Len(t, sw, 1)
	assert.Equal(t, store.SwitchingMeter, sw[0].Kind)
}

func testListLoads(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "list")
	var ids []store.LoadID
	for i := range 5 {
		data, _ := Original(50+i, 100)
		code := "PDO"
		if i%2 == 1 {
			code = "PNO"
		}
		ids = append(ids, load(t, s, co, "f.xml", data, Header(code)).ID)
	}
	data, _ := Original(50, 100)
	_, err := s.BeginLoad(ctx, info(co, "again.xml", data))
	require.True(t, isDuplicate(err), "got %v", err)

	all, n, err := s.ListLoads(ctx, store.LoadFilter{Company: co})
	require.NoError(t, err)
	assert.Equal(t, 6, n)
	require.Len(t, all, 6)
	assert.True(t, all[0].ID > all[5].ID, "newest first")

	_, n, err = s.ListLoads(ctx, store.LoadFilter{Company: co, FlowCode: "PNO"})
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	_, n, err = s.ListLoads(ctx, store.LoadFilter{Company: co, FlowCodes: []string{"PNO", "PDO"}})
	require.NoError(t, err)
	assert.Equal(t, 5, n, "a list of flow codes selects any of them")
	_, n, err = s.ListLoads(ctx, store.LoadFilter{Company: co, FlowCodes: []string{"RFO", "PNO"}})
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	dups, n, err := s.ListLoads(ctx, store.LoadFilter{Company: co, Statuses: []store.LoadStatus{store.StatusDuplicate}})
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	require.Len(t, dups, 1)
	assert.Equal(t, ids[0], dups[0].DuplicateOf)
	_, n, err = s.ListLoads(ctx, store.LoadFilter{Company: co,
		Statuses: []store.LoadStatus{store.StatusLoaded, store.StatusDuplicate}})
	require.NoError(t, err)
	assert.Equal(t, 6, n)

	page, n, err := s.ListLoads(ctx, store.LoadFilter{Company: co, Page: store.Page{Offset: 2, Limit: 2}})
	require.NoError(t, err)
	assert.Equal(t, 6, n, "the total ignores paging")
	require.Len(t, page, 2)
	assert.Equal(t, all[2].ID, page[0].ID)

	future := time.Now().Add(time.Hour)
	_, n, err = s.ListLoads(ctx, store.LoadFilter{Company: co, Started: store.TimeRange{From: future}})
	require.NoError(t, err)
	assert.Zero(t, n)
	_, n, err = s.ListLoads(ctx, store.LoadFilter{Company: co, Started: store.TimeRange{To: future}})
	require.NoError(t, err)
	assert.Equal(t, 6, n)
	_, n, err = s.ListLoads(ctx, store.LoadFilter{Company: co, SHA256: SHA256(data)})
	require.NoError(t, err)
	assert.Equal(t, 2, n)
}

func testSearchRecords(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "search")
	data, _ := Original(60, 100)
	l := load(t, s, co, "jan.xml", data, Header("PDO"),
		item{rec: HourlyRecord(POD(60), jan2026, 1)}, item{rec: HourlyRecord(POD(61), jan2026, 2)})
	data2, _ := Original(61, 100)
	load(t, s, co, "mar.xml", data2, Header("PDO2G"), item{rec: HourlyRecord(POD(60), march2026, 3)})
	require.NoError(t, s.PutRegistryEntry(ctx, store.RegistryEntry{Company: co, POD: POD(61),
		ValidFrom: civil.Date{Year: 2025, Month: 1, Day: 1}, SiteCode: "MI-01"}))

	tests := []struct {
		name string
		f    store.RecordFilter
		want int
	}{
		{"all", store.RecordFilter{}, 3},
		{"pod", store.RecordFilter{POD: POD(60)}, 2},
		{"site", store.RecordFilter{Site: "MI-01"}, 1},
		{"month", store.RecordFilter{Month: march2026}, 1},
		{"flow", store.RecordFilter{FlowCode: "PDO"}, 2},
		{"load", store.RecordFilter{Load: l.ID}, 2},
		{"dates", store.RecordFilter{Dates: store.DateRange{From: civil.Date{Year: 2026, Month: 2, Day: 1}}}, 1},
		{"dates to", store.RecordFilter{Dates: store.DateRange{To: civil.Date{Year: 2026, Month: 1, Day: 31}}}, 2},
		{"nothing", store.RecordFilter{POD: "IT000E00000000"}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.f.Company = co
			recs, n, err := s.SearchRecords(ctx, tc.f)
			require.NoError(t, err)
			assert.Equal(t, tc.want, n)
			assert.Len(t, recs, tc.want)
		})
	}
	page, n, err := s.SearchRecords(ctx, store.RecordFilter{Company: co, Page: store.Page{Limit: 1, Offset: 2}})
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	require.Len(t, page, 1)
	assert.Equal(t, "2026-03", page[0].Competence, "ordered by date")
}

func testRegistry(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "reg")
	e := store.RegistryEntry{Company: co, POD: POD(70), ValidFrom: civil.Date{Year: 2025, Month: 1, Day: 1},
		ValidTo: civil.Date{Year: 2025, Month: 12, Day: 31}, SiteCode: "S1", SiteName: "Sede Milano",
		CustomerCode: "C1", CustomerName: "Rossi SpA", CustomerTaxCode: "01234567890",
		BillingCustomerKey: "BC-1", BillingContractKey: "CT-1", BillingSiteKey: "BS-1"}
	require.NoError(t, s.PutRegistryEntry(ctx, e))
	e2 := e
	e2.ValidFrom, e2.ValidTo, e2.CustomerName = civil.Date{Year: 2026, Month: 1, Day: 1}, civil.Date{}, "Bianchi Srl"
	require.NoError(t, s.PutRegistryEntry(ctx, e2))
	e.SiteName = "Sede Milano Nord"
	require.NoError(t, s.PutRegistryEntry(ctx, e), "putting the same key replaces the entry")

	got, err := s.RegistryEntries(ctx, co, POD(70))
	require.NoError(t, err)
	require.Len(t, got, 2)
	got[0].UpdatedAt, got[1].UpdatedAt = time.Time{}, time.Time{}
	assert.Equal(t, e, got[0])
	assert.Equal(t, e2, got[1])

	assert.ErrorIs(t, s.PutRegistryEntry(ctx, store.RegistryEntry{Company: co, POD: POD(70)}), store.ErrInvalid)
	assert.ErrorIs(t, s.PutRegistryEntry(ctx, store.RegistryEntry{Company: co + 100, POD: POD(70),
		ValidFrom: e.ValidFrom}), store.ErrNotFound)
}
