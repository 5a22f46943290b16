package storetest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testRegistryMunicipalityCode checks that the ISTAT code of a site's
// municipality survives a put and a reopen, is replaced with the whole
// site, and stays with its company.
func testRegistryMunicipalityCode(t *testing.T, f Factory) {
	s, reopen := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "istat")
	putRegistry(t, s, co, POD(84))

	site, err := s.Site(ctx, co, "S1")
	require.NoError(t, err)
	assert.Empty(t, site.MunicipalityCode, "a site put without an ISTAT code has none")

	site.MunicipalityCode = "015146"
	require.NoError(t, s.PutSite(ctx, site))
	got, err := reopen(t).Site(ctx, co, "S1")
	require.NoError(t, err)
	assert.Equal(t, "015146", got.MunicipalityCode)
	assert.Equal(t, "Milano", got.Municipality, "the name is kept alongside the code")
	assert.Equal(t, "MI", got.Province)

	site.MunicipalityCode = "043017"
	require.NoError(t, s.PutSite(ctx, site))
	got, err = s.Site(ctx, co, "S1")
	require.NoError(t, err)
	assert.Equal(t, "043017", got.MunicipalityCode, "a put replaces the code")

	site.MunicipalityCode = ""
	require.NoError(t, s.PutSite(ctx, site))
	got, err = s.Site(ctx, co, "S1")
	require.NoError(t, err)
	assert.Empty(t, got.MunicipalityCode, "a put replaces the whole site")

	sp, err := s.SupplyPoint(ctx, co, POD(84))
	require.NoError(t, err)
	assert.Equal(t, "S1", sp.Site, "putting the site keeps its supply point")

	other := company(t, s, "istat2")
	putRegistry(t, s, other, POD(84))
	site.MunicipalityCode = "066016"
	require.NoError(t, s.PutSite(ctx, site))
	theirs, err := s.Site(ctx, other, "S1")
	require.NoError(t, err)
	assert.Empty(t, theirs.MunicipalityCode, "another company's site with the same code is separate")
}
