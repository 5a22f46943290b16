package ingest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSameVAT(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"12345678901", "12345678901", true},
		{"IT12345678901", "12345678901", true},
		{"it12345678901", "IT 12345678901", true},
		{"12345678901", "98765432109", false},
		{"DE123456789", "123456789", false},
		{"DE123456789", "de123456789", true},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, sameVAT(tc.a, tc.b), "%q and %q", tc.a, tc.b)
	}
}
