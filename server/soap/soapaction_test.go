package soap_test

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/store/storetest"
)

// postAction sends a raw body with company a's token and the given
// SOAPAction header, and returns the response.
func (e *env) postAction(t *testing.T, action, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.url, strings.NewReader(body))
	require.NoError(t, err)
	req.SetBasicAuth("raw", e.tokenA)
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	req.Header.Set("SOAPAction", action)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, b
}

func TestSOAPActionMismatchRejected(t *testing.T) {
	e := newEnv(t)
	e.load(t, e.a, "pdo.xml", "PDO", 1, storetest.HourlyRecord(storetest.POD(1), jan2026, 1))
	port := e.portA()
	pending, err := port.ListPendingExport(&client.ListPendingExportRequest{})
	require.NoError(t, err)
	require.NotEmpty(t, pending.Item)
	seq := pending.Item[0].Sequence
	_, err = port.AcknowledgeExport(&client.AcknowledgeExportRequest{Sequence: seqs(pending.Item)})
	require.NoError(t, err)

	reexport := `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>
<ReexportRequest xmlns="urn:bludispatcher:dispatcher:v1"><Sequence>` + strconv.FormatInt(seq, 10) +
		`</Sequence></ReexportRequest></soapenv:Body></soapenv:Envelope>`

	// A read-only action on a request that writes is a client error, so
	// a gateway that filters on SOAPAction cannot be bypassed.
	resp, b := e.postAction(t, `"urn:bludispatcher:dispatcher:v1#ListLoads"`, reexport)
	assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	c, d := parseFault(t, b)
	assert.Equal(t, "soapenv:Client", c)
	assert.Equal(t, "SOAPAction", d.Element)
	assert.Equal(t, "urn:bludispatcher:dispatcher:v1#ListLoads", d.Value)
	still, err := port.ListPendingExport(&client.ListPendingExportRequest{})
	require.NoError(t, err)
	assert.Empty(t, still.Item, "every item stays taken")

	// The action of the WSDL, an empty one and none at all are served.
	for _, action := range []string{`"urn:bludispatcher:dispatcher:v1#Reexport"`, `""`, ""} {
		resp, b = e.postAction(t, action, reexport)
		assert.Equal(t, http.StatusOK, resp.StatusCode, "SOAPAction %s: %s", action, b)
	}
}
