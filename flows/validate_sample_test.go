package flows

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/testref"
)

// updateGolden reports whether the test run was given -update, the flag
// that rewrites golden files. The flag is defined once for the package by
// the round-trip tests.
func updateGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// validationSamples returns every official and legacy sample XML, relative to
// the flows reference folder.
func validationSamples(t *testing.T) (string, []string) {
	t.Helper()
	root := testref.Flows(t)
	var files []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".xml") {
			rel, _ := filepath.Rel(root, path)
			files = append(files, rel)
		}
		return nil
	})
	require.NoError(t, err)
	sort.Strings(files)
	require.GreaterOrEqual(t, len(files), 23)
	bases := map[string]bool{}
	for _, f := range files {
		require.False(t, bases[filepath.Base(f)], "two samples named %s: golden files would collide", filepath.Base(f))
		bases[filepath.Base(f)] = true
	}
	return root, files
}

// validateSample validates one sample with its own month as the
// processing month, so rule 14 stays quiet and the golden files show the
// samples' own defects.
func validateSample(t *testing.T, path string) Report {
	t.Helper()
	name := filepath.Base(path)
	opts := ValidateOptions{}
	if fn, err := ParseFileName(name); err == nil {
		opts.Now = time.Date(fn.Month.Year, fn.Month.Month, 15, 12, 0, 0, 0, time.UTC)
	}
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	rep, err := ValidateFile(name, f, opts)
	require.NoError(t, err)
	return rep
}

func TestValidateSamplesGolden(t *testing.T) {
	root, files := validationSamples(t)
	for _, rel := range files {
		t.Run(filepath.Base(rel), func(t *testing.T) {
			rep := validateSample(t, filepath.Join(root, rel))
			golden := filepath.Join("testdata", "validate", strings.TrimSuffix(filepath.Base(rel), ".xml")+".json")
			got, err := json.MarshalIndent(rep, "", "  ")
			require.NoError(t, err)
			got = append(got, '\n')
			if updateGolden() {
				require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
				require.NoError(t, os.WriteFile(golden, got, 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "golden file missing: run go test -run TestValidateSamplesGolden -update")
			var wantRep, gotRep Report
			require.NoError(t, json.Unmarshal(want, &wantRep))
			require.NoError(t, json.Unmarshal(got, &gotRep))
			if diff := cmp.Diff(wantRep, gotRep); diff != "" {
				t.Errorf("report differs from %s (-want +got):\n%s", golden, diff)
			}
		})
	}
}

// sampleAnomaly finds the anomaly of rule in a sample's report.
func sampleAnomaly(t *testing.T, rep Report, rule string) Anomaly {
	t.Helper()
	got := withRule(rep.Anomalies, rule)
	require.Len(t, got, 1, "anomalies of rule %s: %v", rule, rep.Anomalies)
	return got[0]
}

func TestSampleDefects(t *testing.T) {
	dir := testref.Flows(t, "sii-standard-tracciati-misure-v1.8", "esempi")

	t.Run("10-digit PIvaUtente", func(t *testing.T) {
		rep := validateSample(t, filepath.Join(dir, "11122233344_44445555666_202012_RFO2G_20210114160110_1DP9999_NR.xml"))
		a := sampleAnomaly(t, rep, RuleSellerVAT)
		assert.Equal(t, CodeStructure, a.Code)
		assert.Equal(t, Blocking, a.Severity)
		assert.Equal(t, FileLevel, a.Level)
		assert.Equal(t, "PIvaUtente", a.Field)
		assert.Equal(t, "4444555666", a.Value)
		assert.Equal(t, 4, a.Line)
		assert.True(t, rep.FileBlocked)
	})

	t.Run("MeseAnno of 2012 in a 202007 file", func(t *testing.T) {
		rep := validateSample(t, filepath.Join(dir, "01234567890_12345678901_202007_RFO2G_20210315060501_1DP0001_R.xml"))
		a := sampleAnomaly(t, rep, RuleMonthCoherence)
		assert.Equal(t, CodeMonth, a.Code)
		assert.Equal(t, Blocking, a.Severity)
		assert.Equal(t, "MeseAnno", a.Field)
		assert.Equal(t, "07/2012", a.Value)
		assert.Equal(t, "IT999E00XXXXXX", a.Key)
	})

	t.Run("doubled underscore", func(t *testing.T) {
		rep := validateSample(t, filepath.Join(dir, "01234567890_12345678901_201803_RNV2G__20181115060501_1DP0001_R.xml"))
		a := sampleAnomaly(t, rep, RuleFileNameDefect)
		assert.Equal(t, Warning, a.Severity)
		assert.Contains(t, a.Message, DefectDoubledUnderscore)
		assert.Empty(t, withRule(rep.Anomalies, RuleFileName))
		assert.Empty(t, withRule(rep.Anomalies, RuleFlowCode))
		assert.Empty(t, withRule(rep.Anomalies, RuleTimestamp))
	})
}

// TestSamplesPassSchemaChecks checks that the structure checks agree with
// xmllint, which validates every official sample against the official
// schemas: none of them gets a structure or value anomaly.
func TestSamplesPassSchemaChecks(t *testing.T) {
	root, files := validationSamples(t)
	for _, rel := range files {
		if strings.HasPrefix(rel, "legacy") {
			continue
		}
		rep := validateSample(t, filepath.Join(root, rel))
		for _, rule := range []string{RuleStructure, RuleValue, RuleMalformed, RuleSchemaPeriodic, RuleSchemaCorrection} {
			assert.Empty(t, withRule(rep.Anomalies, rule), "%s: %s", rel, rule)
		}
	}
}
