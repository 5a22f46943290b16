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

	"github.com/bludispatcher/dispatcher/flows/flowgen"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

func TestGenerateAllValidates(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCommand("generate", "-all", "-pods=1", "-seed=9", "-out", dir)
	require.Equal(t, 0, code, errOut)
	paths := strings.Fields(out)
	assert.Len(t, paths, len(flowgen.Catalog(9, 1)))
	for _, p := range paths {
		assert.FileExists(t, p)
	}
	code, report, errOut := runCommand("validate", processingDay, "-accept-pdo2g-nr", "-disable=R9", dir)
	assert.Equal(t, 0, code, "%s\n%s", report, errOut)
}

func TestGenerateStdoutMatchesLibrary(t *testing.T) {
	code, out, errOut := runCommand("generate", "-flow=rno2g", "-pods=2", "-seed=4", "-month=2025-03", "-out", "-")
	require.Equal(t, 0, code, errOut)
	var want bytes.Buffer
	_, err := flowgen.Write(&want, flowgen.Options{FlowCode: "RNO2G", PODs: 2, Seed: 4, Month: march2025()})
	require.NoError(t, err)
	assert.Equal(t, want.String(), out)
}

func TestGenerateZipped(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCommand("generate", "-flow=PDO2G", "-day=2025-10-26", "-zip", "-out", dir)
	require.Equal(t, 0, code, errOut)
	path := strings.TrimSpace(out)
	assert.Equal(t, ".zip", filepath.Ext(path))
	zr, err := zip.OpenReader(path)
	require.NoError(t, err)
	defer zr.Close()
	require.Len(t, zr.File, 1)
	assert.Equal(t, strings.TrimSuffix(filepath.Base(path), ".zip")+".xml", zr.File[0].Name)

	code, _, errOut = runCommand("inspect", "-timeline=false", path)
	assert.Equal(t, 0, code, errOut)
}

func TestGenerateUsage(t *testing.T) {
	for _, args := range [][]string{
		{"generate", "-flow=NOPE", "-out", os.DevNull},
		{"generate", "-month=10/2025"},
		{"generate", "-day=26/10/2025"},
		{"generate", "-all", "-out", "-"},
		{"generate", "extra"},
	} {
		code, _, _ := runCommand(args...)
		assert.Equal(t, 2, code, "%v", args)
	}
}

func march2025() civil.Month { return civil.Month{Year: 2025, Month: 3} }
