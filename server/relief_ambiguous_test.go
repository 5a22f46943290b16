package server

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	gowsdl "github.com/hooklift/gowsdl/soap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/store"
)

// TestReliefAmbiguousPODKey checks that a 14-character POD of the
// extract that matches two supply points stored with a fifteenth
// character fails the relief report with a message naming both. The JSON
// API returns 409 and SOAP a Client fault.
func TestReliefAmbiguousPODKey(t *testing.T) {
	dir := t.TempDir()
	cfg := domainConfig(dir)
	st := openSQLite(t, cfg)
	r := startServer(t, cfg, st, testLogger(t))
	ctx := context.Background()
	acme, err := st.CompanyByCode(ctx, "acme")
	require.NoError(t, err)

	from := store.Validity{From: isoDate(t, "2016-01-01")}
	require.NoError(t, st.PutCustomer(ctx, store.Customer{Company: acme.ID, Code: "C1", Name: "Rossi", Validity: from}))
	require.NoError(t, st.PutSite(ctx, store.Site{Company: acme.ID, Code: "S1", Customer: "C1", Name: "Casa",
		MunicipalityCode: "054035", Validity: from}))
	for _, code := range []string{"IT001E00000001A", "IT001E00000001B"} {
		require.NoError(t, st.PutSupplyPoint(ctx, store.SupplyPoint{Company: acme.ID, Code: code,
			Commodity: store.Electricity, Site: "S1", Validity: from}))
	}
	put(t, filepath.Join(dir, "acme", "rcu", "RCU_201610.csv"), []byte("COD_POD\nIT001E00000001\n"))
	r.scan(t, tokenAcme)
	const codes = "IT001E00000001A, IT001E00000001B"

	for _, path := range []string{"/api/v1/sii/rcu/benefits", "/api/v1/sii/rcu/benefits.xlsx"} {
		status, body, _ := r.call(t, http.MethodGet, path+"?month=2016-10", tokenAcme)
		assert.Equal(t, http.StatusConflict, status, "%s: %s", path, body)
		assert.Contains(t, string(body), codes, path)
	}

	port := client.NewDispatcherPort(gowsdl.NewClient(r.base+SOAPPath, gowsdl.WithBasicAuth("billing", tokenAcme)))
	_, err = port.GetBonusReport(&client.GetBonusReportRequest{
		Date: gowsdl.CreateXsdDate(time.Date(2016, 10, 31, 0, 0, 0, 0, time.UTC), false)})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "<faultcode>soapenv:Client</faultcode>")
	assert.Contains(t, err.Error(), codes)
}
