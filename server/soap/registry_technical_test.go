package soap_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/storetest"
)

func treatment(s string) *client.Treatment {
	t := client.Treatment(s)
	return &t
}

func decimalText(s string) *client.DecimalText {
	d := client.DecimalText(s)
	return &d
}

func voltage(s string) *client.VoltageV {
	v := client.VoltageV(s)
	return &v
}

func meterType(s string) *client.MeterType {
	m := client.MeterType(s)
	return &m
}

func TestRegistryTechnicalData(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	batch := registryBatch()
	batch.SupplyPoint = batch.SupplyPoint[:1]
	sp := batch.SupplyPoint[0]
	sp.Treatment, sp.ContractedPowerKw, sp.AvailablePowerKw = treatment("F"), decimalText("3"), decimalText("3,3")
	sp.VoltageV, sp.MeterType = voltage("230"), meterType("2G")

	resp, err := e.portA().UpdateRegistry(batch)
	require.NoError(t, err)
	require.Len(t, resp.Result, 4)
	for _, r := range resp.Result {
		assert.Equal(t, client.ItemStatusOk, *r.Status, "item %s: %+v", r.ItemId, r.Fault)
	}
	got, err := e.store.SupplyPoint(ctx, e.a, storetest.POD(1))
	require.NoError(t, err)
	assert.Equal(t, store.SupplyTechnical{Treatment: "F", ContractedPower: "3", AvailablePower: "3,3",
		Voltage: "230", MeterType: "2G"}, got.Technical)

	// An update replaces only the elements present.
	upd, err := e.portA().UpdateRegistry(&client.UpdateRegistryRequest{SupplyPoint: []*client.SupplyPointItem{
		{ItemId: code("u"), Operation: op("update"), Code: code(storetest.POD(1)), ContractedPowerKw: decimalText("4.5")}}})
	require.NoError(t, err)
	assert.Equal(t, client.ItemStatusOk, *upd.Result[0].Status)
	got, err = e.store.SupplyPoint(ctx, e.a, storetest.POD(1))
	require.NoError(t, err)
	assert.Equal(t, "4.5", got.Technical.ContractedPower)
	assert.Equal(t, "F", got.Technical.Treatment)

	// Company b does not see company a's supply point.
	_, err = e.store.SupplyPoint(ctx, e.b, storetest.POD(1))
	assert.ErrorIs(t, err, store.ErrNotFound)

	e.messages.validate(t)
}

func TestRegistryTechnicalFaults(t *testing.T) {
	e := newEnv(t)
	_, err := e.portA().UpdateRegistry(registryBatch())
	require.NoError(t, err)
	gas := client.CommodityGas

	cases := []struct {
		name    string
		item    *client.SupplyPointItem
		element string
		value   string
	}{
		{"treatment", &client.SupplyPointItem{Treatment: treatment("X")}, "Treatment", "X"},
		{"power", &client.SupplyPointItem{ContractedPowerKw: decimalText("3kW")}, "ContractedPowerKw", "3kW"},
		{"available power", &client.SupplyPointItem{AvailablePowerKw: decimalText("-1")}, "AvailablePowerKw", "-1"},
		{"voltage", &client.SupplyPointItem{VoltageV: voltage("0,4")}, "VoltageV", "0,4"},
		{"meter type", &client.SupplyPointItem{MeterType: meterType("3G")}, "MeterType", "3G"},
		{"gas point", &client.SupplyPointItem{Code: code("01234567890123"), Commodity: &gas, Operation: op("create"),
			SiteCode: code("S1"), ValidFrom: xsdDate(2025, 1, 1), VoltageV: voltage("230")}, "VoltageV", "230"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			it := c.item
			it.ItemId = code(c.name)
			if it.Code == nil {
				it.Code, it.Operation = code(storetest.POD(1)), op("update")
			}
			resp, err := e.portA().UpdateRegistry(&client.UpdateRegistryRequest{SupplyPoint: []*client.SupplyPointItem{it}})
			require.NoError(t, err, "case %d", i)
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
	assert.Equal(t, store.SupplyTechnical{}, got.Technical, "a rejected item changes nothing")
}
