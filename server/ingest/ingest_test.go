package ingest

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/sqlite"
)

// flowPNO is a generated monthly flow of one POD, for seller 12345678901.
const flowPNO = `<?xml version="1.0" encoding="utf-8"?>
<FlussoMisure xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" CodFlusso="PNO">
  <IdentificativiFlusso>
    <PIvaUtente>12345678901</PIvaUtente>
    <PIvaDistributore>01234567890</PIvaDistributore>
    <CodContrDisp>DP0001</CodContrDisp>
  </IdentificativiFlusso>
  <DatiPod>
    <Pod>IT001E00000042</Pod>
    <DataMisura>31/01/2013</DataMisura>
    <DatiPdp>
      <Trattamento>F</Trattamento>
      <Tensione>400</Tensione>
      <Forfait>NO</Forfait>
      <GruppoMis>SI</GruppoMis>
      <Ka>1,000</Ka>
      <Kr>1,000</Kr>
      <Kp>1,000</Kp>
    </DatiPdp>
    <Misura xsi:type="DettaglioMisuraNOv2Type">
      <Raccolta>P</Raccolta>
      <TipoDato>E</TipoDato>
      <Validato>S</Validato>
      <PotMax>6,000</PotMax>
      <EaF1>101,000</EaF1>
      <EaF2>82,500</EaF2>
      <EaF3>140,250</EaF3>
      <ErF1>12,000</ErF1>
      <ErF2>9,000</ErF2>
      <ErF3>15,500</ErF3>
      <PotF1>6,000</PotF1>
      <PotF2>4,500</PotF2>
      <PotF3>3,000</PotF3>
    </Misura>
  </DatiPod>
</FlussoMisure>
`

const flowName = "01234567890_12345678901_201301_PNO_20130218060523_1DP0001_R.xml"

// fixture is an Ingester on a fresh SQLite store with one company.
type fixture struct {
	in     *Ingester
	st     store.Store
	target Target
	log    *bytes.Buffer
}

func newFixture(t *testing.T, vat string) *fixture {
	t.Helper()
	dir := t.TempDir()
	st, err := sqlite.Open(context.Background(), filepath.Join(dir, "d.db"))
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	co, err := st.CreateCompany(context.Background(), store.Company{Code: "acme", Name: "Acme", VAT: vat})
	require.NoError(t, err)
	loaders, err := NewRegistry(&FlowsLoader{Options: flows.ValidateOptions{Disabled: []string{"R14"}}})
	require.NoError(t, err)
	var logBuf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return &fixture{
		in: New(st, loaders, log, Options{Owner: "test", ClaimTTL: 3 * time.Second}),
		st: st,
		target: Target{
			Company: Company{ID: co.ID, Code: "acme", VAT: vat},
			Inboxes: []Inbox{{Kind: KindFlows, Dir: filepath.Join(dir, "inbox")}},
			Archive: filepath.Join(dir, "archive"),
		},
		log: &logBuf,
	}
}

func (f *fixture) inbox() string { return f.target.Inboxes[0].Dir }

func TestScanWaitsForStableFile(t *testing.T) {
	f := newFixture(t, "")
	ctx := context.Background()
	path := filepath.Join(f.inbox(), flowName)
	writeFile(t, path, flowPNO[:100])

	rep, err := f.in.Scan(ctx, f.target, 0)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Waiting, "first look")

	writeFile(t, path, flowPNO) // still being written
	rep, err = f.in.Scan(ctx, f.target, 0)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Waiting, "size changed since the first look")
	assert.Empty(t, rep.Files)

	rep, err = f.in.Scan(ctx, f.target, 0)
	require.NoError(t, err)
	require.Len(t, rep.Files, 1)
	assert.Equal(t, 1, rep.Loaded)
	assert.NoFileExists(t, path)
	assert.NotEmpty(t, rep.Files[0].ArchivedTo)
	assert.FileExists(t, rep.Files[0].ArchivedTo)
}

func TestScanSkipsFileClaimedElsewhere(t *testing.T) {
	f := newFixture(t, "")
	ctx := context.Background()
	path := filepath.Join(f.inbox(), flowName)
	writeFile(t, path, flowPNO)
	cands, _, err := List(f.inbox(), 2)
	require.NoError(t, err)
	require.Len(t, cands, 1)
	cands[0].Kind = KindFlows
	sum, err := hashFile(path)
	require.NoError(t, err)
	_, err = f.st.Claim(ctx, store.ClaimRequest{
		Company: f.target.Company.ID, Path: claimKey(cands[0]), SHA256: sum,
		Owner: "other-instance", TTL: time.Minute,
	})
	require.NoError(t, err)

	rep, err := f.in.Scan(ctx, f.target, time.Millisecond)
	require.NoError(t, err)
	require.Len(t, rep.Files, 1)
	assert.Equal(t, OutcomeSkipped, rep.Files[0].Outcome)
	assert.Contains(t, rep.Files[0].Reason, "another instance")
	assert.FileExists(t, path, "the other instance loads and moves it")
}

func TestLoaderRejectsOtherCompanyFile(t *testing.T) {
	f := newFixture(t, "99999999999")
	path := filepath.Join(f.inbox(), flowName)
	writeFile(t, path, flowPNO)
	rep, err := f.in.Scan(context.Background(), f.target, time.Millisecond)
	require.NoError(t, err)
	require.Equal(t, 1, rep.Rejected)
	l := rep.Files[0].Loads[0]
	anomalies, _, err := f.st.Anomalies(context.Background(), f.target.Company.ID, l.ID, store.Page{})
	require.NoError(t, err)
	require.Len(t, anomalies, 1)
	assert.Equal(t, RuleOtherCompany, anomalies[0].Rule)
	assert.Equal(t, "PIvaUtente", anomalies[0].Field)
	assert.Equal(t, "12345678901", anomalies[0].Value)
}

func TestLoadFilesKeepsFilesInPlace(t *testing.T) {
	f := newFixture(t, "12345678901")
	path := filepath.Join(t.TempDir(), flowName)
	writeFile(t, path, flowPNO)
	t.Cleanup(func() { os.Remove(path) })
	target := f.target
	target.Archive = ""
	var seen []FileReport
	rep, err := f.in.LoadFiles(context.Background(), target, KindFlows, []string{path, path + ".missing"}, func(r FileReport) {
		seen = append(seen, r)
	})
	require.NoError(t, err)
	require.Len(t, seen, 2, "progress after each file")
	assert.Equal(t, 1, rep.Loaded)
	assert.Equal(t, 1, rep.Failed)
	assert.Equal(t, OutcomeFailed, seen[1].Outcome)
	assert.FileExists(t, path)
	assert.Contains(t, f.log.String(), "file load failed")
}

func TestRegistryRejectsTwoLoadersOfOneKind(t *testing.T) {
	_, err := NewRegistry(&FlowsLoader{}, &FlowsLoader{})
	require.Error(t, err)
	r, err := NewRegistry(&FlowsLoader{})
	require.NoError(t, err)
	assert.Equal(t, []string{KindFlows}, r.Kinds())
	_, ok := r.Loader("gme")
	assert.False(t, ok)
}

func TestSpoolSpillsLargeDocuments(t *testing.T) {
	small, err := newSpool(bytes.NewReader([]byte("abc")), t.TempDir())
	require.NoError(t, err)
	defer small.Close()
	assert.Nil(t, small.file)
	assert.Equal(t, int64(3), small.size)

	data := bytes.Repeat([]byte("x"), spoolInMemory+10)
	big, err := newSpool(bytes.NewReader(data), t.TempDir())
	require.NoError(t, err)
	defer big.Close()
	assert.NotNil(t, big.file)
	assert.Equal(t, int64(len(data)), big.size)
	var back bytes.Buffer
	_, err = back.ReadFrom(big.Reader())
	require.NoError(t, err)
	assert.Equal(t, data, back.Bytes(), "read twice, same bytes")
	_, err = back.ReadFrom(big.Reader())
	require.NoError(t, err)
	assert.Equal(t, 2*len(data), back.Len())
}

func TestIgnoredFileLoggedOnce(t *testing.T) {
	f := newFixture(t, "")
	writeFile(t, filepath.Join(f.inbox(), "notes.txt"), "x")
	for i := 0; i < 3; i++ {
		rep, err := f.in.Scan(context.Background(), f.target, 0)
		require.NoError(t, err)
		assert.Equal(t, 1, rep.Ignored)
	}
	assert.Equal(t, 1, strings.Count(f.log.String(), `level=INFO msg="file ignored"`))
	assert.Equal(t, 2, strings.Count(f.log.String(), `level=DEBUG msg="file ignored"`))
}
