package switching_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows/flowgen"
	"github.com/bludispatcher/dispatcher/internal/itnum"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/switching"
)

// registerSupplyPoint puts POD 0 in the billing registry as a supply
// point valid from the switch date, with technical data t.
func (e *env) registerSupplyPoint(t store.SupplyTechnical) {
	e.t.Helper()
	require.NoError(e.t, e.st.PutCustomer(e.ctx, store.Customer{Company: e.co, Code: "C1", Name: "Rossi",
		Validity: store.Validity{From: switchDay}}))
	require.NoError(e.t, e.st.PutSite(e.ctx, store.Site{Company: e.co, Code: "S1", Customer: "C1", Name: "Casa",
		Validity: store.Validity{From: switchDay}}))
	require.NoError(e.t, e.st.PutSupplyPoint(e.ctx, store.SupplyPoint{Company: e.co, Code: pod0(),
		Commodity: store.Electricity, Site: "S1", Technical: t, Validity: store.Validity{From: switchDay}}))
	e.svc = switching.New(e.st, switching.Options{Now: func() time.Time { return e.now }},
		switching.StoreRegistry{Store: e.st}, e.exporter, nil)
}

// functionalTechnical returns the technical data of the generated F2G
// record of POD 0, as billing would record them.
func functionalTechnical(t *testing.T) store.SupplyTechnical {
	t.Helper()
	g, err := flowgen.New(flowgen.Options{FlowCode: "F2G", Seed: 7, PODs: 1, Month: switchMonth})
	require.NoError(t, err)
	pdp := g.Record(0).Pdp
	require.NotEmpty(t, pdp.Treatment.Text)
	require.NotEmpty(t, pdp.Voltage.Text)
	require.NotEmpty(t, pdp.CommittedPower.Text)
	return store.SupplyTechnical{Treatment: pdp.Treatment.Text, Voltage: pdp.Voltage.Text,
		ContractedPower: pdp.CommittedPower.Text, AvailablePower: pdp.AvailablePower.Text, MeterType: "2G"}
}

func TestStoreRegistryAgrees(t *testing.T) {
	e := newEnv(t)
	e.registerSupplyPoint(functionalTechnical(t))
	sw := e.loadComplete(nil)

	assert.Equal(t, store.SwitchValid, sw.Status, "reasons: %v", sw.Reasons)
	assert.Empty(t, sw.Reasons)
	assert.NotContains(t, sw.Data.Notes, "treatment, power and voltage not compared: the billing registry does not record them")
}

func TestStoreRegistryMismatch(t *testing.T) {
	e := newEnv(t)
	tech := functionalTechnical(t)
	tech.Treatment = "O"
	if functionalTechnical(t).Treatment == "O" {
		tech.Treatment = "F"
	}
	tech.Voltage = "15000"
	e.registerSupplyPoint(tech)
	sw := e.loadComplete(nil)

	assert.Equal(t, store.SwitchToReview, sw.Status)
	require.Len(t, sw.Reasons, 2, "reasons: %v", sw.Reasons)
	for _, r := range sw.Reasons {
		assert.Equal(t, switching.RuleRegistryMismatch.Code, r.Code)
	}
	assert.Equal(t, "Tensione", sw.Reasons[0].Field)
	assert.Contains(t, sw.Reasons[0].Message, "15000")
	assert.Equal(t, "Trattamento", sw.Reasons[1].Field)
	assert.Contains(t, sw.Reasons[1].Message, tech.Treatment)
	assert.Empty(t, e.exporter.list(), "a switch to review queues no event")
}

func TestStoreRegistryPowerAsNumber(t *testing.T) {
	e := newEnv(t)
	tech := functionalTechnical(t)
	tech.Treatment, tech.Voltage, tech.AvailablePower = "", "", ""
	// The same power written with a point and trailing zeros matches.
	p, err := itnum.ParseLoose(tech.ContractedPower)
	require.NoError(t, err)
	tech.ContractedPower = p.StringFixed(6)
	e.registerSupplyPoint(tech)
	sw := e.loadComplete(nil)
	assert.Equal(t, store.SwitchValid, sw.Status, "reasons: %v", sw.Reasons)
}

func TestStoreRegistryWithoutTechnical(t *testing.T) {
	e := newEnv(t)
	e.registerSupplyPoint(store.SupplyTechnical{})
	sw := e.loadComplete(nil)
	assert.Equal(t, store.SwitchValid, sw.Status, "reasons: %v", sw.Reasons)
	assert.Contains(t, sw.Data.Notes, "treatment, power and voltage not compared: the billing registry does not record them")
}
