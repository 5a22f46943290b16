package soap_test

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/sii"
)

// reliefRegistry pushes, for company a, one site per way a relief entry
// can match or fail to match, each with supply point n of distributor
// Nord from 1 January 2020:
//
//  1. S1 "Campo Tosto" (AQ) with the ISTAT code of Campotosto, 066016.
//  2. S2 Valfornace (MC), 043058, the successor of two listed municipalities.
//  3. S3 Norcia (PG) without ISTAT code.
//  4. S4 "Campotosto" (AQ) with the ISTAT code of Milano, 015146.
//  5. S5 with the ISTAT code of Visso, 043057, and no name.
//
// Point 6 has no supply point in billing.
func (e *env) reliefRegistry(t *testing.T) {
	t.Helper()
	from := xsdDate(2020, 1, 1)
	electricity := client.CommodityElectricity
	site := func(n int, name, province, istat string) *client.SiteItem {
		s := &client.SiteItem{ItemId: code("s" + string(rune('0'+n))), Operation: op("create"),
			Code: code("S" + string(rune('0'+n))), CustomerCode: code("C1"), Name: text("Casa"), ValidFrom: from}
		if name != "" {
			s.Municipality, s.Province = text(name), code(province)
		}
		if istat != "" {
			s.MunicipalityCode = istatCode(istat)
		}
		return s
	}
	var points []*client.SupplyPointItem
	for n := 1; n <= 5; n++ {
		points = append(points, &client.SupplyPointItem{ItemId: code(pod(n)), Operation: op("create"), Code: code(pod(n)),
			Commodity: &electricity, SiteCode: code("S" + string(rune('0'+n))), DistributorVat: code(distributorNord),
			ValidFrom: from})
	}
	resp, err := e.portA().UpdateRegistry(&client.UpdateRegistryRequest{
		Customer: []*client.CustomerItem{{ItemId: code("c"), Operation: op("create"), Code: code("C1"),
			Name: text("Rossi"), ValidFrom: from}},
		Site: []*client.SiteItem{site(1, "Campo Tosto", "AQ", "066016"), site(2, "Valfornace", "MC", "043058"),
			site(3, "Norcia", "PG", ""), site(4, "Campotosto", "AQ", "015146"), site(5, "", "", "043057")},
		SupplyPoint: points,
	})
	require.NoError(t, err)
	for _, r := range resp.Result {
		require.Equal(t, client.ItemStatusOk, *r.Status, "item %s: %+v", r.ItemId, r.Fault)
	}
}

func TestGetBonusReportReliefMatches(t *testing.T) {
	e := newEnv(t)
	e.reliefRegistry(t)
	var extract strings.Builder
	for n := 1; n <= 6; n++ {
		extract.WriteString(pod(n) + ";09876543210;Distribuzione Nord;01/01/2020;O;230;3;G;;;;\n")
	}
	e.loadRCU(t, e.a, civil.Month{Year: 2022, Month: time.June}, extract.String())

	resp, err := e.portA().GetBonusReport(&client.GetBonusReportRequest{Date: xsdDate(2022, 7, 1)})
	require.NoError(t, err)
	require.NotNil(t, resp.Relief)
	require.True(t, resp.Relief.Active)
	require.Len(t, resp.Relief.Point, 4, "point 4 lies in Milano by its ISTAT code, whatever its name")
	byCode, bySuccessor, byName := client.ReliefMatchISTATcode, client.ReliefMatchSuccessorISTATcode,
		client.ReliefMatchNameandprovince
	day := xsdDate(2022, 7, 1)

	assert.Equal(t, client.ReliefPoint{Pod: pod(1), Municipality: "Campo Tosto", Province: "AQ",
		SiteMunicipalityCode: "066016", IstatCode: "066016", Annex: "1", MatchedBy: &byCode,
		CoveredFrom: day, CoveredTo: day}, *resp.Relief.Point[0],
		"the code matches though the name is spelled otherwise")

	successor := resp.Relief.Point[1]
	assert.Equal(t, pod(2), successor.Pod)
	assert.Equal(t, "Valfornace", successor.Municipality)
	assert.Equal(t, "043058", successor.SiteMunicipalityCode)
	assert.Contains(t, []string{"043018", "043037"}, successor.IstatCode,
		"Valfornace absorbed Fiordimonte and Pievebovigliana")
	require.NotNil(t, successor.MatchedBy)
	assert.Equal(t, bySuccessor, *successor.MatchedBy)

	assert.Equal(t, client.ReliefPoint{Pod: pod(3), Municipality: "Norcia", Province: "PG",
		IstatCode: "054035", Annex: "1", MatchedBy: &byName, CoveredFrom: day, CoveredTo: day}, *resp.Relief.Point[2])

	assert.Equal(t, client.ReliefPoint{Pod: pod(5), SiteMunicipalityCode: "043057", IstatCode: "043057",
		Annex: "1", MatchedBy: &byCode, CoveredFrom: day, CoveredTo: day}, *resp.Relief.Point[3],
		"a site with a code and no name is located")

	assert.Equal(t, []string{pod(6)}, resp.Relief.Unlocated)

	rows := reliefRows(t, resp.Workbook)
	require.Len(t, rows, 6, "a header, four points and one unlocated point")
	assert.Equal(t, []string{"01/07/2022", pod(1), distributorNord, "Campotosto", "AQ", "066016", "1", "no",
		"ISTAT code", "066016", "01/07/2022", "01/07/2022"}, rows[1], "the workbook row of the point matched by code")

	e.messages.validate(t)
}

// reliefRows decodes a base64Binary workbook and returns the rows of its
// relief sheet.
func reliefRows(t *testing.T, content []byte) [][]string {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(content)))
	require.NoError(t, err)
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	require.NoError(t, err)
	defer f.Close()
	rows, err := f.GetRows(sii.SheetRelief)
	require.NoError(t, err)
	return rows
}
