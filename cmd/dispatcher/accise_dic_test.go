package main

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAcciseDicGasWarnsEmptyCodCat(t *testing.T) {
	in := acciseLinesFile(t)
	dir := t.TempDir()
	code, _, errOut := acciseRun("accise", "declare", "-year", "2025", "-company", "TOE000123", "-seat", "TO",
		"-out", dir, "-dic", "-gas-marker", "GASNAT", in)
	require.Equal(t, 0, code, errOut)

	code, _, errOut = acciseRun("accise", "dic", "-out", filepath.Join(dir, "back"), "-gas-marker", "GASNAT",
		filepath.Join(dir, "GN_TOE000123_2025_TO.dic"))
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "CodCat")
	assert.Contains(t, errOut, "F and G")

	code, _, errOut = acciseRun("accise", "dic", "-out", filepath.Join(dir, "back"), filepath.Join(dir, "EE_TOE000123_2025_TO.dic"))
	require.Equal(t, 0, code, errOut)
	assert.NotContains(t, errOut, "CodCat", "electricity records carry the cadastral code")
}
