package soap_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/soap"
)

// nested returns n nested elements named x.
func nested(n int) string {
	return strings.Repeat("<x>", n) + strings.Repeat("</x>", n)
}

func TestDeepNestingRejected(t *testing.T) {
	e := newEnv(t)
	const open = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">`
	const request = `<ListLoadsRequest xmlns="urn:bludispatcher:dispatcher:v1">`
	cases := []struct {
		name, body string
	}{
		{"body", open + `<soapenv:Body>` + request + nested(1_000_000) +
			`</ListLoadsRequest></soapenv:Body></soapenv:Envelope>`},
		{"header", open + `<soapenv:Header>` + nested(1_000_000) + `</soapenv:Header><soapenv:Body>` +
			request + `</ListLoadsRequest></soapenv:Body></soapenv:Envelope>`},
		{"just over the limit", open + `<soapenv:Body>` + request + nested(soap.MaxDepth-2) +
			`</ListLoadsRequest></soapenv:Body></soapenv:Envelope>`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := e.post(t, tc.body)
			assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
			c, d := parseFault(t, b)
			assert.Equal(t, "soapenv:Client", c)
			assert.Equal(t, "Envelope", d.Element)
			assert.Contains(t, d.Message, "nesting deeper than")
		})
	}
}

func TestNestingAtLimitAccepted(t *testing.T) {
	e := newEnv(t)
	// Envelope, Body and the request element take three levels, so the
	// header entry below reaches exactly MaxDepth.
	body := `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header>` +
		nested(soap.MaxDepth-2) + `</soapenv:Header><soapenv:Body>` +
		`<ListLoadsRequest xmlns="urn:bludispatcher:dispatcher:v1"/></soapenv:Body></soapenv:Envelope>`
	resp, b := e.post(t, body)
	assert.Equal(t, http.StatusOK, resp.StatusCode, string(b))
}

func TestBearerSchemeCaseInsensitive(t *testing.T) {
	e := newEnv(t)
	body := `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>` +
		`<ListLoadsRequest xmlns="urn:bludispatcher:dispatcher:v1"/></soapenv:Body></soapenv:Envelope>`
	for _, scheme := range []string{"Bearer", "bearer", "BEARER", "bEaReR"} {
		t.Run(scheme, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, e.url, strings.NewReader(body))
			require.NoError(t, err)
			req.Header.Set("Authorization", scheme+" "+e.tokenA)
			req.Header.Set("Content-Type", "text/xml; charset=utf-8")
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, http.StatusOK, resp.StatusCode)
		})
	}
}
