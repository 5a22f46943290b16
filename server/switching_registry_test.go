package server

import (
	"path/filepath"
	"testing"
	"time"

	gowsdl "github.com/hooklift/gowsdl/soap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/switching"
)

// TestSwitchRegistryMismatchOnLoad pushes a supply point whose voltage
// differs from the switching functional data over SOAP, then loads the
// switch: the server compares them and leaves the switch to review.
func TestSwitchRegistryMismatchOnLoad(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	st := openSQLite(t, cfg)
	r := startServer(t, cfg, st, testLogger(t))
	inbox := cfg.Companies[0].Inboxes["flows"][0]

	fName, f2g := switchFile(t, "F2G", nil)
	sName, s2g := switchFile(t, "S2G", nil)
	nName, snm := switchFile(t, "SNM2G", nil)
	pod := flowPOD(t, f2g)

	electricity := client.CommodityElectricity
	from := gowsdl.CreateXsdDate(time.Date(2025, time.October, 1, 0, 0, 0, 0, time.UTC), false)
	code := func(s string) *client.Code { return (*client.Code)(&s) }
	text := func(s string) *client.Text { return (*client.Text)(&s) }
	create := client.Operation("create")
	voltage := client.VoltageV("15000")
	resp, err := billingPort(r).UpdateRegistry(&client.UpdateRegistryRequest{
		Customer: []*client.CustomerItem{{ItemId: code("c"), Operation: &create, Code: code("C1"), Name: text("Rossi"), ValidFrom: from}},
		Site: []*client.SiteItem{{ItemId: code("s"), Operation: &create, Code: code("S1"), CustomerCode: code("C1"),
			Name: text("Casa"), ValidFrom: from}},
		SupplyPoint: []*client.SupplyPointItem{{ItemId: code("p"), Operation: &create, Code: code(pod),
			Commodity: &electricity, SiteCode: code("S1"), ValidFrom: from, VoltageV: &voltage}},
	})
	require.NoError(t, err)
	for _, it := range resp.Result {
		require.Equal(t, client.ItemStatusOk, *it.Status, "item %s: %+v", it.ItemId, it.Fault)
	}

	put(t, filepath.Join(inbox, fName), f2g)
	put(t, filepath.Join(inbox, sName), s2g)
	put(t, filepath.Join(inbox, nName), snm)
	rep := r.scan(t, tokenAcme)
	require.Equal(t, 3, rep.Loaded, "%+v", rep)

	var list switchList
	r.getJSON(t, "/api/v1/switches?status=to_review", tokenAcme, &list)
	require.Equal(t, 1, list.Total)
	sw := list.Items[0]
	assert.Equal(t, []string{switching.RuleRegistryMismatch.Code}, reasonCodes(sw))
	assert.Equal(t, "Tensione", sw.Reasons[0].Field)
	assert.Contains(t, sw.Reasons[0].Message, "15000")
	assert.Equal(t, store.SwitchToReview, sw.Status)
}
