package soap_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/storetest"
	"github.com/bludispatcher/dispatcher/sii"
)

// Valid VAT numbers: Italian ones with their check digit and a foreign one.
const (
	uddVAT          = "01234567897"
	otherUdDVAT     = "02345678904"
	counterpartyVAT = "12345678903"
	foreignVAT      = "DE123456789"
)

func vatNumber(s string) *client.VatNumber {
	v := client.VatNumber(s)
	return &v
}

func dispatchingContract(s string) *client.DispatchingContract {
	c := client.DispatchingContract(s)
	return &c
}

func TestRegistryDispatchingData(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	batch := registryBatch()
	batch.SupplyPoint = batch.SupplyPoint[:1]
	sp := batch.SupplyPoint[0]
	sp.UdDVat, sp.CounterpartyVat, sp.DispatchingContract = vatNumber(uddVAT), vatNumber(foreignVAT), dispatchingContract("DP0427")

	resp, err := e.portA().UpdateRegistry(batch)
	require.NoError(t, err)
	require.Len(t, resp.Result, 4)
	for _, r := range resp.Result {
		assert.Equal(t, client.ItemStatusOk, *r.Status, "item %s: %+v", r.ItemId, r.Fault)
	}
	got, err := e.store.SupplyPoint(ctx, e.a, storetest.POD(1))
	require.NoError(t, err)
	assert.Equal(t, uddVAT, got.UdDVAT)
	assert.Equal(t, foreignVAT, got.CounterpartyVAT)
	assert.Equal(t, "DP0427", got.DispatchingContract)

	// An update replaces only the elements present.
	upd, err := e.portA().UpdateRegistry(&client.UpdateRegistryRequest{SupplyPoint: []*client.SupplyPointItem{
		{ItemId: code("u"), Operation: op("update"), Code: code(storetest.POD(1)), CounterpartyVat: vatNumber(counterpartyVAT)}}})
	require.NoError(t, err)
	require.Len(t, upd.Result, 1)
	assert.Equal(t, client.ItemStatusOk, *upd.Result[0].Status, "%+v", upd.Result[0].Fault)
	got, err = e.store.SupplyPoint(ctx, e.a, storetest.POD(1))
	require.NoError(t, err)
	assert.Equal(t, counterpartyVAT, got.CounterpartyVAT)
	assert.Equal(t, uddVAT, got.UdDVAT)
	assert.Equal(t, "DP0427", got.DispatchingContract)

	_, err = e.store.SupplyPoint(ctx, e.b, storetest.POD(1))
	assert.ErrorIs(t, err, store.ErrNotFound, "company b does not see company a's supply point")

	e.messages.validate(t)
}

func TestRegistryDispatchingFaults(t *testing.T) {
	e := newEnv(t)
	resp, err := e.portA().UpdateRegistry(registryBatch())
	require.NoError(t, err)
	require.Equal(t, client.ItemStatusOk, *resp.Result[3].Status, "%+v", resp.Result[3].Fault)
	gas := client.CommodityGas

	cases := []struct {
		name    string
		item    *client.SupplyPointItem
		element string
		value   string
	}{
		{"udd check digit", &client.SupplyPointItem{UdDVat: vatNumber("01234567890")}, "UdDVat", "01234567890"},
		{"udd ten digits", &client.SupplyPointItem{UdDVat: vatNumber("1234567897")}, "UdDVat", "1234567897"},
		{"udd empty", &client.SupplyPointItem{UdDVat: vatNumber("")}, "UdDVat", ""},
		{"counterparty hyphen", &client.SupplyPointItem{CounterpartyVat: vatNumber("DE-12345")}, "CounterpartyVat", "DE-12345"},
		{"counterparty too long", &client.SupplyPointItem{CounterpartyVat: vatNumber("DE123456789012345")},
			"CounterpartyVat", "DE123456789012345"},
		{"counterparty digits only", &client.SupplyPointItem{CounterpartyVat: vatNumber("123456789012")},
			"CounterpartyVat", "123456789012"},
		{"contract zero", &client.SupplyPointItem{DispatchingContract: dispatchingContract("DP0000")},
			"DispatchingContract", "DP0000"},
		{"contract lower case", &client.SupplyPointItem{DispatchingContract: dispatchingContract("dp0001")},
			"DispatchingContract", "dp0001"},
		{"contract short", &client.SupplyPointItem{DispatchingContract: dispatchingContract("DP123")},
			"DispatchingContract", "DP123"},
		{"contract on gas point", &client.SupplyPointItem{Code: code("01234567890123"), Commodity: &gas,
			Operation: op("create"), SiteCode: code("S1"), ValidFrom: xsdDate(2025, 1, 1),
			DispatchingContract: dispatchingContract("DP0001")}, "DispatchingContract", "DP0001"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			it := c.item
			it.ItemId = code(c.name)
			if it.Code == nil {
				it.Code, it.Operation = code(storetest.POD(1)), op("update")
			}
			resp, err := e.portA().UpdateRegistry(&client.UpdateRegistryRequest{SupplyPoint: []*client.SupplyPointItem{it}})
			require.NoError(t, err)
			require.Len(t, resp.Result, 1)
			r := resp.Result[0]
			assert.Equal(t, client.ItemStatusError, *r.Status)
			require.NotNil(t, r.Fault)
			assert.Equal(t, c.name, r.Fault.Item)
			assert.Equal(t, c.element, r.Fault.Element)
			assert.Equal(t, c.value, r.Fault.Value)
			assert.NotEmpty(t, r.Fault.Message)
		})
	}
	got, err := e.store.SupplyPoint(context.Background(), e.a, storetest.POD(1))
	require.NoError(t, err)
	assert.Empty(t, got.UdDVAT, "a rejected item changes nothing")
	assert.Empty(t, got.CounterpartyVAT, "a rejected item changes nothing")
	assert.Empty(t, got.DispatchingContract, "a rejected item changes nothing")
	_, err = e.store.SupplyPoint(context.Background(), e.a, "01234567890123")
	assert.ErrorIs(t, err, store.ErrNotFound, "the gas point with a dispatching contract is not created")
}

// dispatchingRegistry pushes, for company a, the supply points 1, 2 and 3
// of distributor Nord from 1 January 2020. Points 1 and 2 have dispatching
// user uddVAT and counterparty foreignVAT. Billing sends neither for
// point 3.
func (e *env) dispatchingRegistry(t *testing.T) {
	t.Helper()
	electricity := client.CommodityElectricity
	from := xsdDate(2020, 1, 1)
	point := func(n int) *client.SupplyPointItem {
		return &client.SupplyPointItem{ItemId: code(pod(n)), Operation: op("create"), Code: code(pod(n)),
			Commodity: &electricity, SiteCode: code("S1"), DistributorVat: code(distributorNord), ValidFrom: from}
	}
	p1, p2, p3 := point(1), point(2), point(3)
	for _, p := range []*client.SupplyPointItem{p1, p2} {
		p.UdDVat, p.CounterpartyVat, p.DispatchingContract = vatNumber(uddVAT), vatNumber(foreignVAT), dispatchingContract("DP0427")
	}
	resp, err := e.portA().UpdateRegistry(&client.UpdateRegistryRequest{
		Customer: []*client.CustomerItem{{ItemId: code("c"), Operation: op("create"), Code: code("C1"),
			Name: text("Rossi"), ValidFrom: from}},
		Site: []*client.SiteItem{{ItemId: code("s"), Operation: op("create"), Code: code("S1"), CustomerCode: code("C1"),
			Name: text("Casa"), ValidFrom: from}},
		SupplyPoint: []*client.SupplyPointItem{p1, p2, p3},
	})
	require.NoError(t, err)
	for _, r := range resp.Result {
		require.Equal(t, client.ItemStatusOk, *r.Status, "item %s: %+v", r.ItemId, r.Fault)
	}
}

// loadRCUText stores the points of the RCU extract data, header row
// included, as one load of company co for month.
func (e *env) loadRCUText(t *testing.T, co store.CompanyID, month civil.Month, data string) {
	t.Helper()
	ctx := context.Background()
	name := "RCU_" + month.Compact() + ".csv"
	tx, err := e.store.BeginLoad(ctx, store.LoadInfo{Company: co, Name: name, Path: "inbox/" + name,
		Size: int64(len(data)), SHA256: storetest.SHA256([]byte(data)), Original: bytes.NewReader([]byte(data))})
	require.NoError(t, err)
	dtx, ok := tx.(store.DomainTx)
	require.True(t, ok, "the load transaction stores RCU points")
	dtx.SetFlowCode("RCU")
	r, err := sii.NewRCUReader(bytes.NewReader([]byte(data)), sii.RCUOptions{})
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

// dispatchingExtract agrees with dispatchingRegistry on point 1, in
// another letter case and with the counterparty's spaces, and gives point
// 2 another dispatching user and counterparty. Billing sent nothing to
// compare point 3 with.
const dispatchingExtract = "COD_POD;PIVA_DISTR;RAGIONE_SOCIALE_DISTR;DATA_INIZIO_FORNITURA;PIVA_UDD;PIVA_CC\n" +
	"IT001E00000001;09876543210;Distribuzione Nord;01/01/2020;01234567897; de123456789 \n" +
	"IT001E00000002;09876543210;Distribuzione Nord;01/01/2020;02345678904;12345678903\n" +
	"IT001E00000003;09876543210;Distribuzione Nord;01/01/2020;02345678904;12345678903\n"

func TestCompareRegistryExtractDispatching(t *testing.T) {
	e := newEnv(t)
	e.dispatchingRegistry(t)
	e.loadRCUText(t, e.a, jan2026, dispatchingExtract)

	resp, err := e.portA().CompareRegistryExtract(&client.CompareRegistryExtractRequest{Month: &jan2026Month})
	require.NoError(t, err)
	require.Len(t, resp.Distributor, 1)
	nord := resp.Distributor[0]
	assert.Equal(t, int32(3), nord.SiiCount)
	assert.Equal(t, int32(3), nord.BillingCount)
	assert.Empty(t, nord.OnlyInSii)
	assert.Empty(t, nord.OnlyInBilling)
	assert.Equal(t, []*client.FieldDifference{
		{Pod: pod(2), Field: sii.ColUdDVAT, SiiValue: otherUdDVAT, BillingValue: uddVAT},
		{Pod: pod(2), Field: sii.ColCounterpartyVAT, SiiValue: counterpartyVAT, BillingValue: foreignVAT},
	}, nord.Difference, "point 1 agrees and billing has no dispatching data for point 3")

	e.messages.validate(t)
}
