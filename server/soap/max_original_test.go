package soap_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/soap"
	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/store/storetest"
)

// TestMaxOriginalOption checks that GetWorkbook and GetOriginal reject a
// workbook or original larger than Options.MaxOriginal with a Client
// fault, and return both under the default limit.
func TestMaxOriginalOption(t *testing.T) {
	const limit = 100
	small := newEnv(t, func(o *soap.Options) { o.MaxOriginal = limit })
	l := small.load(t, small.a, "pdo.xml", "PDO", 1, storetest.HourlyRecord(storetest.POD(1), jan2026, 1))
	require.Greater(t, l.Size, int64(limit), "the original must exceed the limit for this test")

	_, err := small.portA().GetWorkbook(&client.GetWorkbookRequest{LoadId: int64(l.ID)})
	code, detail := faultOf(t, err)
	assert.Equal(t, "soapenv:Client", code)
	assert.Equal(t, "Body", detail.Element)
	assert.Contains(t, detail.Message, fmt.Sprintf("more than the %d returned over SOAP", limit))

	_, err = small.portA().GetOriginal(&client.GetOriginalRequest{LoadId: int64(l.ID)})
	code, detail = faultOf(t, err)
	assert.Equal(t, "soapenv:Client", code)
	assert.Equal(t, "LoadId", detail.Element)
	assert.Contains(t, detail.Message, fmt.Sprintf("the original is %d bytes, more than the %d", l.Size, limit))

	defaults := newEnv(t)
	l = defaults.load(t, defaults.a, "pdo.xml", "PDO", 1, storetest.HourlyRecord(storetest.POD(1), jan2026, 1))
	wb, err := defaults.portA().GetWorkbook(&client.GetWorkbookRequest{LoadId: int64(l.ID)})
	require.NoError(t, err)
	assert.Greater(t, len(wb.Content), limit, "the default limit returns the workbook")
	orig, err := defaults.portA().GetOriginal(&client.GetOriginalRequest{LoadId: int64(l.ID)})
	require.NoError(t, err)
	assert.Equal(t, l.Size, orig.Size)
}
