package soap_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/soap/client"
)

func istatCode(s string) *client.IstatCode {
	c := client.IstatCode(s)
	return &c
}

// siteItem returns the creation of site S1 of customer C1 in Campotosto
// (AQ), from 1 January 2025.
func siteItem(id string) *client.SiteItem {
	return &client.SiteItem{ItemId: code(id), Operation: op("create"), Code: code("S1"), CustomerCode: code("C1"),
		Name: text("Casa"), Municipality: text("Campotosto"), Province: code("AQ"), ValidFrom: xsdDate(2025, 1, 1)}
}

// pushSites sends one registry batch of customer C1 and sites through the
// generated client of company a and requires every item to pass.
func (e *env) pushSites(t *testing.T, sites ...*client.SiteItem) {
	t.Helper()
	resp, err := e.portA().UpdateRegistry(&client.UpdateRegistryRequest{
		Customer: []*client.CustomerItem{{ItemId: code("c"), Operation: op("create"), Code: code("C1"),
			Name: text("Rossi"), ValidFrom: xsdDate(2020, 1, 1)}},
		Site: sites,
	})
	require.NoError(t, err)
	require.Len(t, resp.Result, 1+len(sites))
	for _, r := range resp.Result {
		require.Equal(t, client.ItemStatusOk, *r.Status, "item %s: %+v", r.ItemId, r.Fault)
	}
}

func TestRegistrySiteMunicipalityCode(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	s1 := siteItem("s1")
	s1.MunicipalityCode = istatCode("066016")
	s2 := siteItem("s2")
	s2.Code = code("S2")
	e.pushSites(t, s1, s2)

	got, err := e.store.Site(ctx, e.a, "S1")
	require.NoError(t, err)
	assert.Equal(t, "066016", got.MunicipalityCode)
	assert.Equal(t, "Campotosto", got.Municipality)
	without, err := e.store.Site(ctx, e.a, "S2")
	require.NoError(t, err)
	assert.Empty(t, without.MunicipalityCode, "a site created without the element has no code")

	// An update without the element keeps the code, and one with it
	// replaces it.
	resp, err := e.portA().UpdateRegistry(&client.UpdateRegistryRequest{Site: []*client.SiteItem{
		{ItemId: code("u1"), Operation: op("update"), Code: code("S1"), Name: text("Casa al lago")},
		{ItemId: code("u2"), Operation: op("update"), Code: code("S2"), MunicipalityCode: istatCode("043017")},
	}})
	require.NoError(t, err)
	require.Len(t, resp.Result, 2)
	for _, r := range resp.Result {
		assert.Equal(t, client.ItemStatusOk, *r.Status, "item %s: %+v", r.ItemId, r.Fault)
	}
	got, err = e.store.Site(ctx, e.a, "S1")
	require.NoError(t, err)
	assert.Equal(t, "Casa al lago", got.Name)
	assert.Equal(t, "066016", got.MunicipalityCode, "an update without the element keeps the code")
	got, err = e.store.Site(ctx, e.a, "S2")
	require.NoError(t, err)
	assert.Equal(t, "043017", got.MunicipalityCode)
	assert.Equal(t, "Campotosto", got.Municipality, "an update replaces only the elements present")

	e.messages.validate(t)
}

func TestRegistrySiteMunicipalityCodeFaults(t *testing.T) {
	e := newEnv(t)
	e.pushSites(t, siteItem("s1"))
	cases := []struct {
		name  string
		value string
	}{
		{"five digits", "66016"},
		{"seven digits", "0660160"},
		{"letters", "06601A"},
		{"cadastral code", "B569"},
		{"spaces", " 066016"},
		{"empty", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, err := e.portA().UpdateRegistry(&client.UpdateRegistryRequest{Site: []*client.SiteItem{
				{ItemId: code(c.name), Operation: op("update"), Code: code("S1"), MunicipalityCode: istatCode(c.value)}}})
			require.NoError(t, err)
			require.Len(t, resp.Result, 1)
			r := resp.Result[0]
			assert.Equal(t, client.ItemStatusError, *r.Status)
			assert.Equal(t, "S1", r.Code)
			require.NotNil(t, r.Fault)
			assert.Equal(t, c.name, r.Fault.Item)
			assert.Equal(t, "MunicipalityCode", r.Fault.Element)
			assert.Equal(t, c.value, r.Fault.Value)
			assert.Contains(t, r.Fault.Message, `site "S1"`)
			assert.Contains(t, r.Fault.Message, "six digits")
		})
	}

	// A new site with an invalid code is not created.
	bad := siteItem("new")
	bad.Code, bad.MunicipalityCode = code("S9"), istatCode("66016")
	resp, err := e.portA().UpdateRegistry(&client.UpdateRegistryRequest{Site: []*client.SiteItem{bad}})
	require.NoError(t, err)
	require.Len(t, resp.Result, 1)
	assert.Equal(t, client.ItemStatusError, *resp.Result[0].Status)
	_, err = e.store.Site(context.Background(), e.a, "S9")
	assert.Error(t, err, "the site with an invalid code is not created")

	got, err := e.store.Site(context.Background(), e.a, "S1")
	require.NoError(t, err)
	assert.Empty(t, got.MunicipalityCode, "a rejected item changes nothing")
}
