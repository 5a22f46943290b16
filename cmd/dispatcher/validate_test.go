package main

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/testref"
)

// processingDay fixes the processing month of the month-range rule, so the
// goldens do not change with the calendar.
const processingDay = "-now=2025-12-01"

func TestValidateGeneratedTable(t *testing.T) {
	code, out, errOut := runCommand("validate", processingDay, generatedFlows)
	assert.Equal(t, 1, code, "PDO2G NR and the legacy name are blocking: %s", errOut)
	checkGolden(t, "validate_generated.txt", out)
	assert.Contains(t, out, "R10")
	assert.Contains(t, out, "R9")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	assert.True(t, strings.HasPrefix(lines[0], "FILE "), lines[0])
	assert.Regexp(t, `^\d+ file\(s\), \d+ record\(s\): 2 blocking, \d+ warning\(s\)$`, lines[len(lines)-1])
}

func TestValidateAcceptOptions(t *testing.T) {
	code, out, errOut := runCommand("validate", processingDay, "-accept-pdo2g-nr", "-disable=R9", generatedFlows)
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, ": 0 blocking,")
}

func TestValidateSamplesJSON(t *testing.T) {
	ref := testref.Flows(t)
	files, err := filepath.Glob(filepath.Join(ref, "*", "esempi", "*.xml"))
	require.NoError(t, err)
	sort.Strings(files)
	require.Len(t, files, 15)
	code, out, errOut := runCommand(append([]string{"validate", "-json", "-now=2021-03-31"}, files...)...)
	assert.Equal(t, 1, code, errOut)
	out = strings.ReplaceAll(out, ref+string(filepath.Separator), "$REF/")
	checkGolden(t, "validate_samples.jsonl", out)

	byFile := map[string]map[string]any{}
	for _, o := range jsonLines(t, out) {
		byFile[o["file"].(string)] = o
	}
	require.Len(t, byFile, 15)
	rules := func(file string) []string {
		var out []string
		for _, a := range byFile[file]["anomalies"].([]any) {
			out = append(out, a.(map[string]any)["rule"].(string))
		}
		return out
	}
	assert.Contains(t, rules("01234567890_12345678901_201803_RNV2G__20181115060501_1DP0001_R.xml"), flows.RuleFileNameDefect)
	assert.Contains(t, rules("11122233344_44445555666_202012_RFO2G_20210114160110_1DP9999_NR.xml"), flows.RuleSellerVAT)
}

func TestValidateCorruptInputsContinue(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile(pdo2GAutumn)
	require.NoError(t, err)
	truncated := filepath.Join(dir, "09876543210_01234567897_202510_PDO2G_20251105060523_2DP0427_R.xml")
	require.NoError(t, os.WriteFile(truncated, good[:len(good)/2], 0o644))
	corrupt := filepath.Join(dir, "broken.zip")
	require.NoError(t, os.WriteFile(corrupt, []byte("PK\x03\x04 not really a zip"), 0o644))

	code, out, _ := runCommand("validate", processingDay, corrupt, truncated, pdo2GAutumn)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "broken.zip")
	assert.Contains(t, out, "corrupt or truncated archive")
	assert.Contains(t, out, "  xml  ", "the truncated XML is a blocking xml anomaly")
	assert.Contains(t, out, "3 file(s)")
}

func TestValidateCleanFileExitsZero(t *testing.T) {
	code, out, errOut := runCommand("validate", processingDay, pdo2GAutumn)
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "1 file(s), 2 record(s): 0 blocking, 0 warning(s)")
}

func TestValidateUsage(t *testing.T) {
	for _, args := range [][]string{
		{"validate"},
		{"validate", "-now=31/12/2025", pdo2GAutumn},
		{"validate", "-nosuchflag", pdo2GAutumn},
	} {
		code, _, _ := runCommand(args...)
		assert.Equal(t, 2, code, "%v", args)
	}
}
