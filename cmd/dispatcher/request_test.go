package main

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// requestSample returns the path of a sample request of the distributor
// package.
func requestSample(name string) string {
	return filepath.Join("..", "..", "distributor", "testdata", "requests", name+".json")
}

func runRequestCommand(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestRequestWritesXMLFiles(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runRequestCommand("request", "-profile", "v-reti", "-out", out, "-date", "2026-12-04", "-seq", "5",
		requestSample("D01"), requestSample("M01"))
	require.Equal(t, 0, code, stderr)
	want := []string{
		filepath.Join(out, "v-reti", "outbox", "D01.E050_CASE-D01-0001_0005.xml"),
		filepath.Join(out, "v-reti", "outbox", "M01.0050_CASE-M01-0001_0006.xml"),
	}
	assert.Equal(t, strings.Join(want, "\n")+"\n", stdout)
	b, err := os.ReadFile(want[0])
	require.NoError(t, err)
	assert.Contains(t, string(b), `<Prestazione cod_servizio="D01" cod_flusso="E050"`)
	assert.Contains(t, string(b), "<Da_Eseguire_Non_Prima_Del>15/12/2026</Da_Eseguire_Non_Prima_Del>")
}

func TestRequestRejectsUsedName(t *testing.T) {
	out := t.TempDir()
	args := []string{"request", "-profile", "e-distribuzione", "-out", out, "-date", "2026-12-04", requestSample("D01")}
	code, stdout, stderr := runRequestCommand(args...)
	require.Equal(t, 0, code, stderr)
	path := strings.TrimSpace(stdout)
	assert.True(t, strings.HasSuffix(path, "01234567897_D01_E050_20261204_000001.zip"), path)

	zr, err := zip.OpenReader(path)
	require.NoError(t, err)
	require.Len(t, zr.File, 1)
	assert.Equal(t, "01234567897_D01_E050_20261204_000001.xml", zr.File[0].Name)
	zr.Close()

	code, _, stderr = runRequestCommand(args...)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "already exists")
	assert.Contains(t, stderr, "-seq")
}

func TestRequestCSVProfileOneFilePerService(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runRequestCommand("request", "-profile", "unareti", "-out", out, "-date", "2026-12-04",
		requestSample("D01"), requestSample("R01"), requestSample("D01"))
	require.Equal(t, 0, code, stderr)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	require.Len(t, lines, 2)
	assert.True(t, strings.HasSuffix(lines[0], "12345678903_01234567897_202612_D01E050_1.csv"), lines[0])
	assert.True(t, strings.HasSuffix(lines[1], "12345678903_01234567897_202612_R01E050_2.csv"), lines[1])
	b, err := os.ReadFile(lines[0])
	require.NoError(t, err)
	assert.Equal(t, 3, bytes.Count(b, []byte("\r\n")), "a header and two D01 rows")
}

func TestRequestInvalidWritesNothing(t *testing.T) {
	out := t.TempDir()
	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"service": "D01", "ids": {"seller_vat": "01234567890", "case_number": "C1"}}`), 0o600))
	code, stdout, stderr := runRequestCommand("request", "-profile", "e-distribuzione", "-out", out, bad)
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, `IdentificativiRichiesta/piva_utente="01234567890"`)
	assert.Contains(t, stderr, "DatiTecnici/cod_pod")
	assert.Contains(t, stderr, "nothing written")
	entries, err := os.ReadDir(out)
	require.NoError(t, err)
	assert.Empty(t, entries)
}

func TestRequestCheckOnly(t *testing.T) {
	out := t.TempDir()
	code, stdout, _ := runRequestCommand("request", "-check", "-profile", "unareti", "-out", out, requestSample("M01"))
	assert.Equal(t, 1, code, "unareti requires tel")
	assert.Contains(t, stdout, "M01.json")
	assert.Contains(t, stdout, "ClienteFinale/Anagrafica/tel")
	entries, err := os.ReadDir(out)
	require.NoError(t, err)
	assert.Empty(t, entries)
}

func TestRequestProfileFile(t *testing.T) {
	out := t.TempDir()
	profile := filepath.Join("..", "..", "distributor", "testdata", "profiles", "acme.json")
	code, stdout, stderr := runRequestCommand("request", "-profile-file", profile, "-out", out, "-seq", "9", requestSample("acme_VIT"))
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, filepath.Join(out, "acme", "VIT", "ACME_VIT_CASE-VIT-0001_009.xml")+"\n", stdout)
}

func TestRequestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no files", []string{"-profile", "v-reti"}, "missing request file"},
		{"no profile", []string{requestSample("D01")}, "missing profile"},
		{"unknown profile", []string{"-profile", "enel", requestSample("D01")}, `unknown profile "enel"`},
		{"both profiles", []string{"-profile", "v-reti", "-profile-file", "x.json", requestSample("D01")}, "exclude each other"},
		{"bad date", []string{"-profile", "v-reti", "-date", "04/12/2026", requestSample("D01")}, "-date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runRequestCommand(append([]string{"request"}, tt.args...)...)
			assert.Equal(t, 2, code)
			assert.Contains(t, stderr, tt.want)
		})
	}
}

func TestRequestBadJSON(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"service": "D01", "pod": "x"}`), 0o600))
	code, _, stderr := runRequestCommand("request", "-profile", "v-reti", "-out", t.TempDir(), bad)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "bad.json")
	assert.Contains(t, stderr, `unknown field "pod"`)
}

func TestRequestList(t *testing.T) {
	code, stdout, _ := runRequestCommand("request", "-list")
	assert.Equal(t, 0, code)
	assert.Contains(t, stdout, "standard services: A01 D01 E01 M01 M02 PM1 PN1 R01 V01 V02")
	assert.Contains(t, stdout, "e-distribuzione:")
	assert.Contains(t, stdout, "unverified")
}
