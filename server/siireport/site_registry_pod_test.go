package siireport_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/siireport"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/sqlite"
	"github.com/bludispatcher/dispatcher/sii"
)

// openSiteStore opens a SQLite store with company acme and its customer
// C1, valid from 1 January 2020.
func openSiteStore(t *testing.T) (store.Store, store.Company, store.Validity) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "sites.db"))
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	co, err := st.CreateCompany(ctx, store.Company{Code: "acme", Name: "Acme"})
	require.NoError(t, err)
	from := store.Validity{From: civil.Date{Year: 2020, Month: 1, Day: 1}}
	require.NoError(t, st.PutCustomer(ctx, store.Customer{Company: co.ID, Code: "C1", Name: "Rossi", Validity: from}))
	return st, co, from
}

// TestReliefPODLengths checks which POD lengths, 14 or 15 characters in
// the extract and in billing, locate a relief site.
func TestReliefPODLengths(t *testing.T) {
	ctx := context.Background()
	st, co, from := openSiteStore(t)
	require.NoError(t, st.PutSite(ctx, store.Site{Company: co.ID, Code: "S1", Customer: "C1", Name: "Casa",
		MunicipalityCode: "054035", Validity: from}))
	for _, pod := range []string{"IT001E00000001", "IT001E00000002A", "IT001E00000003B"} {
		require.NoError(t, st.PutSupplyPoint(ctx, store.SupplyPoint{Company: co.ID, Code: pod,
			Commodity: store.Electricity, Site: "S1", Validity: from}))
	}

	tests := []struct {
		name, extractPOD string
		located          bool
	}{
		{"14 in both", "IT001E00000001", true},
		{"15 in the extract, 14 in billing", "IT001E00000001Z", true},
		{"15 in both", "IT001E00000002A", true},
		{"15 in both, lower case with spaces", " it001e00000003b ", true},
		{"14 in the extract, 15 in billing", "IT001E00000002", true},
		{"15 in the extract, another 15th in billing", "IT001E00000003Z", true},
		{"unknown", "IT001E00000009", false},
	}
	sites := siireport.SiteRegistry{Store: st, Company: co.ID}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := sii.ReliefPoints(ctx, []*sii.RCURecord{{POD: tt.extractPOD}}, sites, sii.EarthquakeRelief2016(),
				civil.Date{Year: 2022, Month: 7, Day: 1})
			require.NoError(t, err)
			if !tt.located {
				assert.Empty(t, res.Points)
				assert.Equal(t, []string{sii.PODKey(tt.extractPOD)}, res.Unlocated)
				return
			}
			require.Len(t, res.Points, 1)
			assert.Empty(t, res.Unlocated)
			assert.Equal(t, sii.PODKey(tt.extractPOD), res.Points[0].POD)
			assert.Equal(t, "Norcia", res.Points[0].Entry.Name)
		})
	}
}

// TestReliefPODKeyAmbiguous checks that a 14-character POD matching two
// stored points fails the report and names both, rather than pick one.
func TestReliefPODKeyAmbiguous(t *testing.T) {
	ctx := context.Background()
	st, co, from := openSiteStore(t)
	require.NoError(t, st.PutSite(ctx, store.Site{Company: co.ID, Code: "S1", Customer: "C1", Name: "Casa",
		MunicipalityCode: "054035", Validity: from}))
	for _, pod := range []string{"IT001E00000004A", "IT001E00000004B"} {
		require.NoError(t, st.PutSupplyPoint(ctx, store.SupplyPoint{Company: co.ID, Code: pod,
			Commodity: store.Electricity, Site: "S1", Validity: from}))
	}
	sites := siireport.SiteRegistry{Store: st, Company: co.ID}

	_, err := sii.ReliefPoints(ctx, []*sii.RCURecord{{POD: "IT001E00000004"}}, sites, sii.EarthquakeRelief2016(),
		civil.Date{Year: 2022, Month: 7, Day: 1})
	require.ErrorIs(t, err, store.ErrAmbiguous)
	assert.ErrorContains(t, err, "IT001E00000004A, IT001E00000004B")
}
