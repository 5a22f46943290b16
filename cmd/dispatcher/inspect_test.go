package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/testref"
)

var updateFlowGolden = flag.Bool("update-flow-golden", false, "rewrite the golden outputs of inspect and validate under testdata/")

// generatedFlows is the folder of the generated flows at the repository
// root, relative to this package.
const generatedFlows = "../../testdata/flows"

const (
	pdo2GAutumn = generatedFlows + "/09876543210_01234567897_202510_PDO2G_20251105060523_1DP0427_R.xml"
	pdoSpring   = generatedFlows + "/09876543210_01234567897_202503_PDO_20250405060523_1DP0427_R.xml"
	batchZip    = generatedFlows + "/zip/batch.zip"
)

// runCommand runs the program in-process and returns its exit code,
// standard output and standard error.
func runCommand(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// checkGolden compares got with testdata/name, or rewrites the file when
// -update-flow-golden is set.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateFlowGolden {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./cmd/dispatcher -update-flow-golden")
	assert.Equal(t, string(want), got, "output differs from %s", path)
}

// jsonLines decodes every line of out as a JSON object.
func jsonLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var objs []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var m map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &m), sc.Text())
		objs = append(objs, m)
	}
	require.NoError(t, sc.Err())
	return objs
}

func TestInspectAutumnDailyFile(t *testing.T) {
	code, out, errOut := runCommand("inspect", pdo2GAutumn)
	require.Equal(t, 0, code, errOut)
	checkGolden(t, "inspect_pdo2g_autumn.jsonl", out)

	objs := jsonLines(t, out)
	require.Len(t, objs, 2)
	timeline := objs[0]["timeline"].(map[string]any)
	ea := timeline["Ea"].([]any)
	require.Len(t, ea, 100)
	starts := map[string]bool{}
	for _, s := range ea {
		starts[s.(map[string]any)["start"].(string)] = true
	}
	assert.Len(t, starts, 100, "100 distinct instants")
	assert.True(t, starts["2025-10-26T02:00:00+02:00"])
	assert.True(t, starts["2025-10-26T02:00:00+01:00"])
	totals := objs[0]["day_totals"].(map[string]any)["Ea"].([]any)
	require.Len(t, totals, 1)
	assert.Equal(t, float64(100), totals[0].(map[string]any)["count"])
}

func TestInspectSpringMonthlyFile(t *testing.T) {
	code, out, errOut := runCommand("inspect", pdoSpring)
	require.Equal(t, 0, code, errOut)
	objs := jsonLines(t, out)
	require.Len(t, objs, 2)
	for _, o := range objs {
		counts := map[string]float64{}
		for _, d := range o["day_totals"].(map[string]any)["Ea"].([]any) {
			day := d.(map[string]any)
			counts[day["day"].(string)] = day["count"].(float64)
		}
		assert.Len(t, counts, 31)
		assert.Equal(t, float64(92), counts["2025-03-30"])
		assert.Equal(t, float64(96), counts["2025-03-31"])
		assert.Len(t, o["timeline"].(map[string]any)["Ea"].([]any), 30*96+92)
	}
}

func TestInspectBatchZip(t *testing.T) {
	code, out, errOut := runCommand("inspect", "-timeline=false", batchZip)
	require.Equal(t, 0, code, errOut)
	checkGolden(t, "inspect_batch.jsonl", out)
	assert.Contains(t, errOut, "batch.zip!ElencoFile.txt: not an XML file or zip archive: skipped")
	files := map[string]bool{}
	for _, o := range jsonLines(t, out) {
		files[o["file"].(string)] = true
		assert.Nil(t, o["timeline"])
		assert.NotNil(t, o["name"])
	}
	assert.Len(t, files, 3)
}

func TestInspectSamples(t *testing.T) {
	ref := testref.Flows(t)
	var files []string
	for _, pattern := range []string{"*/esempi/*.xml", "*/esempi/*/*.xml", "legacy-au-fm-samples/*.xml"} {
		m, err := filepath.Glob(filepath.Join(ref, pattern))
		require.NoError(t, err)
		files = append(files, m...)
	}
	sort.Strings(files)
	require.Len(t, files, 23)
	code, out, errOut := runCommand(append([]string{"inspect", "-timeline=false"}, files...)...)
	assert.Equal(t, 0, code, errOut)
	out = strings.ReplaceAll(out, ref+string(filepath.Separator), "$REF/")
	checkGolden(t, "inspect_samples.jsonl", out)
	objs := jsonLines(t, out)
	assert.Len(t, objs, 25, "21 official records and 4 legacy ones")
	for _, o := range objs {
		assert.NotEmpty(t, o["pod"])
	}
}

func TestInspectCorruptInputs(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile(pdo2GAutumn)
	require.NoError(t, err)
	truncated := filepath.Join(dir, "09876543210_01234567897_202510_PDO2G_20251105060523_2DP0427_R.xml")
	require.NoError(t, os.WriteFile(truncated, good[:len(good)*2/3], 0o644))
	corrupt := filepath.Join(dir, "broken.zip")
	require.NoError(t, os.WriteFile(corrupt, []byte("PK\x03\x04 not really a zip"), 0o644))
	missing := filepath.Join(dir, "missing.xml")

	code, out, errOut := runCommand("inspect", "-timeline=false", corrupt, truncated, missing, pdo2GAutumn)
	assert.Equal(t, 1, code)
	objs := jsonLines(t, out)
	var errorsSeen, records int
	for _, o := range objs {
		if _, ok := o["error"]; ok {
			errorsSeen++
			continue
		}
		records++
	}
	assert.Equal(t, 3, errorsSeen, "one error line per bad input")
	assert.Equal(t, 2+1, records, "the good file's 2 records and the truncated file's first record")
	assert.Contains(t, errOut, "broken.zip")
	assert.Contains(t, errOut, "missing.xml")
}

func TestInspectUsage(t *testing.T) {
	code, _, errOut := runCommand("inspect")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "usage: dispatcher inspect")
	code, _, _ = runCommand("inspect", "-nosuchflag", pdo2GAutumn)
	assert.Equal(t, 2, code)
}
