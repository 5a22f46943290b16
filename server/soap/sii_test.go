package soap_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	gowsdl "github.com/hooklift/gowsdl/soap"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/storetest"
	"github.com/bludispatcher/dispatcher/sii"
)

const (
	rcuHeader = "COD_POD;PIVA_DISTR;RAGIONE_SOCIALE_DISTR;DATA_INIZIO_FORNITURA;TRATTAMENTO;TENSIONE;" +
		"POTCONTRIMP;TIPO_MISURATORE;BE_DATA_INIZIO;BE_DATA_FINE;BF_DATA_INIZIO;COMUNIC_BONUS\n"
	distributorNord  = "09876543210"
	distributorOther = "11111111111"
)

// loadRCU stores the points of an RCU extract of month as one load of
// company co, without validating them.
func (e *env) loadRCU(t *testing.T, co store.CompanyID, month civil.Month, body string) {
	t.Helper()
	ctx := context.Background()
	data := []byte(rcuHeader + body)
	name := "RCU_" + month.Compact() + ".csv"
	tx, err := e.store.BeginLoad(ctx, store.LoadInfo{Company: co, Name: name, Path: "inbox/" + name,
		Size: int64(len(data)), SHA256: storetest.SHA256(data), Original: bytes.NewReader(data)})
	require.NoError(t, err)
	dtx, ok := tx.(store.DomainTx)
	require.True(t, ok, "the load transaction stores RCU points")
	dtx.SetFlowCode("RCU")
	r, err := sii.NewRCUReader(bytes.NewReader(data), sii.RCUOptions{})
	require.NoError(t, err)
	for {
		rec, err := r.Next()
		if err != nil {
			break
		}
		stored, err := dtx.AddRCURecord(ctx, month, rec, nil)
		require.NoError(t, err)
		require.True(t, stored)
	}
	_, err = tx.Commit(ctx)
	require.NoError(t, err)
}

// pod returns the POD IT001E0000000n.
func pod(n int) string { return "IT001E0000000" + string(rune('0'+n)) }

// siiRegistry pushes, for company a, a site in Campotosto (AQ) with the
// supply points 1, 2 and 3 of distributor Nord from 1 January 2020. Point
// 2 is registered with treatment F.
func (e *env) siiRegistry(t *testing.T) {
	t.Helper()
	electricity := client.CommodityElectricity
	from := xsdDate(2020, 1, 1)
	point := func(n int, tr string) *client.SupplyPointItem {
		return &client.SupplyPointItem{ItemId: code(pod(n)), Operation: op("create"), Code: code(pod(n)),
			Commodity: &electricity, SiteCode: code("S1"), DistributorVat: code(distributorNord), ValidFrom: from,
			Treatment: treatment(tr), ContractedPowerKw: decimalText("3"), VoltageV: voltage("230"), MeterType: meterType("2G")}
	}
	resp, err := e.portA().UpdateRegistry(&client.UpdateRegistryRequest{
		Customer: []*client.CustomerItem{{ItemId: code("c"), Operation: op("create"), Code: code("C1"),
			Name: text("Rossi"), ValidFrom: from}},
		Site: []*client.SiteItem{{ItemId: code("s"), Operation: op("create"), Code: code("S1"), CustomerCode: code("C1"),
			Name: text("Casa"), Municipality: text("Campotosto"), Province: code("AQ"), ValidFrom: from}},
		SupplyPoint: []*client.SupplyPointItem{point(1, "O"), point(2, "F"), point(3, "O")},
	})
	require.NoError(t, err)
	for _, r := range resp.Result {
		require.Equal(t, client.ItemStatusOk, *r.Status, "item %s: %+v", r.ItemId, r.Fault)
	}
}

// siiExtract is the extract of company a: points 1 and 2 of distributor
// Nord, in billing too, and point 4 of another distributor. Point 1 has
// an economic bonus for 2025 and 2026, point 4 a physical one from June
// 2025.
const siiExtract = "" +
	"IT001E00000001;09876543210;Distribuzione Nord;01/01/2020;O;230;3,000;G;01/01/2025;31/12/2026;;B1\n" +
	"IT001E00000002;09876543210;Distribuzione Nord;01/01/2020;O;230;3;G;;;;\n" +
	"IT001E00000004;11111111111;Altro Distributore;01/01/2020;O;230;3;G;;;01/06/2025;\n"

var jan2026Month = client.Month("2026-01")

func TestCompareRegistryExtract(t *testing.T) {
	e := newEnv(t)
	e.siiRegistry(t)
	e.loadRCU(t, e.a, jan2026, siiExtract)

	resp, err := e.portA().CompareRegistryExtract(&client.CompareRegistryExtractRequest{Month: &jan2026Month})
	require.NoError(t, err)
	require.NotNil(t, resp.Month)
	assert.Equal(t, jan2026Month, *resp.Month)
	require.Len(t, resp.Distributor, 2)

	nord := resp.Distributor[0]
	assert.Equal(t, distributorNord, nord.DistributorVat)
	assert.Equal(t, "Distribuzione Nord", nord.DistributorName)
	assert.Equal(t, int32(2), nord.SiiCount)
	assert.Equal(t, int32(3), nord.BillingCount)
	assert.Empty(t, nord.OnlyInSii)
	assert.Equal(t, []string{pod(3)}, nord.OnlyInBilling)
	require.Len(t, nord.Difference, 1, "meter type G matches 2G and 3,000 kW matches 3: %+v", nord.Difference)
	assert.Equal(t, client.FieldDifference{Pod: pod(2), Field: sii.ColTreatment, SiiValue: "O", BillingValue: "F"},
		*nord.Difference[0])

	other := resp.Distributor[1]
	assert.Equal(t, distributorOther, other.DistributorVat)
	assert.Equal(t, int32(1), other.SiiCount)
	assert.Equal(t, int32(0), other.BillingCount)
	assert.Equal(t, []string{pod(4)}, other.OnlyInSii)

	assert.Equal(t, "rcu-comparison-2026-01.xlsx", resp.WorkbookName)
	sheets := workbookSheets(t, resp.Workbook)
	assert.NotEmpty(t, sheets)

	// One distributor only.
	one, err := e.portA().CompareRegistryExtract(&client.CompareRegistryExtractRequest{Month: &jan2026Month,
		Distributor: code(distributorOther)})
	require.NoError(t, err)
	require.Len(t, one.Distributor, 1)
	assert.Equal(t, distributorOther, one.Distributor[0].DistributorVat)

	e.messages.validate(t)
}

func TestCompareRegistryExtractFaults(t *testing.T) {
	e := newEnv(t)
	e.loadRCU(t, e.a, jan2026, siiExtract)

	dec := client.Month("2025-12")
	_, err := e.portA().CompareRegistryExtract(&client.CompareRegistryExtractRequest{Month: &dec})
	c, d := faultOf(t, err)
	assert.Equal(t, "soapenv:Client", c)
	assert.Equal(t, "Month", d.Element)
	assert.Equal(t, "2025-12", d.Value)

	// The schema rejects this month too, so the messages of this test are
	// not validated with xmllint.
	bad := client.Month("2026-13")
	_, err = e.portA().CompareRegistryExtract(&client.CompareRegistryExtractRequest{Month: &bad})
	c, d = faultOf(t, err)
	assert.Equal(t, "soapenv:Client", c)
	assert.Equal(t, "Month", d.Element)

	_, err = e.portA().GetBonusReport(&client.GetBonusReportRequest{Date: xsdDate(2025, 12, 31)})
	c, d = faultOf(t, err)
	assert.Equal(t, "soapenv:Client", c)
	assert.Equal(t, "Date", d.Element)
	assert.Equal(t, "2025-12-31", d.Value)
}

func TestSIIReportsIsolation(t *testing.T) {
	e := newEnv(t)
	e.siiRegistry(t)
	e.loadRCU(t, e.a, jan2026, siiExtract)
	e.loadRCU(t, e.b, jan2026, "IT001E00000005;11111111111;Altro Distributore;01/01/2020;O;230;3;G;01/01/2026;;;B5\n")

	cmp, err := e.portB().CompareRegistryExtract(&client.CompareRegistryExtractRequest{Month: &jan2026Month})
	require.NoError(t, err)
	require.Len(t, cmp.Distributor, 1, "company b sees neither a's extract nor a's registry")
	assert.Equal(t, distributorOther, cmp.Distributor[0].DistributorVat)
	assert.Equal(t, []string{pod(5)}, cmp.Distributor[0].OnlyInSii)
	assert.Empty(t, cmp.Distributor[0].OnlyInBilling)
	assert.Equal(t, int32(0), cmp.Distributor[0].BillingCount)

	bonus, err := e.portB().GetBonusReport(&client.GetBonusReportRequest{Date: xsdDate(2026, 1, 15)})
	require.NoError(t, err)
	require.Len(t, bonus.Bonus, 1)
	assert.Equal(t, pod(5), bonus.Bonus[0].Pod)

	// Company b's extract of June 2022 names point 1, which only company a
	// registered in Campotosto.
	e.loadRCU(t, e.b, civil.Month{Year: 2022, Month: time.June},
		"IT001E00000001;09876543210;Distribuzione Nord;01/01/2020;O;230;3;G;;;;\n")
	old, err := e.portB().GetBonusReport(&client.GetBonusReportRequest{Date: xsdDate(2022, 7, 1)})
	require.NoError(t, err)
	require.True(t, old.Relief.Active)
	assert.Empty(t, old.Relief.Point, "a's sites do not locate b's points")
	assert.Equal(t, []string{pod(1)}, old.Relief.Unlocated)
	assert.Empty(t, old.Bonus)

	e.messages.validate(t)
}

func TestGetBonusReport(t *testing.T) {
	e := newEnv(t)
	e.siiRegistry(t)
	e.loadRCU(t, e.a, jan2026, siiExtract)
	e.loadRCU(t, e.a, civil.Month{Year: 2022, Month: time.June},
		"IT001E00000001;09876543210;Distribuzione Nord;01/01/2020;O;230;3;G;01/01/2022;31/12/2022;;B0\n"+
			"IT001E00000004;11111111111;Altro Distributore;01/01/2020;O;230;3;G;;;;\n")

	resp, err := e.portA().GetBonusReport(&client.GetBonusReportRequest{Date: xsdDate(2026, 2, 10)})
	require.NoError(t, err)
	require.NotNil(t, resp.Month)
	assert.Equal(t, jan2026Month, *resp.Month, "the newest extract not after February 2026")
	assert.Equal(t, "2026-02-10", resp.Date.ToGoTime().Format("2006-01-02"))
	require.Len(t, resp.Bonus, 2)
	assert.Equal(t, client.BonusPoint{Pod: pod(1), DistributorVat: distributorNord, Economic: true, Communication: "B1"},
		*resp.Bonus[0])
	assert.Equal(t, client.BonusPoint{Pod: pod(4), DistributorVat: distributorOther, Physical: true}, *resp.Bonus[1])
	require.NotNil(t, resp.Relief)
	assert.True(t, resp.Relief.Active, "the relief list ends on 31 December 2026")
	assert.NotEmpty(t, resp.Relief.Measure)
	assert.Equal(t, "2026-12-31", resp.Relief.ValidTo)
	require.Len(t, resp.Relief.Point, 2)
	byName := client.ReliefMatchNameandprovince
	campotosto := func(n int, day gowsdl.XSDDate) client.ReliefPoint {
		return client.ReliefPoint{Pod: pod(n), Municipality: "Campotosto", Province: "AQ", IstatCode: "066016",
			Annex: "1", MatchedBy: &byName, CoveredFrom: day, CoveredTo: day}
	}
	assert.Equal(t, campotosto(1, resp.Date), *resp.Relief.Point[0], "the site has no ISTAT code, so it matches by name")
	assert.Equal(t, campotosto(2, resp.Date), *resp.Relief.Point[1])
	assert.Equal(t, []string{pod(4)}, resp.Relief.Unlocated)
	assert.Equal(t, "rcu-benefits-2026-02-10.xlsx", resp.WorkbookName)
	assert.Contains(t, workbookSheets(t, resp.Workbook), sii.SheetSocialBonus)

	// In July 2022 the June extract is in force and the relief applies.
	old, err := e.portA().GetBonusReport(&client.GetBonusReportRequest{Date: xsdDate(2022, 7, 1)})
	require.NoError(t, err)
	assert.Equal(t, client.Month("2022-06"), *old.Month)
	require.Len(t, old.Bonus, 1)
	assert.Equal(t, pod(1), old.Bonus[0].Pod)
	assert.Equal(t, "B0", old.Bonus[0].Communication)
	require.True(t, old.Relief.Active)
	require.Len(t, old.Relief.Point, 1)
	assert.Equal(t, campotosto(1, old.Date), *old.Relief.Point[0])
	assert.Equal(t, []string{pod(4)}, old.Relief.Unlocated, "billing has no site for point 4")
	assert.Contains(t, workbookSheets(t, old.Workbook), sii.SheetRelief)

	// In 2027 the January 2026 extract is still the newest, but the relief
	// has ended.
	late, err := e.portA().GetBonusReport(&client.GetBonusReportRequest{Date: xsdDate(2027, 1, 10)})
	require.NoError(t, err)
	require.NotNil(t, late.Relief)
	assert.False(t, late.Relief.Active)
	assert.Empty(t, late.Relief.Point)

	e.messages.validate(t)
}

// workbookSheets decodes a base64Binary workbook and returns its sheets.
func workbookSheets(t *testing.T, content []byte) []string {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(content)))
	require.NoError(t, err, "the generated client keeps base64Binary as its base64 text")
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	require.NoError(t, err)
	defer f.Close()
	return f.GetSheetList()
}
