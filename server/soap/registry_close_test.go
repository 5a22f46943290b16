package soap_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/soap/client"
)

func TestRegistryCloseBeforeValidFrom(t *testing.T) {
	e := newEnv(t)
	_, err := e.portA().UpdateRegistry(registryBatch())
	require.NoError(t, err)

	resp, err := e.portA().UpdateRegistry(&client.UpdateRegistryRequest{Customer: []*client.CustomerItem{
		{ItemId: code("early"), Operation: op("close"), Code: code("C1"), ValidTo: xsdDate(2024, 12, 31)},
	}})
	require.NoError(t, err)
	require.Len(t, resp.Result, 1)
	r := resp.Result[0]
	assert.Equal(t, client.ItemStatus("error"), *r.Status)
	require.NotNil(t, r.Fault)
	assert.Equal(t, "early", r.Fault.Item)
	assert.Equal(t, "ValidTo", r.Fault.Element, "the fault names the bad element")
	assert.Equal(t, "2024-12-31", r.Fault.Value)
	assert.Equal(t, "is before ValidFrom 2025-01-01", r.Fault.Message)

	e.messages.validate(t)
}
