package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows/flowgen"
	"github.com/bludispatcher/dispatcher/reseller"
)

// splitFixture writes a routing table, a zipped PDO of three PODs, an RCU
// extract and a GME price file, and returns their paths.
func splitFixture(t *testing.T) (routes, zipped, rcu, prices string) {
	t.Helper()
	dir := t.TempDir()
	g, err := flowgen.New(flowgen.Options{FlowCode: "PDO", PODs: 3})
	require.NoError(t, err)
	var flow bytes.Buffer
	require.NoError(t, g.Write(&flow))
	pod := func(i int) string { return g.Record(i).POD.Text }

	table := reseller.Table{
		Companies: []reseller.Company{
			{ID: "alfa", Contracts: []reseller.Contract{{SellerVAT: "01234567897", DispatchingContract: "DP0427"}}},
			{ID: "beta", CounterpartyVATs: []string{"22222222224"},
				PODs: []reseller.PODAssignment{{POD: pod(1)}}},
		},
		Counterparties: []reseller.Counterparty{{POD: pod(2), VAT: "99999999999"}},
	}
	data, err := json.Marshal(table)
	require.NoError(t, err)
	routes = filepath.Join(dir, "routes.json")
	require.NoError(t, os.WriteFile(routes, data, 0o600))

	zipped = filepath.Join(dir, "batch.zip")
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	w, err := zw.Create(g.FileName().String())
	require.NoError(t, err)
	_, err = w.Write(flow.Bytes())
	require.NoError(t, err)
	w, err = zw.Create("ElencoFile.txt")
	require.NoError(t, err)
	_, err = w.Write([]byte("x"))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	require.NoError(t, os.WriteFile(zipped, zbuf.Bytes(), 0o600))

	rcu = filepath.Join(dir, "rcu_202510.csv")
	require.NoError(t, os.WriteFile(rcu, []byte("COD_POD;PIVA_CC\n"+pod(0)+";22222222224\n"+pod(1)+";\n"+pod(2)+";\n"), 0o600))

	prices = filepath.Join(dir, "20251001MGPPrezzi.xml")
	var p strings.Builder
	p.WriteString("<?xml version=\"1.0\" standalone=\"yes\"?>\n<NewDataSet>\n")
	for h := 1; h <= 24; h++ {
		fmt.Fprintf(&p, "  <Prezzi><Data>20251001</Data><Mercato>MGP</Mercato><Ora>%d</Ora><PUN>100,000000</PUN></Prezzi>\n", h)
	}
	p.WriteString("</NewDataSet>\n")
	require.NoError(t, os.WriteFile(prices, []byte(p.String()), 0o600))
	return routes, zipped, rcu, prices
}

func TestSplitCommand(t *testing.T) {
	routes, zipped, rcu, prices := splitFixture(t)
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run([]string{"split", "-routes", routes, "-out", out, zipped, rcu, prices}, &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())

	report := stdout.String()
	assert.Contains(t, report, "batch.zip!09876543210_01234567897_202510_PDO_20251105060523_1DP0427_R.xml (flow PDO): 3 records, 3 PODs, Ea quarter-hours ")
	assert.Contains(t, report, "batch.zip!ElencoFile.txt: skipped, 1 byte: not a metering flow")
	assert.Contains(t, report, "rcu_202510.csv (rcu): 3 records, 3 PODs")
	assert.Contains(t, report, "copied to 2 companies")
	assert.Contains(t, report, "unassigned: line ")
	assert.Contains(t, report, "counterparty VAT 99999999999 is not a company of the group")
	assert.Contains(t, report, "empty PIVA_CC")
	assert.Equal(t, 3, strings.Count(report, "balance: parts add up to the input"))

	flowName := "09876543210_01234567897_202510_PDO_20251105060523_1DP0427_R.xml"
	for _, p := range []string{
		filepath.Join("alfa", flowName),
		filepath.Join("beta", flowName),
		filepath.Join(reseller.Unassigned, flowName),
		filepath.Join("beta", "rcu_202510.csv"),
		filepath.Join(reseller.Unassigned, "rcu_202510.csv"),
		filepath.Join("alfa", "20251001MGPPrezzi.xml"),
		filepath.Join("beta", "20251001MGPPrezzi.xml"),
	} {
		assert.FileExists(t, filepath.Join(out, p))
	}
	assert.NoFileExists(t, filepath.Join(out, "alfa", "rcu_202510.csv"), "alfa has no RCU row")
	assert.NoFileExists(t, filepath.Join(out, reseller.Unassigned, "20251001MGPPrezzi.xml"))
}

func TestSplitCommandSecondRunFails(t *testing.T) {
	routes, _, rcu, _ := splitFixture(t)
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, run([]string{"split", "-routes", routes, "-out", out, rcu}, &stdout, &stderr), stderr.String())
	stderr.Reset()
	assert.Equal(t, 1, run([]string{"split", "-routes", routes, "-out", out, rcu}, &stdout, &stderr))
	assert.Contains(t, stderr.String(), "already exists")
	assert.Contains(t, stderr.String(), "1 files not split")
}

func TestSplitCommandWithoutRoutes(t *testing.T) {
	_, zipped, _, _ := splitFixture(t)
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, run([]string{"split", "-out", out, zipped}, &stdout, &stderr), stderr.String())
	entries, err := os.ReadDir(out)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, reseller.Unassigned, entries[0].Name())
}

func TestSplitCommandErrors(t *testing.T) {
	routes, _, _, _ := splitFixture(t)
	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"companies":[{"id":"unassigned"}]}`), 0o600))
	notFlow := filepath.Join(t.TempDir(), "x.xml")
	require.NoError(t, os.WriteFile(notFlow, []byte("<Other/>"), 0o600))
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no out", []string{"split", "x.xml"}, 2, "missing -out"},
		{"no inputs", []string{"split", "-out", t.TempDir()}, 2, "missing input"},
		{"bad comma", []string{"split", "-out", t.TempDir(), "-comma", ";;", "x.csv"}, 2, "invalid -comma"},
		{"bad day", []string{"split", "-out", t.TempDir(), "-rcu-day", "2025-10-01", "x.csv"}, 2, "invalid -rcu-day"},
		{"bad table", []string{"split", "-routes", bad, "-out", t.TempDir(), "x.csv"}, 2, "reserved"},
		{"missing file", []string{"split", "-routes", routes, "-out", t.TempDir(), "missing.csv"}, 1, "missing.csv"},
		{"unknown root", []string{"split", "-routes", routes, "-out", t.TempDir(), notFlow}, 1, `root element "Other"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			assert.Equal(t, tc.code, run(tc.args, &stdout, &stderr))
			assert.Contains(t, stderr.String(), tc.want)
		})
	}
}
