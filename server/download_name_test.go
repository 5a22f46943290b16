package server

import (
	"fmt"
	"mime"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOriginalDownloadKeepsBackslashName loads a file named a\b.xml (a
// backslash is a legal byte of a Linux file name) and downloads its
// original: the load and the Content-Disposition name are the name on
// disk, and the plain filename fallback carries no backslash.
func TestOriginalDownloadKeepsBackslashName(t *testing.T) {
	const name = `a\b.xml`
	dir := t.TempDir()
	cfg := testConfig(dir)
	inbox := cfg.Companies[0].Inboxes["flows"][0]
	body := []byte(`<?xml version="1.0" encoding="utf-8"?>` + "\n" +
		`<FlussoMisure xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" CodFlusso="PNO"></FlussoMisure>` + "\n")
	put(t, filepath.Join(inbox, name), body)

	srv := startServer(t, cfg, openSQLite(t, cfg), testLogger(t))
	rep := srv.scan(t, tokenAcme)
	require.Len(t, rep.Files, 1)
	require.Len(t, rep.Files[0].Loads, 1, rep.Files[0].Reason)
	l := rep.Files[0].Loads[0]
	assert.Equal(t, name, l.Name)

	status, got, header := srv.call(t, http.MethodGet, fmt.Sprintf("/api/v1/loads/%d/original", l.ID), tokenAcme)
	require.Equal(t, http.StatusOK, status, "%s", got)
	assert.Equal(t, body, got)
	disposition := header.Get("Content-Disposition")
	assert.Equal(t, "attachment; filename=a_b.xml; filename*=UTF-8''a%5Cb.xml", disposition)
	_, params, err := mime.ParseMediaType(disposition)
	require.NoError(t, err)
	assert.Equal(t, name, params["filename"], "filename* decodes to the name on disk")
}
