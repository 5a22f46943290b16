package soap_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/store/storetest"
)

func TestPendingExportRepeatedKinds(t *testing.T) {
	e := newEnv(t)
	e.load(t, e.a, "pdo.xml", "PDO", 1, storetest.HourlyRecord(storetest.POD(1), jan2026, 1))

	// More repeats than SQLite takes query parameters.
	curve := client.ExportKindCurve
	req := &client.ListPendingExportRequest{}
	for range 40000 {
		req.Kind = append(req.Kind, &curve)
	}
	resp, err := e.portA().ListPendingExport(req)
	require.NoError(t, err)
	require.Len(t, resp.Item, 1)
	assert.Equal(t, client.ExportKindCurve, *resp.Item[0].Kind)
}

func TestListLoadsRepeatedStatuses(t *testing.T) {
	e := newEnv(t)
	e.load(t, e.a, "pdo.xml", "PDO", 1, storetest.HourlyRecord(storetest.POD(1), jan2026, 1))

	// More repeats than SQLite takes query parameters.
	loaded := client.LoadStatusLoaded
	req := &client.ListLoadsRequest{}
	for range 40000 {
		req.Status = append(req.Status, &loaded)
	}
	resp, err := e.portA().ListLoads(req)
	require.NoError(t, err)
	assert.Equal(t, int32(1), resp.Total)
}
