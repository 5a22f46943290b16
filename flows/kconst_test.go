package flows

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNeedsConstant(t *testing.T) {
	tests := []struct {
		name   string
		is2G   bool
		hourly bool
		q      Quantity
		want   bool
	}{
		{"1G hourly energy", false, true, ActiveEnergyQuantity, false},
		{"1G hourly reactive", false, true, ReactiveEnergyQuantity, false},
		{"1G hourly power", false, true, PowerQuantity, false},
		{"1G non-hourly energy", false, false, ActiveEnergyQuantity, true},
		{"1G non-hourly reactive", false, false, ReactiveEnergyQuantity, true},
		{"1G non-hourly power", false, false, PowerQuantity, false},
		{"2G hourly energy", true, true, ActiveEnergyQuantity, true},
		{"2G hourly power", true, true, PowerQuantity, true},
		{"2G non-hourly energy", true, false, ActiveEnergyQuantity, true},
		{"2G non-hourly power", true, false, PowerQuantity, true},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, NeedsConstant(tt.is2G, tt.hourly, tt.q), tt.name)
	}
}

// The SII standard says of 2G meters, hourly or not, that energies and
// powers "are not multiplied" by the k constants. It uses the same words
// for the energies of 1G non-hourly points, which are multiplied on read.
func TestEffectiveFactorApplies2GConstants(t *testing.T) {
	pdp := Pdp{Treatment: V("O"), Ka: V("40,000"), Kr: V("20,000"), Kp: V("30,000")}
	tests := []struct {
		flow string
		q    Quantity
		want string
	}{
		{"PDO2G", ActiveEnergyQuantity, "40"},
		{"PDO2G", ReactiveEnergyQuantity, "20"},
		{"PDO2G", PowerQuantity, "30"},
		{"RFO2G", ActiveEnergyQuantity, "40"},
		{"PNO2G", PowerQuantity, "30"},
	}
	for _, tt := range tests {
		got, err := EffectiveFactor(mustFlow(t, tt.flow), pdp, tt.q)
		require.NoError(t, err)
		assert.Equal(t, tt.want, got.String(), "%s %s", tt.flow, tt.q)
	}
}

func TestPdpConstant(t *testing.T) {
	p := Pdp{Ka: V("40,000"), Kr: V(""), Kp: Value{}}
	k, present, err := p.Constant(ActiveEnergyQuantity)
	require.NoError(t, err)
	assert.True(t, present)
	assert.Equal(t, "40", k.String())

	_, present, err = p.Constant(ReactiveEnergyQuantity)
	assert.Error(t, err, "an empty Kr is an error, not 1")
	assert.True(t, present)

	k, present, err = p.Constant(PowerQuantity)
	require.NoError(t, err)
	assert.False(t, present)
	assert.Equal(t, "1", k.String())

	_, _, err = p.Constant(Quantity(9))
	assert.Error(t, err)
}

func TestEffectiveFactor(t *testing.T) {
	ka40 := func(treatment string) Pdp {
		p := Pdp{Ka: V("40,000"), Kr: V("20,000"), Kp: V("40,000")}
		if treatment != "" {
			p.Treatment = V(treatment)
		}
		return p
	}
	tests := []struct {
		name string
		flow string
		pdp  Pdp
		q    Quantity
		want string
	}{
		{"PNO energy multiplied", "PNO", ka40("F"), ActiveEnergyQuantity, "40"},
		{"PNO reactive multiplied", "PNO", ka40("M"), ReactiveEnergyQuantity, "20"},
		{"PNO power already multiplied", "PNO", ka40("F"), PowerQuantity, "1"},
		{"PDO energy already multiplied", "PDO", ka40("O"), ActiveEnergyQuantity, "1"},
		{"PDO without Trattamento is hourly", "PDO", ka40(""), ActiveEnergyQuantity, "1"},
		{"PNO hourly by Trattamento", "PNO", ka40("O"), ActiveEnergyQuantity, "1"},
		{"PNO2G energy multiplied", "PNO2G", ka40("F"), ActiveEnergyQuantity, "40"},
		{"SNM2G power multiplied", "SNM2G", ka40("F"), PowerQuantity, "40"},
		{"PNO absent Ka is 1", "PNO", Pdp{Treatment: V("F")}, ActiveEnergyQuantity, "1"},
	}
	for _, tt := range tests {
		got, err := EffectiveFactor(mustFlow(t, tt.flow), tt.pdp, tt.q)
		require.NoError(t, err, tt.name)
		assert.Equal(t, tt.want, got.String(), tt.name)
	}
}

func TestQuantityOf(t *testing.T) {
	assert.Equal(t, ActiveEnergyQuantity, QuantityOf(ActiveEnergy))
	assert.Equal(t, ReactiveEnergyQuantity, QuantityOf(ReactiveEnergy))
	assert.Equal(t, ReactiveEnergyQuantity, QuantityOf(ReactiveCapacitiveInjected))
	assert.Equal(t, ReactiveEnergyQuantity, QuantityOf(ReactiveInductiveInjected))
	assert.Equal(t, "power", PowerQuantity.String())
}

func ExampleEffectiveFactor() {
	info, _ := LookupFlow("PNO")
	pdp := Pdp{Treatment: V("F"), Ka: V("30,000"), Kp: V("30,000")}
	energy, _ := EffectiveFactor(info, pdp, ActiveEnergyQuantity)
	power, _ := EffectiveFactor(info, pdp, PowerQuantity)
	fmt.Println(energy, power)
	// Output: 30 1
}
