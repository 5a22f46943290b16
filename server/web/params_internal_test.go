package web

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/internal/param"
)

func TestCatalogKeyInEveryCatalog(t *testing.T) {
	cats, err := loadCatalogs()
	require.NoError(t, err)
	for _, form := range []param.Form{param.Positive, param.Date, param.DateNotBeforeFrom, param.Month} {
		key := catalogKey(form)
		for lang, cat := range cats {
			assert.Contains(t, cat, key, "form %q in %s", form, lang)
		}
	}
}
