package accise

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestGasFileArea(t *testing.T) {
	opts := DeclareOptions{SeatProvince: "FI"}
	tests := []struct {
		name string
		decl *GasDeclaration
		want string
	}{
		{"frame L", &GasDeclaration{L: []SummaryFrame{{Ambito: "PA"}}}, "PA"},
		{"billed frame", &GasDeclaration{G: []GasBilledFrame{{Province: "CA"}}}, "CA"},
		{"billed frame of the seat", &GasDeclaration{E: []GasBilledFrame{{Province: "TO"}}}, "FI"},
		{"frame X of 2021", &GasDeclaration{X: []SummaryFrame{{Province: "UD"}}}, "TS"},
		{"ARISGAN only", &GasDeclaration{N: []SummaryFrame{{Province: "TN"}}}, "TN"},
		{"IRS only", &GasDeclaration{P: []SummaryFrame{{Province: "UD"}}}, "TS"},
		{"seat frames only", &GasDeclaration{D: &GasSoldFrame{}}, "FI"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, opts.GasFileArea(tt.decl))
		})
	}
}

func TestElectricityFileArea(t *testing.T) {
	opts := DeclareOptions{SeatProvince: "FI"}
	tests := []struct {
		name string
		decl *ElectricityDeclaration
		want string
	}{
		{"frame Q", &ElectricityDeclaration{Q: []SummaryFrame{{Ambito: "PA"}}}, "PA"},
		{"frame X of 2021", &ElectricityDeclaration{X: []SummaryFrame{{Province: "TO"}}}, "TO"},
		{"seat frames only", &ElectricityDeclaration{I: &InvoicedFrame{}}, "FI"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, opts.ElectricityFileArea(tt.decl))
		})
	}
}
