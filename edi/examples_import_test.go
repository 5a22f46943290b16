package edi

import (
	"context"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Examples are the code that users copy, and a program outside this module
// cannot import its internal packages, so examples must not need them.
func TestExamplesImportNoInternalPackage(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "example_test.go", nil, parser.ImportsOnly)
	require.NoError(t, err)
	for _, imp := range f.Imports {
		path, err := strconv.Unquote(imp.Path.Value)
		require.NoError(t, err)
		assert.False(t, strings.Contains(path, "/internal/"), "example imports %s", path)
	}
}

type outsideRegistry struct{}

// Supplied is written as a program outside this module must write it,
// with no internal package.
func (outsideRegistry) Supplied(_ context.Context, _, _ string, _, _ CivilDate) (bool, error) {
	return true, nil
}

func TestRegistryImplementableOutsideModule(t *testing.T) {
	var r Registry = outsideRegistry{}
	ok, err := r.Supplied(context.Background(), "c", "IT001E12345678", CivilDate{}, CivilDate{})
	require.NoError(t, err)
	assert.True(t, ok)
}
