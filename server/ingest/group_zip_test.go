package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/reseller"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/sqlite"
)

// groupFixture is an Ingester with a GroupLoader on a fresh SQLite store,
// for a group of two companies. Company acme receives the flows of seller
// 12345678901 on contract DP0001, and company other the RCU rows of
// counterparty 11111111111.
type groupFixture struct {
	in     *Ingester
	loader *GroupLoader
	st     store.Store
	target Target
	dir    string
}

func newGroupFixture(t testing.TB) *groupFixture {
	t.Helper()
	dir := t.TempDir()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "d.db"))
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	co, err := st.CreateCompany(ctx, store.Company{Code: "gruppo", Name: "Gruppo"})
	require.NoError(t, err)

	table := &reseller.Table{Companies: []reseller.Company{
		{ID: "acme", Contracts: []reseller.Contract{{SellerVAT: "12345678901", DispatchingContract: "DP0001"}}},
		{ID: "other", CounterpartyVATs: []string{"11111111111"}},
	}}
	router, err := table.Compile()
	require.NoError(t, err)
	inboxes := map[string]map[reseller.Kind]string{}
	for _, id := range []string{"acme", "other"} {
		inboxes[id] = map[reseller.Kind]string{
			reseller.KindFlow: filepath.Join(dir, id, "flows"),
			reseller.KindRCU:  filepath.Join(dir, id, "rcu"),
			reseller.KindGME:  filepath.Join(dir, id, "gme"),
		}
	}
	archiveDir := filepath.Join(dir, "archive")
	loader := &GroupLoader{
		Groups: map[string]*GroupRoute{"gruppo": {
			Router:     router,
			Staging:    filepath.Join(archiveDir, ".staging"),
			Unassigned: filepath.Join(archiveDir, "unassigned"),
			Inboxes:    inboxes,
		}},
		Flow: reseller.FlowOptions{},
	}
	reg, err := NewRegistry(loader)
	require.NoError(t, err)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	return &groupFixture{
		in:     New(st, reg, log, Options{Owner: "test", ClaimTTL: 3 * time.Second}),
		loader: loader,
		st:     st,
		target: Target{
			Company: Company{ID: co.ID, Code: "gruppo"},
			Inboxes: []Inbox{{Kind: KindGroup, Dir: filepath.Join(dir, "inbox")}},
			Archive: archiveDir,
		},
		dir: dir,
	}
}

// scanAndPublish loads the group inbox and moves the parts of the
// committed loads into the company inboxes, as the server does.
func (f *groupFixture) scanAndPublish(t *testing.T) ScanReport {
	t.Helper()
	ctx := context.Background()
	rep, err := f.in.Scan(ctx, f.target, time.Millisecond)
	require.NoError(t, err)
	_, err = f.loader.Publish(ctx, f.st, f.target.Company)
	require.NoError(t, err)
	return rep
}

func (f *groupFixture) read(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(f.dir, filepath.FromSlash(rel)))
	require.NoError(t, err)
	return string(b)
}

// zipEntry is one entry of a zip built by a test.
type zipEntry struct {
	name string
	data string
}

func buildTestZip(t *testing.T, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e.name)
		require.NoError(t, err)
		_, err = w.Write([]byte(e.data))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

const (
	rcuHeader   = "COD_POD;PIVA_CC\n"
	rcuOther    = "IT001E00000071;11111111111\n"
	rcuStranger = "IT001E00000072;33333333333\n"
	gmeDay      = `<?xml version="1.0" standalone="yes"?>
<NewDataSet>
  <Prezzi>
    <Data>20251001</Data>
    <Mercato>MGP</Mercato>
    <Ora>1</Ora>
    <PUN>101,500000</PUN>
  </Prezzi>
</NewDataSet>
`
)

// TestGroupZipMixedEntries is the regression test for RCU extracts in a
// zip of the group inbox, which the zip walker used to skip as not XML.
// The zip contains a flow, two RCU extracts (one in a nested zip), a GME file
// and a file of no known kind. Each known entry is split like the same
// file on its own, and the other one is named in a load of the zip.
func TestGroupZipMixedEntries(t *testing.T) {
	f := newGroupFixture(t)
	ctx := context.Background()
	nested := buildTestZip(t, zipEntry{"RCU_202511.txt", rcuHeader + rcuOther})
	batch := buildTestZip(t,
		zipEntry{flowName, flowPNO},
		zipEntry{"estrazioni/RCU_202510.csv", rcuHeader + rcuOther + rcuStranger},
		zipEntry{"nested.zip", string(nested)},
		zipEntry{"20251001MGPPrezzi.xml", gmeDay},
		zipEntry{"ElencoFile.txt", "a.xml\n"},
		zipEntry{"__MACOSX/._RCU_202510.csv", "\x00\x05\x16\x07"},
	)
	writeFile(t, filepath.Join(f.target.Inboxes[0].Dir, "batch.zip"), string(batch))

	rep := f.scanAndPublish(t)
	require.Len(t, rep.Files, 1)
	file := rep.Files[0]
	assert.Equal(t, OutcomeDone, file.Outcome, file.Reason)
	assert.FileExists(t, file.ArchivedTo, "the zip moves to the archive")
	assert.Zero(t, rep.Rejected)

	loads := map[string]store.Load{}
	for _, l := range file.Loads {
		loads[l.Name] = l
	}
	require.Len(t, loads, 5, "one load per entry of a known kind, and one of the zip for the other entry")
	wantCodes := map[string]string{
		flowName:                "PNO",
		"RCU_202510.csv":        "RCU",
		"RCU_202511.txt":        "RCU",
		"20251001MGPPrezzi.xml": "GME",
		"batch.zip":             "",
	}
	for name, code := range wantCodes {
		require.Contains(t, loads, name)
		assert.Equal(t, code, loads[name].FlowCode, name)
	}
	assert.Equal(t, store.EscapePath(filepath.Join(f.target.Inboxes[0].Dir, "batch.zip")+"!nested.zip!RCU_202511.txt"),
		loads["RCU_202511.txt"].Path)

	t.Run("PartsInCompanyInboxes", func(t *testing.T) {
		assert.Equal(t, flowPNO, f.read(t, "acme/flows/"+flowName))
		assert.Equal(t, rcuHeader+rcuOther, f.read(t, "other/rcu/RCU_202510.csv"))
		assert.Equal(t, rcuHeader+rcuOther, f.read(t, "other/rcu/RCU_202511.txt"))
		assert.Equal(t, rcuHeader+rcuStranger, f.read(t, "archive/unassigned/RCU_202510.csv"))
		assert.Equal(t, gmeDay, f.read(t, "acme/gme/20251001MGPPrezzi.xml"))
		assert.Equal(t, gmeDay, f.read(t, "other/gme/20251001MGPPrezzi.xml"))
		assert.NoFileExists(t, filepath.Join(f.dir, "archive", "unassigned", "ElencoFile.txt"), "not extracted")
		assert.NoDirExists(t, filepath.Join(f.dir, "acme", "rcu"), "acme has no RCU row")
	})

	t.Run("LoadLog", func(t *testing.T) {
		codes := func(name string) []string {
			list, _, err := f.st.Anomalies(ctx, f.target.Company.ID, loads[name].ID, store.Page{})
			require.NoError(t, err)
			var out []string
			for _, a := range list {
				out = append(out, a.Code)
			}
			return out
		}
		assert.Equal(t, []string{CodeGroupUnassigned}, codes("RCU_202510.csv"))
		assert.Empty(t, codes("RCU_202511.txt"))
		assert.Equal(t, []string{CodeGroupUnknownKind}, codes("batch.zip"))
		assert.Equal(t, store.StatusLoaded, loads["RCU_202511.txt"].Status)
		assert.Equal(t, store.StatusLoadedWithAnomalies, loads["batch.zip"].Status)

		list, _, err := f.st.Anomalies(ctx, f.target.Company.ID, loads["batch.zip"].ID, store.Page{})
		require.NoError(t, err)
		require.Len(t, list, 1)
		assert.Contains(t, list[0].Message, "batch.zip!ElencoFile.txt, of 6 bytes,")
		assert.Equal(t, anomaly.Warning, list[0].Severity)
	})

	t.Run("OriginalsAreEntryBytes", func(t *testing.T) {
		for name, want := range map[string]string{
			"RCU_202510.csv": rcuHeader + rcuOther + rcuStranger,
			"RCU_202511.txt": rcuHeader + rcuOther,
			"batch.zip":      string(batch),
		} {
			assert.Equal(t, want, string(readOriginal(t, f.st, f.target.Company.ID, loads[name].ID)), name)
		}
	})

	t.Run("SameZipAgainIsDuplicate", func(t *testing.T) {
		writeFile(t, filepath.Join(f.target.Inboxes[0].Dir, "again", "batch.zip"), string(batch))
		rep := f.scanAndPublish(t)
		assert.Equal(t, 5, rep.Duplicates)
		assert.Zero(t, rep.Loaded)
		entries, err := os.ReadDir(filepath.Join(f.dir, "other", "rcu"))
		require.NoError(t, err)
		assert.Len(t, entries, 2, "no second part")
	})
}

// TestGroupPlainFileOfUnknownKind checks that a delimited file without the
// COD_POD column is copied to the unassigned folder, not split as RCU.
func TestGroupPlainFileOfUnknownKind(t *testing.T) {
	f := newGroupFixture(t)
	writeFile(t, filepath.Join(f.target.Inboxes[0].Dir, "PRA_202510.csv"), "AREA;PERIODO\nNORD;202510\n")
	rep := f.scanAndPublish(t)
	require.Len(t, rep.Files, 1)
	require.Len(t, rep.Files[0].Loads, 1)
	assert.Equal(t, store.StatusLoadedWithAnomalies, rep.Files[0].Loads[0].Status)
	assert.Equal(t, "AREA;PERIODO\nNORD;202510\n", f.read(t, "archive/unassigned/PRA_202510.csv"))
}

// TestGroupZipDamagedXMLEntry checks that an .xml entry that is not XML
// still goes to the flow split, which rejects it, instead of being copied
// as a file of unknown kind.
func TestGroupZipDamagedXMLEntry(t *testing.T) {
	f := newGroupFixture(t)
	batch := buildTestZip(t, zipEntry{flowName, "not xml"})
	writeFile(t, filepath.Join(f.target.Inboxes[0].Dir, "batch.zip"), string(batch))
	rep := f.scanAndPublish(t)
	require.Len(t, rep.Files, 1)
	require.Len(t, rep.Files[0].Loads, 1)
	l := rep.Files[0].Loads[0]
	assert.Equal(t, store.StatusRejected, l.Status)
	list, _, err := f.st.Anomalies(context.Background(), f.target.Company.ID, l.ID, store.Page{})
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, CodeGroupSplit, list[0].Code)
	assert.NoDirExists(t, filepath.Join(f.dir, "archive", "unassigned"))
}

// TestGroupZipUnknownEntryNotExtracted is the regression test for a small
// zip whose entry of no known kind expanded to a large file in the
// unassigned folder. The entry is named in a warning and left in the zip,
// whose original is stored byte for byte.
func TestGroupZipUnknownEntryNotExtracted(t *testing.T) {
	f := newGroupFixture(t)
	ctx := context.Background()
	zeros := strings.Repeat("\x00", 32<<20)
	batch := buildTestZip(t, zipEntry{flowName, flowPNO}, zipEntry{"dump.bin", zeros})
	require.Less(t, len(batch), 1<<20, "the zip is small")
	writeFile(t, filepath.Join(f.target.Inboxes[0].Dir, "batch.zip"), string(batch))

	rep := f.scanAndPublish(t)
	require.Len(t, rep.Files, 1)
	file := rep.Files[0]
	assert.Equal(t, OutcomeDone, file.Outcome, file.Reason)
	require.Len(t, file.Loads, 2, "the flow and the zip")
	assert.Equal(t, flowName, file.Loads[0].Name)
	zipLoad := file.Loads[1]
	assert.Equal(t, "batch.zip", zipLoad.Name)
	assert.Equal(t, store.StatusLoadedWithAnomalies, zipLoad.Status)
	assert.NoDirExists(t, filepath.Join(f.dir, "archive", "unassigned"))
	assert.Equal(t, flowPNO, f.read(t, "acme/flows/"+flowName))

	list, _, err := f.st.Anomalies(ctx, f.target.Company.ID, zipLoad.ID, store.Page{})
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, CodeGroupUnknownKind, list[0].Code)
	assert.Equal(t, "dump.bin", list[0].File)
	assert.Contains(t, list[0].Message, "batch.zip!dump.bin, of 33554432 bytes,")

	assert.Equal(t, batch, readOriginal(t, f.st, f.target.Company.ID, zipLoad.ID), "the zip is kept byte for byte")
}

// readOriginal returns the stored original of load id.
func readOriginal(t *testing.T, st store.Store, company store.CompanyID, id store.LoadID) []byte {
	t.Helper()
	_, rc, err := st.OpenOriginal(context.Background(), company, id)
	require.NoError(t, err)
	defer rc.Close()
	original, err := io.ReadAll(rc)
	require.NoError(t, err)
	return original
}
