package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

const rcuCommandExtract = "COD_POD;PIVA_DISTR;DATA_INIZIO_FORNITURA;TRATTAMENTO;CONSUMO_TOT;BE_DATA_INIZIO;BE_DATA_FINE\n" +
	"IT001E00000001;12345678903;01/03/2024;O;2700;01/01/2025;31/12/2025\n" +
	"IT001E00000002;12345678903;01/03/2024;O;1500;;\n"

func TestRCUCommandBonusXLSX(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "rcu.csv")
	require.NoError(t, os.WriteFile(in, []byte(rcuCommandExtract), 0o600))
	out := filepath.Join(dir, "bonus.xlsx")

	var stdout, stderr bytes.Buffer
	code := run([]string{"rcu", "-bonus-date", "01/06/2025", "-xlsx", out, in}, &stdout, &stderr)
	assert.Equal(t, 0, code, stderr.String())
	assert.Contains(t, stdout.String(), "rcu.csv: 2 points, ")
	assert.Contains(t, stdout.String(), "social bonus active on 01/06/2025: 1 points")

	f, err := excelize.OpenFile(out)
	require.NoError(t, err)
	defer f.Close()
	rows, err := f.GetRows("Social bonus")
	require.NoError(t, err)
	assert.Len(t, rows, 2)
}

func TestRCUCommandBadFlags(t *testing.T) {
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 2, run([]string{"rcu", "-encoding", "ebcdic", "x.csv"}, &stdout, &stderr))
	assert.Contains(t, stderr.String(), "invalid -encoding")
	stderr.Reset()
	assert.Equal(t, 2, run([]string{"rcu", "-xlsx", "out.xlsx", "x.csv"}, &stdout, &stderr))
	assert.Contains(t, stderr.String(), "-xlsx needs -bonus-date")
}

func TestRCUCommandBlockingAnomaly(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "rcu.csv")
	require.NoError(t, os.WriteFile(in, []byte("COD_POD;DATA_INIZIO_FORNITURA\n;01/03/2024\n"), 0o600))
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 1, run([]string{"rcu", in}, &stdout, &stderr))
	assert.Contains(t, stdout.String(), "RCU-POD")
}
