package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/config"
	"github.com/bludispatcher/dispatcher/server/store"
)

func TestAPIRejectsBadRequests(t *testing.T) {
	cfg := testConfig(t.TempDir())
	srv := startServer(t, cfg, openSQLite(t, cfg), testLogger(t))

	cases := []struct {
		method, path string
		status       int
	}{
		{http.MethodGet, "/api/v1/loads?status=done", http.StatusBadRequest},
		{http.MethodGet, "/api/v1/loads?limit=-1", http.StatusBadRequest},
		{http.MethodGet, "/api/v1/loads?from=yesterday", http.StatusBadRequest},
		{http.MethodGet, "/api/v1/records?month=13/2013", http.StatusBadRequest},
		{http.MethodGet, "/api/v1/records?from=2013-02-01&to=2013-01-01", http.StatusBadRequest},
		{http.MethodGet, "/api/v1/records?load=x", http.StatusBadRequest},
		{http.MethodGet, "/api/v1/pods/IT001E00000001/curve", http.StatusBadRequest},
		{http.MethodGet, "/api/v1/pods/IT001E00000001/curve?from=2013-01-01&to=2015-01-01", http.StatusBadRequest},
		{http.MethodGet, "/api/v1/pods/IT001E00000001/corrections?current=maybe", http.StatusBadRequest},
		{http.MethodGet, "/api/v1/loads/abc", http.StatusNotFound},
		{http.MethodGet, "/api/v1/loads/999", http.StatusNotFound},
		{http.MethodGet, "/api/v1/loads/999/original", http.StatusNotFound},
		{http.MethodGet, "/api/v1/nothing", http.StatusNotFound},
		{http.MethodDelete, "/api/v1/loads/1", http.StatusMethodNotAllowed},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			status, body, header := srv.call(t, tc.method, tc.path, tokenAcme)
			assert.Equal(t, tc.status, status, "%s", body)
			if !strings.HasPrefix(tc.path, "/api/v1/nothing") && status != http.StatusMethodNotAllowed {
				assert.Equal(t, "application/json", header.Get("Content-Type"))
				assert.Contains(t, string(body), `"error"`)
			}
		})
	}
}

func TestAPIRejectsLargeBody(t *testing.T) {
	cfg := testConfig(t.TempDir())
	srv := startServer(t, cfg, openSQLite(t, cfg), testLogger(t))
	req, err := http.NewRequest(http.MethodPost, srv.base+"/api/v1/scan", bytes.NewReader(make([]byte, 1<<20)))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tokenAcme)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
}

func TestAPIHealthNeedsNoToken(t *testing.T) {
	cfg := testConfig(t.TempDir())
	srv := startServer(t, cfg, openSQLite(t, cfg), testLogger(t))
	status, _, _ := srv.call(t, http.MethodGet, "/healthz", "")
	assert.Equal(t, http.StatusOK, status)
}

func TestAPIAnonymousOnlyOnDefaults(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	cfg.Companies = cfg.Companies[:1]
	cfg.Companies[0].Tokens = nil
	srv := startServer(t, cfg, openSQLite(t, cfg), testLogger(t))
	status, body, _ := srv.call(t, http.MethodGet, "/api/v1/loads", "")
	assert.Equal(t, http.StatusOK, status, "one company, no token, loopback: %s", body)
	status, _, _ = srv.call(t, http.MethodGet, "/api/v1/loads", "some-token")
	assert.Equal(t, http.StatusUnauthorized, status, "a token that is sent is still checked")

	cfg2 := testConfig(t.TempDir())
	cfg2.Companies[0].Tokens = nil
	cfg2.Companies[1].Tokens = nil
	srv2 := startServer(t, cfg2, openSQLite(t, cfg2), testLogger(t))
	status, _, _ = srv2.call(t, http.MethodGet, "/api/v1/loads", "")
	assert.Equal(t, http.StatusUnauthorized, status, "two companies never answer without a token")
}

func TestAPIStoreTokens(t *testing.T) {
	cfg := testConfig(t.TempDir())
	st := openSQLite(t, cfg)
	srv := startServer(t, cfg, st, testLogger(t))
	co, err := st.CompanyByCode(context.Background(), "other")
	require.NoError(t, err)
	token, _, err := st.CreateToken(context.Background(), co.ID, "billing")
	require.NoError(t, err)
	status, body, _ := srv.call(t, http.MethodGet, "/api/v1/loads?company=other", token)
	assert.Equal(t, http.StatusOK, status, "a token created in the store: %s", body)
	status, _, _ = srv.call(t, http.MethodGet, "/api/v1/loads?company=acme", token)
	assert.Equal(t, http.StatusNotFound, status)
}

func TestAPIFiltersLoadLog(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	inbox := cfg.Companies[0].Inboxes[config.KindFlows][0]
	all := samples(t)
	for _, name := range []string{pnoSample, "01234567890_12345678901_201302_PNO2G_20130304101533_1DP0001_R.xml", "01234567890_12345678901_202007_RFO2G_20210315060501_1DP0001_R.xml"} {
		put(t, filepath.Join(inbox, name), all[name])
	}
	put(t, filepath.Join(inbox, "broken.zip"), []byte("PK not really"))
	srv := startServer(t, cfg, openSQLite(t, cfg), testLogger(t))
	srv.scan(t, tokenAcme)

	count := func(query string) int {
		var l loadList
		srv.getJSON(t, "/api/v1/loads?"+query, tokenAcme, &l)
		return l.Total
	}
	today := time.Now().In(time.UTC).Format("2006-01-02")
	assert.Equal(t, 4, count(""))
	assert.Equal(t, 4, count("company=acme"))
	assert.Equal(t, 1, count("flow=PNO"))
	assert.Equal(t, 1, count("flow=PNO2G"))
	assert.Equal(t, 2, count("status=rejected"))
	assert.Equal(t, 4, count("status=loaded,rejected"))
	assert.Equal(t, 4, count("from="+today))
	assert.Equal(t, 0, count("to=2020-01-01"))
	assert.Equal(t, 0, count("from="+time.Now().Add(time.Hour).UTC().Format(time.RFC3339)))

	var page loadList
	srv.getJSON(t, "/api/v1/loads?limit=1&offset=1", tokenAcme, &page)
	assert.Len(t, page.Items, 1)
	assert.Equal(t, 4, page.Total)

	var first loadList
	srv.getJSON(t, "/api/v1/loads?flow=PNO", tokenAcme, &first)
	require.Len(t, first.Items, 1)
	sum := first.Items[0].SHA256
	assert.Equal(t, 1, count("sha256="+strings.ToUpper(sum)))

	var anomalies struct {
		Items []any `json:"items"`
		Total int   `json:"total"`
	}
	rejected := loadList{}
	srv.getJSON(t, "/api/v1/loads?status=rejected&flow=RFO2G", tokenAcme, &rejected)
	require.Len(t, rejected.Items, 1)
	srv.getJSON(t, fmt.Sprintf("/api/v1/loads/%d/anomalies?limit=1", rejected.Items[0].ID), tokenAcme, &anomalies)
	assert.Equal(t, rejected.Items[0].AnomalyCount, anomalies.Total)
	assert.Len(t, anomalies.Items, 1)
	assert.Equal(t, store.StatusRejected, rejected.Items[0].Status)
}
