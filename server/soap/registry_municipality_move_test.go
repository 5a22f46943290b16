package soap_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/soap/client"
)

func TestRegistrySiteMoveKeepsNoStaleCode(t *testing.T) {
	tests := []struct {
		name                   string
		municipality, province string // the update's elements, empty when left out
		code                   string // the update's MunicipalityCode, empty when left out
		wantFault              bool
		wantMunicipality       string
		wantCode               string
	}{
		{"new municipality without code", "Milano", "MI", "", true, "Campotosto", "066016"},
		{"new province without code", "", "TE", "", true, "Campotosto", "066016"},
		{"new spelling without code", "Campo Tosto", "", "", true, "Campotosto", "066016"},
		{"new municipality with its code", "Milano", "MI", "015146", false, "Milano", "015146"},
		{"case and spacing only", " CAMPOTOSTO ", "aq", "", false, " CAMPOTOSTO ", "066016"},
		{"same municipality", "Campotosto", "AQ", "", false, "Campotosto", "066016"},
		{"code only", "", "", "066017", false, "Campotosto", "066017"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			s1 := siteItem("s1")
			s1.MunicipalityCode = istatCode("066016")
			e.pushSites(t, s1)

			item := &client.SiteItem{ItemId: code("u"), Operation: op("update"), Code: code("S1")}
			if tt.municipality != "" {
				item.Municipality = text(tt.municipality)
			}
			if tt.province != "" {
				item.Province = code(tt.province)
			}
			if tt.code != "" {
				item.MunicipalityCode = istatCode(tt.code)
			}
			resp, err := e.portA().UpdateRegistry(&client.UpdateRegistryRequest{Site: []*client.SiteItem{item}})
			require.NoError(t, err)
			require.Len(t, resp.Result, 1)
			r := resp.Result[0]
			if tt.wantFault {
				assert.Equal(t, client.ItemStatusError, *r.Status)
				require.NotNil(t, r.Fault)
				assert.Equal(t, "MunicipalityCode", r.Fault.Element)
				assert.Contains(t, r.Fault.Message, "066016")
			} else {
				assert.Equal(t, client.ItemStatusOk, *r.Status, "%+v", r.Fault)
			}

			got, err := e.store.Site(context.Background(), e.a, "S1")
			require.NoError(t, err)
			assert.Equal(t, tt.wantMunicipality, got.Municipality)
			assert.Equal(t, tt.wantCode, got.MunicipalityCode)
			e.messages.validate(t)
		})
	}
}

func TestRegistrySiteNameAddedToCode(t *testing.T) {
	e := newEnv(t)
	coded := siteItem("s1")
	coded.Municipality, coded.Province, coded.MunicipalityCode = nil, nil, istatCode("043057")
	uncoded := siteItem("s2")
	uncoded.Code = code("S2")
	e.pushSites(t, coded, uncoded)

	resp, err := e.portA().UpdateRegistry(&client.UpdateRegistryRequest{Site: []*client.SiteItem{
		{ItemId: code("u1"), Operation: op("update"), Code: code("S1"), Municipality: text("Visso"), Province: code("MC")},
		{ItemId: code("u2"), Operation: op("update"), Code: code("S2"), Municipality: text("Milano"), Province: code("MI")},
	}})
	require.NoError(t, err)
	require.Len(t, resp.Result, 2)
	for _, r := range resp.Result {
		assert.Equal(t, client.ItemStatusOk, *r.Status, "item %s: %+v", r.ItemId, r.Fault)
	}
	got, err := e.store.Site(context.Background(), e.a, "S1")
	require.NoError(t, err)
	assert.Equal(t, "Visso", got.Municipality, "a name added to a site with a code only")
	assert.Equal(t, "043057", got.MunicipalityCode)
	got, err = e.store.Site(context.Background(), e.a, "S2")
	require.NoError(t, err)
	assert.Equal(t, "Milano", got.Municipality, "a site without code moves freely")
	assert.Empty(t, got.MunicipalityCode)
}
