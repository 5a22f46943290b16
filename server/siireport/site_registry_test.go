package siireport_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/siireport"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/sii"
)

func TestSiteMunicipality(t *testing.T) {
	ctx := context.Background()
	st, co, from := openSiteStore(t)

	cases := []struct {
		name   string
		site   store.Site
		want   sii.Municipality
		wantOK bool
	}{
		{"code and name", store.Site{Municipality: "Campo Tosto", Province: "AQ", MunicipalityCode: "066016"},
			sii.Municipality{ISTATCode: "066016", Name: "Campo Tosto", Province: "AQ"}, true},
		{"code only", store.Site{MunicipalityCode: "043057"}, sii.Municipality{ISTATCode: "043057"}, true},
		{"name only", store.Site{Municipality: "Norcia", Province: "PG"},
			sii.Municipality{Name: "Norcia", Province: "PG"}, true},
		{"neither", store.Site{Province: "PG"}, sii.Municipality{}, false},
	}
	sites := siireport.SiteRegistry{Store: st, Company: co.ID}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pod := "IT001E0000000" + string(rune('1'+i))
			site := c.site
			site.Company, site.Code, site.Customer, site.Name, site.Validity = co.ID, "S"+pod, "C1", "Casa", from
			require.NoError(t, st.PutSite(ctx, site))
			require.NoError(t, st.PutSupplyPoint(ctx, store.SupplyPoint{Company: co.ID, Code: pod,
				Commodity: store.Electricity, Site: site.Code, Validity: from}))

			got, ok, err := sites.SiteMunicipality(ctx, pod)
			require.NoError(t, err)
			assert.Equal(t, c.wantOK, ok)
			assert.Equal(t, c.want, got)
		})
	}

	got, ok, err := sites.SiteMunicipality(ctx, "IT001E00000009")
	require.NoError(t, err)
	assert.False(t, ok, "billing pushed no supply point")
	assert.Equal(t, sii.Municipality{}, got)
}
