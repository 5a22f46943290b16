package server

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows/flowgen"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/reseller"
	"github.com/bludispatcher/dispatcher/server/config"
	"github.com/bludispatcher/dispatcher/server/ingest"
	"github.com/bludispatcher/dispatcher/server/store"
)

const tokenGroup = "group-secret-token"

func TestGroupSplitEndToEnd(t *testing.T) {
	dir := t.TempDir()
	gen, err := flowgen.New(flowgen.Options{FlowCode: "PNO", PODs: 3, Seed: 11})
	require.NoError(t, err)
	pods := []string{gen.Record(0).POD.Text, gen.Record(1).POD.Text, gen.Record(2).POD.Text}
	var file bytes.Buffer
	require.NoError(t, gen.Write(&file))
	name := gen.FileName().String()

	cfg := testConfig(dir)
	cfg.Companies[0].Inboxes["gme"] = []string{filepath.Join(dir, "acme", "gme")}
	cfg.Companies[1].Inboxes["rcu"] = []string{filepath.Join(dir, "other", "rcu")}
	cfg.Groups = []config.Group{{
		ID: "gruppo", Name: "Gruppo Energia",
		Inboxes: []string{filepath.Join(dir, "gruppo", "inbox")},
		Archive: filepath.Join(dir, "gruppo", "archive"),
		Tokens:  []string{tokenGroup},
		Routing: &reseller.Table{
			Companies: []reseller.Company{
				{ID: "acme", PODs: []reseller.PODAssignment{{POD: pods[0]}}},
				{ID: "other", Contracts: []reseller.Contract{{SellerVAT: "01234567897", DispatchingContract: "DP0427"}},
					CounterpartyVATs: []string{"11111111111"}},
			},
			// The third POD belongs to a counterparty outside the group.
			Counterparties: []reseller.Counterparty{{POD: pods[2], VAT: "99999999999"}},
		},
	}}
	st := openSQLite(t, cfg)
	r := startServer(t, cfg, st, testLogger(t))

	put(t, filepath.Join(dir, "gruppo", "inbox", name), file.Bytes())
	rep := r.scan(t, tokenGroup)
	require.Len(t, rep.Files, 1)
	require.Len(t, rep.Files[0].Loads, 1)
	groupLoad := rep.Files[0].Loads[0]
	assert.Equal(t, store.StatusLoadedWithAnomalies, groupLoad.Status)
	assert.Equal(t, "PNO", groupLoad.FlowCode)

	t.Run("GroupLoadLog", func(t *testing.T) {
		var anomalies struct{ Items []anomaly.Anomaly }
		r.getJSON(t, "/api/v1/loads/"+itoa(int64(groupLoad.ID))+"/anomalies", tokenGroup, &anomalies)
		require.Len(t, anomalies.Items, 1)
		a := anomalies.Items[0]
		assert.Equal(t, ingest.CodeGroupUnassigned, a.Code)
		assert.Equal(t, anomaly.Warning, a.Severity)
		assert.Equal(t, pods[2], a.Key)
		status, _, _ := r.call(t, http.MethodGet, "/api/v1/loads/"+itoa(int64(groupLoad.ID)), tokenAcme)
		assert.Equal(t, http.StatusNotFound, status, "a company does not see the group's log")
	})

	t.Run("PartsMoved", func(t *testing.T) {
		for _, path := range []string{
			filepath.Join(dir, "acme", "inbox", name),
			filepath.Join(dir, "other", "inbox", name),
			filepath.Join(dir, "gruppo", "archive", "unassigned", name),
		} {
			assert.FileExists(t, path)
		}
		staged, err := os.ReadDir(filepath.Join(dir, "gruppo", "archive", ".staging"))
		require.NoError(t, err)
		assert.Empty(t, staged, "staging is emptied once the parts moved")
	})

	t.Run("EachCompanySeesItsPart", func(t *testing.T) {
		for _, tc := range []struct {
			token, pod string
		}{{tokenAcme, pods[0]}, {tokenOther, pods[1]}} {
			rep := r.scan(t, tc.token)
			require.Equal(t, 1, rep.Loaded, "one load per part")
			var records struct {
				Items []store.RecordRow
				Total int
			}
			r.getJSON(t, "/api/v1/records", tc.token, &records)
			require.NotZero(t, records.Total)
			for _, rec := range records.Items {
				assert.Equal(t, tc.pod, rec.POD)
			}
		}
	})

	t.Run("GMECopies", func(t *testing.T) {
		prices, err := os.ReadFile(filepath.Join("..", "gme", "testdata", "20251001MGPPrezzi.xml"))
		require.NoError(t, err)
		put(t, filepath.Join(dir, "gruppo", "inbox", "20251001MGPPrezzi.xml"), prices)
		rep := r.scan(t, tokenGroup)
		require.Len(t, rep.Files, 1)
		l := rep.Files[0].Loads[0]
		var anomalies struct{ Items []anomaly.Anomaly }
		r.getJSON(t, "/api/v1/loads/"+itoa(int64(l.ID))+"/anomalies", tokenGroup, &anomalies)
		require.Len(t, anomalies.Items, 1)
		assert.Equal(t, ingest.CodeGroupNoInbox, anomalies.Items[0].Code, "other has no GME inbox")

		copied, err := os.ReadFile(filepath.Join(dir, "acme", "gme", "20251001MGPPrezzi.xml"))
		require.NoError(t, err)
		assert.Equal(t, prices, copied)
		assert.FileExists(t, filepath.Join(dir, "gruppo", "archive", "unassigned", "20251001MGPPrezzi.xml"))
	})

	t.Run("RCUSplitByCounterparty", func(t *testing.T) {
		extract := "COD_POD;PIVA_CC\n" +
			"IT001E00000071;11111111111\n" +
			"IT001E00000072;33333333333\n"
		put(t, filepath.Join(dir, "gruppo", "inbox", "RCU_202510.csv"), []byte(extract))
		rep := r.scan(t, tokenGroup)
		require.Len(t, rep.Files, 1)
		l := rep.Files[0].Loads[0]
		assert.Equal(t, "RCU", l.FlowCode)
		assert.Equal(t, store.StatusLoadedWithAnomalies, l.Status, "one unassigned row")

		part, err := os.ReadFile(filepath.Join(dir, "other", "rcu", "RCU_202510.csv"))
		require.NoError(t, err)
		assert.Equal(t, "COD_POD;PIVA_CC\nIT001E00000071;11111111111\n", string(part))
		rest, err := os.ReadFile(filepath.Join(dir, "gruppo", "archive", "unassigned", "RCU_202510.csv"))
		require.NoError(t, err)
		assert.Contains(t, string(rest), "IT001E00000072")

		rep = r.scan(t, tokenOther)
		require.Equal(t, 1, rep.Loaded, "the part loads as other's extract")
		var points struct{ Items []store.RCUPoint }
		r.getJSON(t, "/api/v1/sii/rcu?month=2025-10", tokenOther, &points)
		require.Len(t, points.Items, 1)
		assert.Equal(t, "IT001E00000071", points.Items[0].POD)
	})

	t.Run("SameFileAgainIsDuplicate", func(t *testing.T) {
		put(t, filepath.Join(dir, "gruppo", "inbox", "again", name), file.Bytes())
		rep := r.scan(t, tokenGroup)
		assert.Equal(t, 1, rep.Duplicates)
		entries, err := os.ReadDir(filepath.Join(dir, "acme", "inbox"))
		require.NoError(t, err)
		assert.Empty(t, entries, "no second part")
	})
}

func TestGroupConfigInvalid(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	cfg.Groups = []config.Group{{
		ID: "acme", Inboxes: []string{filepath.Join(dir, "g")}, Archive: filepath.Join(dir, "ga"),
		Routing: &reseller.Table{Companies: []reseller.Company{{ID: "nobody"}}},
	}}
	st := openSQLite(t, cfg)
	_, err := New(context.Background(), cfg, st, testLogger(t))
	require.Error(t, err)
	assert.ErrorContains(t, err, `group id "acme" is also a company`)
	assert.ErrorContains(t, err, `routing company "nobody" is not a configured company`)
}
