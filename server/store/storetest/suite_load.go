package storetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
)

var (
	jan2026   = civil.Month{Year: 2026, Month: time.January}
	march2026 = civil.Month{Year: 2026, Month: time.March}
	oct2026   = civil.Month{Year: 2026, Month: time.October}
)

func testLoadRoundTrip(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "acme")
	data, sum := Original(7, 5000)
	r1 := HourlyRecord(POD(1), jan2026, 1)
	r2 := HourlyRecord(POD(2), jan2026, 2)
	before := time.Now().Add(-time.Second)
	l := load(t, s, co, "IT001_PDO_202601.xml", data, Header("PDO"), item{rec: r1}, item{rec: r2})

	assert.Equal(t, store.StatusLoaded, l.Status)
	assert.Equal(t, 2, l.RecordsLoaded)
	assert.Equal(t, 0, l.RecordsRejected)
	assert.Equal(t, "PDO", l.FlowCode)
	assert.Equal(t, sum, l.SHA256)
	assert.Equal(t, int64(len(data)), l.Size)
	assert.Equal(t, "IT001_PDO_202601.xml", l.Name)
	assert.Equal(t, "inbox/IT001_PDO_202601.xml", l.Path)
	assert.Equal(t, "01234567890", l.SellerVAT)
	assert.Equal(t, "09876543210", l.DistributorVAT)
	assert.Equal(t, "DP0001", l.DispatchingContract)
	assert.True(t, l.StartedAt.After(before), "started %v", l.StartedAt)
	assert.False(t, l.FinishedAt.Before(l.StartedAt))

	o, got := readOriginal(t, s, co, l.ID)
	assert.Equal(t, data, got)
	assert.Equal(t, "IT001_PDO_202601.xml", o.Name)
	assert.Equal(t, sum, o.SHA256)

	recs, total, err := s.SearchRecords(ctx, store.RecordFilter{Company: co, POD: POD(1)})
	require.NoError(t, err)
	assert.Equal(t, 1, total)
	require.Len(t, recs, 1)
	assert.Equal(t, "2026-01", recs[0].Competence)
	assert.Equal(t, civil.Date{Year: 2026, Month: time.January, Day: 1}, recs[0].Date)
	assert.Equal(t, flows.Periodic, recs[0].Family)
	require.NotNil(t, recs[0].MonthYear)
	assert.Equal(t, "01/2026", *recs[0].MonthYear)
	assert.Nil(t, recs[0].MeasureDate)
	assert.Equal(t, store.RecordRef{Load: l.ID, Seq: 1}, recs[0].RecordRef)

	days, err := s.Curve(ctx, co, POD(2), store.DateRange{}, false)
	require.NoError(t, err)
	require.Len(t, days, 31)
	d5 := days[4]
	assert.Equal(t, civil.Date{Year: 2026, Month: time.January, Day: 5}, d5.Day)
	assert.Equal(t, "Ea", d5.KindName)
	require.Len(t, d5.Slots, 96)
	want := r2.Measure.Curves[4]
	for n := 1; n <= 96; n++ {
		text, _ := want.E(n)
		assert.Equal(t, text, d5.Slots[n-1].Text, "E%d", n)
	}
	rome := civil.Rome
	assert.True(t, time.Date(2026, 1, 5, 0, 0, 0, 0, rome).Equal(d5.Slots[0].Start))
	assert.True(t, time.Date(2026, 1, 5, 23, 45, 0, 0, rome).Equal(d5.Slots[95].Start))

	ranged, err := s.Curve(ctx, co, POD(2), store.DateRange{From: civil.Date{Year: 2026, Month: 1, Day: 10},
		To: civil.Date{Year: 2026, Month: 1, Day: 12}}, false)
	require.NoError(t, err)
	assert.Len(t, ranged, 3)

	readings, err := s.Readings(ctx, co, POD(1), store.DateRange{})
	require.NoError(t, err)
	require.Len(t, readings, 1)
	assert.Equal(t, store.ReadingMeasure, readings[0].Kind)
	assert.Equal(t, r1.Measure.Registers.Ea[0].Text, readings[0].Registers["EaF1"])
	assert.Equal(t, r1.Measure.Registers.Ea[2].Text, readings[0].Registers["EaF3"])
	require.NotNil(t, readings[0].XSIType)
	assert.Equal(t, "DettaglioMisuraPDOv2Type", *readings[0].XSIType)

	tech, err := s.Technical(ctx, co, POD(1))
	require.NoError(t, err)
	require.Len(t, tech, 1)
	assert.Equal(t, "NORD", tech[0].Fields["PuntoDispacciamento"])
	assert.Equal(t, "O", tech[0].Fields["Trattamento"])
	_, has := tech[0].Fields["Ka"]
	assert.False(t, has, "absent DatiPdp elements have no key")
}

func testValuesDistinct(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "v")
	r := HourlyRecord(POD(3), jan2026, 3)
	c := &r.Measure.Curves[0]
	c.SetE(1, "0,000")
	c.SetE(2, "")
	c.UnsetE(3)
	c.SetE(4, "1.234,567")
	regs := &r.Measure.Registers
	regs.Ea[0] = flows.V("0,000")
	regs.Ea[1] = flows.V("")
	regs.Ea[2] = flows.Value{}
	regs.EaM = flows.V("000123,400")
	data, _ := Original(3, 200)
	load(t, s, co, "v.xml", data, Header("PDO"), item{rec: r})

	days, err := s.Curve(ctx, co, POD(3), store.DateRange{To: civil.Date{Year: 2026, Month: 1, Day: 1}}, false)
	require.NoError(t, err)
	require.Len(t, days, 1)
	slots := days[0].Slots
	assert.Equal(t, store.Slot{N: 1, Text: "0,000", Set: true}, withoutStart(slots[0]))
	assert.Equal(t, store.Slot{N: 2, Text: "", Set: true}, withoutStart(slots[1]))
	assert.Equal(t, store.Slot{N: 3}, withoutStart(slots[2]))
	assert.True(t, slots[2].Start.IsZero(), "an absent slot has no instant")
	assert.Equal(t, "1.234,567", slots[3].Text)

	rd, err := s.Readings(ctx, co, POD(3), store.DateRange{})
	require.NoError(t, err)
	require.Len(t, rd, 1)
	v, ok := rd[0].Registers["EaF1"]
	assert.True(t, ok)
	assert.Equal(t, "0,000", v)
	v, ok = rd[0].Registers["EaF2"]
	assert.True(t, ok, "an empty register is kept")
	assert.Equal(t, "", v)
	_, ok = rd[0].Registers["EaF3"]
	assert.False(t, ok, "an absent register has no key")
	assert.Equal(t, "000123,400", rd[0].Registers["EaM"], "text is kept as read")
	assert.Nil(t, rd[0].ObstacleCause)
}

func withoutStart(s store.Slot) store.Slot {
	s.Start = time.Time{}
	return s
}

func testCurveDST(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "dst")
	data, _ := Original(4, 100)
	load(t, s, co, "march.xml", data, Header("PDO"), item{rec: HourlyRecord(POD(4), march2026, 4)})
	data2, _ := Original(5, 100)
	load(t, s, co, "oct.xml", data2, Header("PDO"), item{rec: HourlyRecord(POD(4), oct2026, 4)})
	rome := civil.Rome

	spring := civil.Date{Year: 2026, Month: time.March, Day: 29}
	days, err := s.Curve(ctx, co, POD(4), store.DateRange{From: spring, To: spring}, false)
	require.NoError(t, err)
	require.Len(t, days, 1)
	require.NotNil(t, days[0].Dst)
	assert.Equal(t, "1", *days[0].Dst)
	var starts []time.Time
	for _, sl := range days[0].Slots {
		if sl.Set {
			starts = append(starts, sl.Start)
		}
	}
	require.Len(t, starts, 92)
	assert.True(t, time.Date(2026, 3, 29, 1, 45, 0, 0, rome).Equal(starts[7]), "E8 %v", starts[7])
	assert.True(t, time.Date(2026, 3, 29, 3, 0, 0, 0, rome).Equal(starts[8]), "E13 %v", starts[8])
	assert.True(t, time.Date(2026, 3, 29, 23, 45, 0, 0, rome).Equal(starts[91]))

	autumn := civil.Date{Year: 2026, Month: time.October, Day: 25}
	days, err = s.Curve(ctx, co, POD(4), store.DateRange{From: autumn, To: autumn}, false)
	require.NoError(t, err)
	require.Len(t, days, 2)
	assert.Equal(t, "2", *days[0].Dst)
	assert.Equal(t, "3", *days[1].Dst)
	first, second := days[0].Slots, days[1].Slots
	require.Len(t, first, 12)
	require.Len(t, second, 96)
	// The repeated hour 02:00–03:00 comes first in summer time (UTC+2),
	// then in winter time (UTC+1).
	assert.Equal(t, time.Date(2026, 10, 25, 0, 0, 0, 0, time.UTC), first[8].Start, "Dst 2 E9")
	assert.Equal(t, time.Date(2026, 10, 25, 1, 0, 0, 0, time.UTC), second[8].Start, "Dst 3 E9")
	assert.Equal(t, time.Date(2026, 10, 25, 2, 0, 0, 0, time.UTC), second[12].Start, "Dst 3 E13")
	assert.False(t, second[0].Set, "Dst 3 E1 absent")
	seen := map[time.Time]bool{}
	for _, sl := range append(append([]store.Slot{}, first...), second...) {
		if sl.Set {
			assert.False(t, seen[sl.Start], "instant %v twice", sl.Start)
			seen[sl.Start] = true
		}
	}
	assert.Len(t, seen, 100)
}

func testRecordAnomalies(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "an")
	warn := anomaly.Anomaly{Code: "010", Rule: "R5", Severity: anomaly.Warning, Level: anomaly.RecordLevel,
		File: "a.xml", Line: 12, Key: POD(5), Field: "Ea/E9", Value: "x", Message: "odd value"}
	block := anomaly.Anomaly{Code: "904", Rule: "R17", Severity: anomaly.Blocking, Level: anomaly.RecordLevel,
		File: "a.xml", Line: 40, Key: POD(6), Field: "MeseAnno", Value: "13/2026", Message: "invalid month"}
	data, _ := Original(5, 300)
	tx, err := s.BeginLoad(ctx, info(co, "a.xml", data))
	require.NoError(t, err)
	stored, err := tx.AddRecord(ctx, Header("PDO"), HourlyRecord(POD(5), jan2026, 5), anomaly.List{warn})
	require.NoError(t, err)
	assert.True(t, stored)
	stored, err = tx.AddRecord(ctx, nil, HourlyRecord(POD(6), jan2026, 6), anomaly.List{block})
	require.NoError(t, err)
	assert.False(t, stored)
	l, err := tx.Commit(ctx)
	require.NoError(t, err)

	assert.Equal(t, store.StatusLoadedWithAnomalies, l.Status)
	assert.Equal(t, 1, l.RecordsLoaded)
	assert.Equal(t, 1, l.RecordsRejected)
	assert.Equal(t, 2, l.AnomalyCount)
	assert.Equal(t, 1, l.BlockingCount)
	list, total, err := s.Anomalies(ctx, co, l.ID, store.Page{})
	require.NoError(t, err)
	assert.Equal(t, 2, total)
	assert.Equal(t, []anomaly.Anomaly{warn, block}, list)
	page, _, err := s.Anomalies(ctx, co, l.ID, store.Page{Offset: 1, Limit: 1})
	require.NoError(t, err)
	assert.Equal(t, []anomaly.Anomaly{block}, page)

	_, n, err := s.SearchRecords(ctx, store.RecordFilter{Company: co, POD: POD(6)})
	require.NoError(t, err)
	assert.Zero(t, n, "a record with a blocking anomaly is not stored")
	_, n, err = s.SearchRecords(ctx, store.RecordFilter{Company: co, POD: POD(5)})
	require.NoError(t, err)
	assert.Equal(t, 1, n)
}

func testFileLevelReject(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "rej")
	data, _ := Original(6, 300)
	tx, err := s.BeginLoad(ctx, info(co, "bad.xml", data))
	require.NoError(t, err)
	_, err = tx.AddRecord(ctx, Header("PDO"), HourlyRecord(POD(7), jan2026, 7), nil)
	require.NoError(t, err)
	fileAnomaly := anomaly.Anomaly{Code: "001", Rule: "name", Severity: anomaly.Blocking,
		Level: anomaly.FileLevel, File: "bad.xml", Message: "file name does not match the content"}
	require.NoError(t, tx.AddAnomalies(ctx, anomaly.List{fileAnomaly}))
	l, err := tx.Commit(ctx)
	require.NoError(t, err)

	assert.Equal(t, store.StatusRejected, l.Status)
	assert.Equal(t, 0, l.RecordsLoaded)
	assert.Equal(t, 1, l.RecordsRejected)
	_, n, err := s.SearchRecords(ctx, store.RecordFilter{Company: co})
	require.NoError(t, err)
	assert.Zero(t, n)
	days, err := s.Curve(ctx, co, POD(7), store.DateRange{}, false)
	require.NoError(t, err)
	assert.Empty(t, days)
	_, got := readOriginal(t, s, co, l.ID)
	assert.Equal(t, data, got, "a rejected file's original downloads")

	// Only rejected records and none loaded: rejected too.
	data2, _ := Original(66, 300)
	blocking := anomaly.List{{Code: "904", Severity: anomaly.Blocking, Key: POD(8), Message: "bad"}}
	l2 := load(t, s, co, "all-bad.xml", data2, Header("PDO"), item{HourlyRecord(POD(8), jan2026, 8), blocking})
	assert.Equal(t, store.StatusRejected, l2.Status)
}

func testDuplicate(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "dup")
	data, sum := Original(8, 4000)
	first := load(t, s, co, "a.xml", data, Header("PDO"), item{rec: HourlyRecord(POD(9), jan2026, 9)})

	_, err := s.BeginLoad(ctx, info(co, "copy-of-a.xml", data))
	var dup *store.DuplicateError
	require.ErrorAs(t, err, &dup)
	assert.ErrorIs(t, err, store.ErrDuplicate)
	assert.Equal(t, first.ID, dup.Of)
	assert.Equal(t, store.StatusDuplicate, dup.Load.Status)
	assert.Equal(t, first.ID, dup.Load.DuplicateOf)
	assert.Equal(t, "copy-of-a.xml", dup.Load.Name)
	assert.Equal(t, sum, dup.Load.SHA256)

	got, err := s.Load(ctx, co, dup.Load.ID)
	require.NoError(t, err)
	assert.Equal(t, store.StatusDuplicate, got.Status)
	o, b := readOriginal(t, s, co, dup.Load.ID)
	assert.Equal(t, data, b)
	assert.Equal(t, "copy-of-a.xml", o.Name, "a duplicate downloads under its own name")
	_, n, err := s.SearchRecords(ctx, store.RecordFilter{Company: co})
	require.NoError(t, err)
	assert.Equal(t, 1, n, "the duplicate loads nothing")

	// A third copy repeats the first load, not the duplicate.
	_, err = s.BeginLoad(ctx, info(co, "again.xml", data))
	require.ErrorAs(t, err, &dup)
	assert.Equal(t, first.ID, dup.Of)

	// Another company loading the same bytes is no duplicate.
	other := company(t, s, "other")
	l := load(t, s, other, "a.xml", data, Header("PDO"))
	assert.Equal(t, store.StatusLoaded, l.Status)

}

func testHashMismatch(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "h")
	data, _ := Original(9, 100)
	in := info(co, "a.xml", data)
	in.SHA256 = SHA256([]byte("something else"))
	_, err := s.BeginLoad(ctx, in)
	assert.ErrorIs(t, err, store.ErrHashMismatch)

	in = info(co, "a.xml", data)
	in.Size = 5
	_, err = s.BeginLoad(ctx, in)
	assert.ErrorIs(t, err, store.ErrHashMismatch)

	in = info(co, "a.xml", data)
	in.SHA256 = "ABC"
	_, err = s.BeginLoad(ctx, in)
	assert.ErrorIs(t, err, store.ErrInvalid)

	_, err = s.BeginLoad(ctx, info(co+100, "a.xml", data))
	assert.ErrorIs(t, err, store.ErrNotFound, "unknown company")

	in = info(co, "a.xml", data)
	in.Original = &errReader{}
	_, err = s.BeginLoad(ctx, in)
	assert.ErrorContains(t, err, "disk read failed")

	loads, n, err := s.ListLoads(ctx, store.LoadFilter{Company: co})
	require.NoError(t, err)
	assert.Zero(t, n)
	assert.Empty(t, loads)
}

func testRollback(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "rb")
	data, _ := Original(10, 2000)
	tx, err := s.BeginLoad(ctx, info(co, "a.xml", data))
	require.NoError(t, err)
	for i := range 50 {
		_, err := tx.AddRecord(ctx, Header("PDO"), HourlyRecord(POD(100+i), jan2026, i), nil)
		require.NoError(t, err)
	}
	id := tx.ID()
	require.NoError(t, tx.Rollback(ctx))

	_, err = s.Load(ctx, co, id)
	assert.ErrorIs(t, err, store.ErrNotFound)
	_, _, err = s.OpenOriginal(ctx, co, id)
	assert.ErrorIs(t, err, store.ErrNotFound)
	_, n, err := s.SearchRecords(ctx, store.RecordFilter{Company: co})
	require.NoError(t, err)
	assert.Zero(t, n)
	days, err := s.Curve(ctx, co, POD(100), store.DateRange{}, false)
	require.NoError(t, err)
	assert.Empty(t, days)

	// The same bytes load again, as a first load and not a duplicate.
	l := load(t, s, co, "a.xml", data, Header("PDO"), item{rec: HourlyRecord(POD(100), jan2026, 0)})
	assert.Equal(t, store.StatusLoaded, l.Status)
}

func testTxDone(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "done")
	data, _ := Original(11, 100)
	tx, err := s.BeginLoad(ctx, info(co, "a.xml", data))
	require.NoError(t, err)
	_, err = tx.Commit(ctx)
	require.NoError(t, err)
	_, err = tx.AddRecord(ctx, nil, HourlyRecord(POD(1), jan2026, 1), nil)
	assert.ErrorIs(t, err, store.ErrTxDone)
	_, err = tx.Commit(ctx)
	assert.ErrorIs(t, err, store.ErrTxDone)
	assert.ErrorIs(t, tx.Rollback(ctx), store.ErrTxDone)
	assert.ErrorIs(t, tx.AddAnomalies(ctx, nil), store.ErrTxDone)
	_, err = tx.AddRecord(ctx, nil, nil, nil)
	assert.Error(t, err)
}

func testTenantIsolation(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	a := company(t, s, "a")
	b := company(t, s, "b")
	data, _ := Original(12, 100)
	l := load(t, s, a, "a.xml", data, Header("PDO"), item{rec: HourlyRecord(POD(20), jan2026, 20)})
	require.NoError(t, s.PutRegistryEntry(ctx, store.RegistryEntry{Company: a, POD: POD(20),
		ValidFrom: civil.Date{Year: 2026, Month: 1, Day: 1}, SiteCode: "S1"}))

	_, err := s.Load(ctx, b, l.ID)
	assert.ErrorIs(t, err, store.ErrNotFound)
	_, _, err = s.OpenOriginal(ctx, b, l.ID)
	assert.ErrorIs(t, err, store.ErrNotFound)
	_, _, err = s.Anomalies(ctx, b, l.ID, store.Page{})
	assert.ErrorIs(t, err, store.ErrNotFound)
	loads, n, err := s.ListLoads(ctx, store.LoadFilter{Company: b})
	require.NoError(t, err)
	assert.Zero(t, n)
	assert.Empty(t, loads)
	recs, n, err := s.SearchRecords(ctx, store.RecordFilter{Company: b, POD: POD(20)})
	require.NoError(t, err)
	assert.Zero(t, n)
	assert.Empty(t, recs)
	_, n, err = s.SearchRecords(ctx, store.RecordFilter{Company: b, Site: "S1"})
	require.NoError(t, err)
	assert.Zero(t, n)
	days, err := s.Curve(ctx, b, POD(20), store.DateRange{}, false)
	require.NoError(t, err)
	assert.Empty(t, days)
	rd, err := s.Readings(ctx, b, POD(20), store.DateRange{})
	require.NoError(t, err)
	assert.Empty(t, rd)
	tech, err := s.Technical(ctx, b, POD(20))
	require.NoError(t, err)
	assert.Empty(t, tech)
	reg, err := s.RegistryEntries(ctx, b, POD(20))
	require.NoError(t, err)
	assert.Empty(t, reg)
}

// isDuplicate reports whether err is a DuplicateError.
func isDuplicate(err error) bool {
	var dup *store.DuplicateError
	return errors.As(err, &dup)
}

func testCancelledLoad(t *testing.T, f Factory) {
	s, _ := open(t, f)
	co := company(t, s, "cancel")
	data, _ := Original(13, 1000)
	ctx, cancel := context.WithCancel(ctxT(t))
	defer cancel()
	tx, err := s.BeginLoad(ctx, info(co, "a.xml", data))
	require.NoError(t, err)
	for i := range 100 {
		if i == 70 {
			cancel()
		}
		if _, err = tx.AddRecord(ctx, Header("PDO"), HourlyRecord(POD(i), jan2026, i), nil); err != nil {
			break
		}
	}
	if err == nil {
		_, err = tx.Commit(ctx)
	}
	require.Error(t, err, "a cancelled load must not commit")
	assert.ErrorIs(t, tx.Rollback(context.Background()), store.ErrTxDone, "a failed load is already rolled back")

	// The store stays usable and nothing of the cancelled load remains.
	bg := ctxT(t)
	_, n, err := s.ListLoads(bg, store.LoadFilter{Company: co})
	require.NoError(t, err)
	assert.Zero(t, n)
	_, n, err = s.SearchRecords(bg, store.RecordFilter{Company: co})
	require.NoError(t, err)
	assert.Zero(t, n)
	l := load(t, s, co, "a.xml", data, Header("PDO"), item{rec: HourlyRecord(POD(1), jan2026, 1)})
	assert.Equal(t, store.StatusLoaded, l.Status)
}

func testLargeOriginal(t *testing.T, f Factory) {
	s, _ := open(t, f)
	co := company(t, s, "large")
	// Random bytes do not compress, so the stored copy is as large as the
	// file itself.
	data := make([]byte, 3<<20)
	_, err := rand.Read(data)
	require.NoError(t, err)
	l := load(t, s, co, "big.zip", data, nil)
	assert.Equal(t, int64(len(data)), l.Size)
	o, got := readOriginal(t, s, co, l.ID)
	assert.Equal(t, "big.zip", o.Name)
	assert.True(t, bytes.Equal(data, got), "the original downloads byte for byte")
}
