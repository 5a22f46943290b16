package server

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/config"
	"github.com/bludispatcher/dispatcher/server/store"
)

// domainConfig is testConfig with the inboxes of the SII, GME and PRA
// kinds for acme, each under dir/acme/<kind>.
func domainConfig(dir string) config.Config {
	cfg := testConfig(dir)
	for _, kind := range []string{"rcu", "gme", "pra", "sii"} {
		cfg.Companies[0].Inboxes[kind] = []string{filepath.Join(dir, "acme", kind)}
	}
	return cfg
}

// rcuExtract is an extract with shuffled columns, an unknown column, a
// Latin-1 name and a line without POD.
const rcuExtract = "PIVA_UDD;COD_POD;COLONNA_NUOVA;PIVA_DISTR;RAGIONE_SOCIALE_DISTR;DATA_INIZIO_FORNITURA;DATA_FINE_FORNITURA;TRATTAMENTO;CONSUMO_TOT\r\n" +
	"01234567897;IT001E00000001;x1;12345678903;Distribuzione Citt\xe0;01/01/2024;;O;1200\r\n" +
	"01234567897;IT001E00000002;x2;12345678903;Distribuzione Citt\xe0;01/02/2024;;O;2400\r\n" +
	"01234567897;IT001E00000003;x3;12345678903;Distribuzione Citt\xe0;15/03/2024;;O;3600\r\n" +
	"01234567897;;x4;12345678903;Distribuzione Citt\xe0;01/01/2024;;O;10\r\n"

func TestDomainFilesEndToEnd(t *testing.T) {
	dir := t.TempDir()
	cfg := domainConfig(dir)
	st := openSQLite(t, cfg)
	r := startServer(t, cfg, st, testLogger(t))
	ctx := context.Background()

	acme, err := st.CompanyByCode(ctx, "acme")
	require.NoError(t, err)
	for _, e := range []store.RegistryEntry{
		{Company: acme.ID, POD: "IT001E00000001", ValidFrom: isoDate(t, "2024-01-01")},
		{Company: acme.ID, POD: "IT001E00000002", ValidFrom: isoDate(t, "2024-01-01")},
		{Company: acme.ID, POD: "IT001E00000009", ValidFrom: isoDate(t, "2023-06-01")},
	} {
		require.NoError(t, st.PutRegistryEntry(ctx, e))
	}

	// Billing pushed the first point with another distributor.
	require.NoError(t, st.PutCustomer(ctx, store.Customer{Company: acme.ID, Code: "C1", Name: "Rossi",
		Validity: store.Validity{From: isoDate(t, "2024-01-01")}}))
	require.NoError(t, st.PutSite(ctx, store.Site{Company: acme.ID, Code: "S1", Customer: "C1", Name: "Casa",
		Validity: store.Validity{From: isoDate(t, "2024-01-01")}}))
	require.NoError(t, st.PutSupplyPoint(ctx, store.SupplyPoint{Company: acme.ID, Code: "IT001E00000001",
		Commodity: store.Electricity, Site: "S1", DistributorVAT: "99999999999",
		Validity: store.Validity{From: isoDate(t, "2024-01-01")}}))

	put(t, filepath.Join(dir, "acme", "rcu", "RCU_01234567897_202403.csv"), []byte(rcuExtract))
	gmeFiles := map[string][]byte{}
	for _, name := range []string{"20251001MGPPrezzi.xml", "20251001MGPPrezzi15.xml"} {
		b, err := os.ReadFile(filepath.Join("..", "gme", "testdata", name))
		require.NoError(t, err)
		gmeFiles[name] = b
	}
	put(t, filepath.Join(dir, "acme", "gme", "20251001MercatiElettrici.zip"), zipOf(t, gmeFiles))
	put(t, filepath.Join(dir, "acme", "sii", "pra-area01.csv"), []byte(
		"AREA_RIF;PIVA_DISTR;DATA;ORA;ENERGIA\n"+
			"AREA01;12345678903;01/03/2024;1;1000,5\n"+
			"AREA01;12345678903;01/03/2024;2;1100\n"+
			"AREA01;12345678903;01/03/2024;99;1\n"))
	put(t, filepath.Join(dir, "acme", "pra", "pra-area02.xlsx"), praWorkbook(t))
	put(t, filepath.Join(dir, "acme", "rcu", "notes.pdf"), []byte("%PDF"))

	rep := r.scan(t, tokenAcme)
	assert.Equal(t, 4, rep.Found, "RCU, GME zip, PRA csv and xlsx")
	assert.Equal(t, 5, rep.Loaded, "one RCU, two GME entries, two PRA files")
	assert.Zero(t, rep.Rejected)

	t.Run("LoadLog", func(t *testing.T) {
		var loads struct{ Items []store.Load }
		r.getJSON(t, "/api/v1/loads?flow=RCU", tokenAcme, &loads)
		require.Len(t, loads.Items, 1)
		l := loads.Items[0]
		assert.Equal(t, store.StatusLoadedWithAnomalies, l.Status)
		assert.Equal(t, 3, l.RecordsLoaded)
		assert.Equal(t, 1, l.RecordsRejected)
		status, body, _ := r.call(t, http.MethodGet, "/api/v1/loads/"+itoa(int64(l.ID))+"/original", tokenAcme)
		assert.Equal(t, http.StatusOK, status)
		assert.Equal(t, rcuExtract, string(body))

		r.getJSON(t, "/api/v1/loads?flow=Prezzi15", tokenAcme, &loads)
		require.Len(t, loads.Items, 1)
		assert.Equal(t, "20251001MGPPrezzi15.xml", loads.Items[0].Name)
		r.getJSON(t, "/api/v1/loads?flow=PRA", tokenAcme, &loads)
		assert.Len(t, loads.Items, 2)
	})

	t.Run("RCUPoints", func(t *testing.T) {
		var months struct{ Months []string }
		r.getJSON(t, "/api/v1/sii/rcu/months", tokenAcme, &months)
		assert.Equal(t, []string{"2024-03"}, months.Months)
		var points struct {
			Items []store.RCUPoint
			Total int
		}
		r.getJSON(t, "/api/v1/sii/rcu?month=2024-03", tokenAcme, &points)
		require.Len(t, points.Items, 3)
		assert.Equal(t, 3, points.Total)
		p := points.Items[0]
		assert.Equal(t, "IT001E00000001", p.PODKey)
		assert.Equal(t, "2024-01-01", p.SupplyStart)
		assert.Equal(t, "1200", p.AnnualConsumption)
		assert.Equal(t, "Distribuzione Città", p.DistributorName)
		assert.Equal(t, "x1", p.Raw["COLONNA_NUOVA"])
		assert.Equal(t, 2, p.Line)
	})

	t.Run("Comparison", func(t *testing.T) {
		var cmp comparisonJSON
		r.getJSON(t, "/api/v1/sii/rcu/comparison?month=2024-03", tokenAcme, &cmp)
		require.Len(t, cmp.Distributors, 3, "the SII distributor, billing's other one and billing's unknown one")
		byVAT := map[string]distributorJSON{}
		for _, d := range cmp.Distributors {
			byVAT[d.DistributorVAT] = d
		}
		sii := byVAT["12345678903"]
		assert.Equal(t, 3, sii.SIICount)
		assert.Equal(t, []string{"IT001E00000003"}, sii.OnlyInSII)
		require.Len(t, sii.Differences, 2)
		assert.Equal(t, "PIVA_DISTR", sii.Differences[0].Field)
		assert.Equal(t, "IT001E00000001", sii.Differences[0].POD)
		assert.Equal(t, "99999999999", sii.Differences[0].Billing)
		assert.Equal(t, "DATA_INIZIO_FORNITURA", sii.Differences[1].Field)
		assert.Equal(t, "IT001E00000002", sii.Differences[1].POD)
		assert.Equal(t, []string{"IT001E00000009"}, byVAT[""].OnlyInBilling)
		assert.Equal(t, 1, byVAT["99999999999"].BillingCount)

		status, body, header := r.call(t, http.MethodGet, "/api/v1/sii/rcu/comparison.xlsx?month=2024-03", tokenAcme)
		require.Equal(t, http.StatusOK, status, string(body))
		assert.Contains(t, header.Get("Content-Disposition"), "rcu-comparison-2024-03.xlsx")
		f, err := excelize.OpenReader(bytes.NewReader(body))
		require.NoError(t, err)
		defer f.Close()
		assert.Contains(t, f.GetSheetList(), "Only in SII")
	})

	t.Run("GMEPrices", func(t *testing.T) {
		var prices struct{ Items []store.Price }
		r.getJSON(t, "/api/v1/gme/prices?from=2025-10-01&to=2025-10-01&kind=Prezzi&zone=PUN", tokenAcme, &prices)
		require.Len(t, prices.Items, 24)
		assert.Equal(t, "101,010000", prices.Items[0].Text)
		assert.Equal(t, "101.01", prices.Items[0].Value)
		assert.Equal(t, "2025-09-30T22:00:00Z", prices.Items[0].Start.Format("2006-01-02T15:04:05Z07:00"))
		r.getJSON(t, "/api/v1/gme/prices?from=2025-10-01&to=2025-10-01&kind=Prezzi15&zone=PUN", tokenAcme, &prices)
		assert.Len(t, prices.Items, 96)
	})

	t.Run("GMEAverages", func(t *testing.T) {
		// PUN of hour n (starting at n-1 o'clock) is 100 + 1.01 n on a
		// working Wednesday: F1 is hours 9-19, F2 hours 8 and 20-23, F3
		// hours 1-7 and 24.
		var avg struct {
			F1, F2, F3, Base struct {
				Value string
				Count int
			}
		}
		r.getJSON(t, "/api/v1/gme/averages?month=2025-10", tokenAcme, &avg)
		assert.Equal(t, "114.14", avg.F1.Value)
		assert.Equal(t, 11, avg.F1.Count)
		assert.Equal(t, "118.988", avg.F2.Value)
		assert.Equal(t, "106.565", avg.F3.Value)
		assert.Equal(t, "112.625", avg.Base.Value)
		assert.Equal(t, 24, avg.Base.Count)
	})

	t.Run("GMEAveragesWeighted", func(t *testing.T) {
		loadCurve(t, st, acme.ID, "IT001E00000005", civil.Month{Year: 2025, Month: time.October})
		var avg struct {
			Weighted           bool
			MissingConsumption int
			F1                 struct {
				Value string
				Count int
			}
		}
		r.getJSON(t, "/api/v1/gme/averages?month=2025-10&pod=IT001E00000005", tokenAcme, &avg)
		assert.True(t, avg.Weighted)
		assert.Zero(t, avg.MissingConsumption)
		assert.Equal(t, 11, avg.F1.Count)
		// A weighted mean of the F1 hours lies between their extremes.
		f1, err := decimal.NewFromString(avg.F1.Value)
		require.NoError(t, err)
		assert.True(t, f1.GreaterThanOrEqual(decimal.RequireFromString("109.09")), f1.String())
		assert.True(t, f1.LessThanOrEqual(decimal.RequireFromString("119.19")), f1.String())

		var none struct {
			MissingConsumption int
			F1                 struct{ Value *string }
		}
		r.getJSON(t, "/api/v1/gme/averages?month=2025-10&pod=IT001E00000099", tokenAcme, &none)
		assert.Equal(t, 24, none.MissingConsumption, "no curve for the POD")
		assert.Nil(t, none.F1.Value)
	})

	t.Run("PRAValues", func(t *testing.T) {
		var values struct {
			Items []store.PRAValue
			Total int
		}
		r.getJSON(t, "/api/v1/pra?area=AREA01", tokenAcme, &values)
		require.Len(t, values.Items, 2, "hour 99 is rejected")
		assert.Equal(t, "1000.5", values.Items[0].EnergyKWh)
		assert.Equal(t, "1000,5", values.Items[0].EnergyText)
		r.getJSON(t, "/api/v1/pra?area=AREA02&from=2024-03-02&to=2024-03-02", tokenAcme, &values)
		require.Len(t, values.Items, 1)
		assert.Equal(t, "quarter-hour", values.Items[0].Resolution)
	})

	t.Run("OtherCompanySeesNothing", func(t *testing.T) {
		status, _, _ := r.call(t, http.MethodGet, "/api/v1/sii/rcu", tokenOther)
		assert.Equal(t, http.StatusNotFound, status)
		var prices struct{ Items []store.Price }
		r.getJSON(t, "/api/v1/gme/prices?from=2025-10-01&to=2025-10-01", tokenOther, &prices)
		assert.Empty(t, prices.Items)
		var values struct{ Items []store.PRAValue }
		r.getJSON(t, "/api/v1/pra", tokenOther, &values)
		assert.Empty(t, values.Items)
	})

	t.Run("DuplicateExtract", func(t *testing.T) {
		put(t, filepath.Join(dir, "acme", "sii", "copy-202403.csv"), []byte(rcuExtract))
		rep := r.scan(t, tokenAcme)
		assert.Equal(t, 1, rep.Duplicates)
	})

	t.Run("BadRequests", func(t *testing.T) {
		for _, path := range []string{
			"/api/v1/gme/prices?from=2025-10-01",
			"/api/v1/gme/prices?from=2025-01-01&to=2025-12-31",
			"/api/v1/gme/averages",
			"/api/v1/gme/averages?month=2025-10&kind=Quantita",
			"/api/v1/sii/rcu?month=13-2024",
		} {
			status, body, _ := r.call(t, http.MethodGet, path, tokenAcme)
			assert.Equal(t, http.StatusBadRequest, status, "%s: %s", path, body)
		}
	})
}

type comparisonJSON struct {
	Month        string
	Distributors []distributorJSON
}

type distributorJSON struct {
	DistributorVAT string
	SIICount       int
	BillingCount   int
	OnlyInSII      []string
	OnlyInBilling  []string
	Differences    []struct{ POD, Field, SII, Billing string }
}

// praWorkbook returns a PRA spreadsheet of the default profile with one
// quarter-hour column and a title row above the header.
func praWorkbook(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{
		{"AREA_RIF", "PIVA_DISTR", "DATA", "QUARTO_ORA", "ENERGIA"},
		{"AREA02", "12345678903", "02/03/2024", "1", "250,25"},
	}
	for i, row := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		require.NoError(t, err)
		require.NoError(t, f.SetSheetRow("Sheet1", cell, &row))
	}
	var buf bytes.Buffer
	require.NoError(t, f.Write(&buf))
	return buf.Bytes()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// isoDate parses a yyyy-mm-dd date of a test table.
func isoDate(t *testing.T, s string) civil.Date {
	t.Helper()
	d, err := civil.ParseISODate(s)
	require.NoError(t, err)
	return d
}

func TestDomainRowErrorsCountRejected(t *testing.T) {
	dir := t.TempDir()
	cfg := domainConfig(dir)
	st := openSQLite(t, cfg)
	r := startServer(t, cfg, st, testLogger(t))

	// The last line opens a quote it never closes.
	put(t, filepath.Join(dir, "acme", "rcu", "RCU_202404.csv"), []byte(
		"COD_POD;PIVA_DISTR\nIT001E00000001;12345678903\nIT001E00000002;\"12345678903\n"))
	put(t, filepath.Join(dir, "acme", "gme", "20251001MGPPrezzi.xml"), []byte(
		`<?xml version="1.0"?><NewDataSet>`+
			`<Prezzi><Data>20251001</Data><Mercato>MGP</Mercato><Ora>1</Ora><PUN>100,0</PUN></Prezzi>`+
			`<Prezzi><Data>20251001</Data><Mercato>MGP</Mercato><Ora>26</Ora><PUN>100,0</PUN></Prezzi>`+
			`</NewDataSet>`))
	rep := r.scan(t, tokenAcme)
	require.Len(t, rep.Files, 2)
	for _, f := range rep.Files {
		require.Len(t, f.Loads, 1, f.Path)
		l := f.Loads[0]
		assert.Equal(t, store.StatusLoadedWithAnomalies, l.Status, l.Name)
		assert.Equal(t, 1, l.RecordsRejected, l.Name)
		assert.NotZero(t, l.RecordsLoaded, l.Name)
	}
}

func TestRCUBenefits(t *testing.T) {
	dir := t.TempDir()
	cfg := domainConfig(dir)
	st := openSQLite(t, cfg)
	r := startServer(t, cfg, st, testLogger(t))
	ctx := context.Background()
	acme, err := st.CompanyByCode(ctx, "acme")
	require.NoError(t, err)

	from := store.Validity{From: isoDate(t, "2020-01-01")}
	require.NoError(t, st.PutCustomer(ctx, store.Customer{Company: acme.ID, Code: "C1", Name: "Rossi", Validity: from}))
	require.NoError(t, st.PutSite(ctx, store.Site{Company: acme.ID, Code: "S1", Customer: "C1", Name: "Casa",
		Municipality: "Campotosto", Province: "AQ", Validity: from}))
	require.NoError(t, st.PutSupplyPoint(ctx, store.SupplyPoint{Company: acme.ID, Code: "IT001E00000001",
		Commodity: store.Electricity, Site: "S1", Validity: from}))
	require.NoError(t, st.PutSite(ctx, store.Site{Company: acme.ID, Code: "S4", Customer: "C1", Name: "Bottega",
		Municipality: "Campo Tosto", Province: "AQ", MunicipalityCode: "066016", Validity: from}))
	require.NoError(t, st.PutSupplyPoint(ctx, store.SupplyPoint{Company: acme.ID, Code: "IT001E00000004",
		Commodity: store.Electricity, Site: "S4", Validity: from}))

	put(t, filepath.Join(dir, "acme", "rcu", "RCU_202206.csv"), []byte(
		"COD_POD;BE_DATA_INIZIO;BE_DATA_FINE;COMUNIC_BONUS\n"+
			"IT001E00000001;;;\n"+
			"IT001E00000004;;;\n"+
			"IT001E00000002;01/01/2022;31/12/2022;X1\n"+
			"IT001E00000003;01/01/2021;31/12/2021;\n"))
	r.scan(t, tokenAcme)

	var got struct {
		At      string
		Bonuses []struct {
			POD           string
			Economic      bool
			Physical      bool
			Communication string
		}
		Relief struct {
			Active    bool
			Points    []struct{ POD, Municipality, Province, SiteMunicipalityCode, ISTATCode, Annex, MatchedBy string }
			Unlocated []string
		}
	}
	r.getJSON(t, "/api/v1/sii/rcu/benefits?month=2022-06", tokenAcme, &got)
	assert.Equal(t, "2022-06-30", got.At, "the last day of the month")
	require.Len(t, got.Bonuses, 1, "the 2021 bonus has ended")
	assert.Equal(t, "IT001E00000002", got.Bonuses[0].POD)
	assert.True(t, got.Bonuses[0].Economic)
	assert.False(t, got.Bonuses[0].Physical)
	assert.Equal(t, "X1", got.Bonuses[0].Communication)
	assert.True(t, got.Relief.Active)
	require.Len(t, got.Relief.Points, 2)
	assert.Equal(t, "IT001E00000001", got.Relief.Points[0].POD)
	assert.Equal(t, "Campotosto", got.Relief.Points[0].Municipality)
	assert.Empty(t, got.Relief.Points[0].SiteMunicipalityCode)
	assert.Equal(t, "066016", got.Relief.Points[0].ISTATCode, "the code of the list entry")
	assert.Equal(t, "1", got.Relief.Points[0].Annex)
	assert.Equal(t, "name and province", got.Relief.Points[0].MatchedBy, "the site has no ISTAT code")
	assert.Equal(t, "IT001E00000004", got.Relief.Points[1].POD)
	assert.Equal(t, "Campo Tosto", got.Relief.Points[1].Municipality, "the site's own spelling")
	assert.Equal(t, "066016", got.Relief.Points[1].SiteMunicipalityCode)
	assert.Equal(t, "066016", got.Relief.Points[1].ISTATCode)
	assert.Equal(t, "ISTAT code", got.Relief.Points[1].MatchedBy)
	assert.Equal(t, []string{"IT001E00000002", "IT001E00000003"}, got.Relief.Unlocated)

	r.getJSON(t, "/api/v1/sii/rcu/benefits?month=2022-06&at=2027-01-15", tokenAcme, &got)
	assert.False(t, got.Relief.Active, "the relief list ends on 31 December 2026")

	status, body, _ := r.call(t, http.MethodGet, "/api/v1/sii/rcu/benefits.xlsx?month=2022-06", tokenAcme)
	require.Equal(t, http.StatusOK, status, string(body))
	f, err := excelize.OpenReader(bytes.NewReader(body))
	require.NoError(t, err)
	defer f.Close()
	assert.Contains(t, f.GetSheetList(), "Social bonus")
}

func TestWholeFileZips(t *testing.T) {
	dir := t.TempDir()
	cfg := domainConfig(dir)
	invoices := filepath.Join(dir, "acme", "invoices")
	cfg.Companies[0].Inboxes["invoices"] = []string{invoices}
	st := openSQLite(t, cfg)
	r := startServer(t, cfg, st, testLogger(t))

	detail, err := os.ReadFile(filepath.Join("..", "edi", "testdata", "transport-detail.xml"))
	require.NoError(t, err)
	put(t, filepath.Join(dir, "acme", "rcu", "RCU_202405.zip"), zipOf(t, map[string][]byte{
		"RCU_202405.csv": []byte("COD_POD\nIT001E00000001\nIT001E00000002\n"),
		"readme.pdf":     []byte("%PDF"),
	}))
	put(t, filepath.Join(dir, "acme", "rcu", "nothing.zip"), zipOf(t, map[string][]byte{"readme.pdf": []byte("%PDF")}))
	brokenPath := filepath.Join(dir, "acme", "rcu", "broken.zip")
	put(t, brokenPath, []byte("PK\x03\x04 not really a zip"))
	// An hour old, past cut_short_wait: a younger zip with no end record
	// waits in its inbox as a copy in progress.
	hourAgo := time.Now().Add(-time.Hour)
	require.NoError(t, os.Chtimes(brokenPath, hourAgo, hourAgo))
	put(t, filepath.Join(invoices, "fatture.zip"), zipOf(t, map[string][]byte{"transport-detail.xml": detail}))
	prices, err := os.ReadFile(filepath.Join("..", "gme", "testdata", "20251001MGPPrezzi.xml"))
	require.NoError(t, err)
	put(t, filepath.Join(dir, "acme", "sii", "mixed.zip"), zipOf(t, map[string][]byte{
		"20251001MGPPrezzi.xml": prices,
		"RCU_202406.csv":        []byte("COD_POD\nIT001E00000003\n"),
	}))

	rep := r.scan(t, tokenAcme)
	byName := map[string]store.Load{}
	for _, f := range rep.Files {
		for _, l := range f.Loads {
			byName[l.Name] = l
		}
	}
	require.Len(t, byName, 6, "%v", byName)
	assert.Equal(t, "Prezzi", byName["20251001MGPPrezzi.xml"].FlowCode, "a GME entry of a zip in the sii inbox")
	assert.Equal(t, "RCU", byName["RCU_202406.csv"].FlowCode, "an RCU entry of the same zip")

	l := byName["RCU_202405.csv"]
	assert.Equal(t, store.StatusLoadedWithAnomalies, l.Status, "warnings for the missing columns")
	assert.Equal(t, 2, l.RecordsLoaded)
	assert.True(t, strings.HasSuffix(l.Path, "RCU_202405.zip!RCU_202405.csv"), l.Path)
	var points struct{ Total int }
	r.getJSON(t, "/api/v1/sii/rcu?month=2024-05", tokenAcme, &points)
	assert.Equal(t, 2, points.Total)

	assert.Equal(t, store.StatusRejected, byName["nothing.zip"].Status, "a zip with no extract")
	assert.Equal(t, store.StatusRejected, byName["broken.zip"].Status)

	assert.Equal(t, "TransportDetail", byName["transport-detail.xml"].FlowCode)
	var list struct{ Total int }
	r.getJSON(t, "/api/v1/invoices", tokenAcme, &list)
	assert.Equal(t, 1, list.Total)
}
