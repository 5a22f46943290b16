package switching_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/flows/flowgen"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/internal/itnum"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/sqlite"
	"github.com/bludispatcher/dispatcher/server/switching"
)

// The generated switch: POD 0 of every generated file passes to the
// company on 1 October 2025 under practice code SII100000000000, so its
// reading is dated 30 September 2025.
var (
	switchMonth = civil.Month{Year: 2025, Month: time.October}
	switchDay   = switchMonth.First()
)

// recordingExporter keeps the switches queued for billing: completed
// events in events, withdrawn ones in withdrawn.
type recordingExporter struct {
	mu        sync.Mutex
	events    []store.Switch
	withdrawn []store.RecordRef
}

func (e *recordingExporter) QueueSwitchCompleted(_ context.Context, sw store.Switch) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.events = append(e.events, sw)
	return nil
}

// QueueSwitchWithdrawn accepts only the starting reading of a completed
// event it recorded, as the store does.
func (e *recordingExporter) QueueSwitchWithdrawn(_ context.Context, _ store.Switch, completed store.RecordRef) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, ev := range e.events {
		if ev.Data.Reading != nil && ev.Data.Reading.Record == completed {
			e.withdrawn = append(e.withdrawn, completed)
			return nil
		}
	}
	return store.ErrNotFound
}

func (e *recordingExporter) listWithdrawn() []store.RecordRef {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]store.RecordRef(nil), e.withdrawn...)
}

func (e *recordingExporter) list() []store.Switch {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]store.Switch(nil), e.events...)
}

// env is a temporary SQLite store with one company and a service.
type env struct {
	t        *testing.T
	ctx      context.Context
	st       store.Store
	co       store.CompanyID
	svc      *switching.Service
	exporter *recordingExporter
	now      time.Time
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "switching.db"))
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	co, err := st.CreateCompany(ctx, store.Company{Code: "acme", Name: "Acme Energia", VAT: "01234567897"})
	require.NoError(t, err)
	e := &env{t: t, ctx: ctx, st: st, co: co.ID, exporter: &recordingExporter{},
		now: time.Date(2025, 10, 20, 9, 0, 0, 0, time.UTC)}
	e.svc = switching.New(st, switching.Options{Now: func() time.Time { return e.now }}, nil, e.exporter, nil)
	return e
}

// register puts POD 0 in the billing registry from the switch date.
func (e *env) register() {
	e.t.Helper()
	require.NoError(e.t, e.st.PutRegistryEntry(e.ctx, store.RegistryEntry{Company: e.co, POD: pod0(),
		ValidFrom: switchDay, SiteCode: "S1", CustomerCode: "C1"}))
}

// pod0 returns the POD of the first generated record.
func pod0() string {
	g, _ := flowgen.New(flowgen.Options{FlowCode: "F2G", PODs: 1})
	return g.Record(0).POD.Text
}

const practice0 = "SII100000000000"

// load stores a generated file for the switch month and day, with edit
// applied to each record, and returns the load.
func (e *env) load(opts flowgen.Options, edit func(r *flows.Record)) store.Load {
	e.t.Helper()
	if opts.PODs == 0 {
		opts.PODs = 1
	}
	if opts.Month.IsZero() {
		opts.Month = switchMonth
	}
	if opts.Day.IsZero() {
		opts.Day = switchDay
	}
	opts.Seed = 7
	g, err := flowgen.New(opts)
	require.NoError(e.t, err)
	h := g.Header()

	var recs []*flows.Record
	var buf bytes.Buffer
	w := flows.NewWriter(&buf)
	require.NoError(e.t, w.WriteHeader(h))
	for i := 0; i < g.Len(); i++ {
		r := g.Record(i)
		if edit != nil {
			edit(r)
		}
		recs = append(recs, r)
		require.NoError(e.t, w.Write(r))
	}
	require.NoError(e.t, w.Close())

	data := buf.Bytes()
	sum := sha256.Sum256(data)
	name := g.FileName().String()
	tx, err := e.st.BeginLoad(e.ctx, store.LoadInfo{Company: e.co, Name: name, Path: "inbox/" + name,
		Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), FlowCode: opts.FlowCode,
		Original: bytes.NewReader(data)})
	require.NoError(e.t, err)
	for _, r := range recs {
		_, err := tx.AddRecord(e.ctx, h, r, nil)
		require.NoError(e.t, err)
	}
	l, err := tx.Commit(e.ctx)
	require.NoError(e.t, err)
	return l
}

// loadAndValidate stores a file and runs the post-load validation.
func (e *env) loadAndValidate(opts flowgen.Options, edit func(r *flows.Record)) []store.Switch {
	e.t.Helper()
	l := e.load(opts, edit)
	out, err := e.svc.ValidateLoad(e.ctx, e.co, l)
	require.NoError(e.t, err)
	return out
}

// actual makes the switching reading an actual one (TipoDato E).
func actual(r *flows.Record) {
	r.Measure.DataType = flows.V("E")
	r.Measure.ObstacleCause = flows.Value{}
}

// loadComplete loads the functional and historical data, then the
// switching reading edited by edit, and returns the switch.
func (e *env) loadComplete(edit func(r *flows.Record)) store.Switch {
	e.t.Helper()
	e.loadAndValidate(flowgen.Options{FlowCode: "F2G"}, nil)
	e.loadAndValidate(flowgen.Options{FlowCode: "S2G"}, nil)
	out := e.loadAndValidate(flowgen.Options{FlowCode: "SNM2G"}, func(r *flows.Record) {
		actual(r)
		if edit != nil {
			edit(r)
		}
	})
	require.Len(e.t, out, 1)
	return out[0]
}

// codesOf returns the codes of a switch's reasons.
func codesOf(sw store.Switch) []string {
	out := []string{}
	for _, r := range sw.Reasons {
		out = append(out, r.Code)
	}
	return out
}

// addKWh adds kWh whole kilowatt-hours to a register text.
func addKWh(t *testing.T, register string, kWh int64) string {
	t.Helper()
	d, err := itnum.Parse(register, itnum.Numeric12v3)
	require.NoError(t, err)
	return itnum.FormatDecimal(d.Add(decimal.NewFromInt(kWh)), 3)
}

// wholeKWh parses a decimal with a point and drops its fraction.
func wholeKWh(t *testing.T, s string) int64 {
	t.Helper()
	d, err := decimal.NewFromString(s)
	require.NoError(t, err)
	return d.IntPart()
}
