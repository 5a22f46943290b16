package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/bludispatcher/dispatcher/accise"
)

func TestAcciseGasAreaName(t *testing.T) {
	b := &acciseBuild{options: accise.DeclareOptions{SeatProvince: "FI"}}
	tests := []struct {
		name string
		decl *accise.GasDeclaration
		want string
	}{
		{"frame L", &accise.GasDeclaration{L: []accise.SummaryFrame{{Ambito: "PA"}}}, "PA"},
		{"billed frame", &accise.GasDeclaration{G: []accise.GasBilledFrame{{Province: "CA"}}}, "CA"},
		{"ARISGAN only", &accise.GasDeclaration{N: []accise.SummaryFrame{{Province: "TN"}}}, "TN"},
		{"IRS only", &accise.GasDeclaration{P: []accise.SummaryFrame{{Province: "UD"}}}, "TS"},
		{"seat frames only", &accise.GasDeclaration{D: &accise.GasSoldFrame{}}, "FI"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, acciseGasArea(b, tt.decl))
		})
	}
}

func TestAcciseElectricityAreaName(t *testing.T) {
	b := &acciseBuild{options: accise.DeclareOptions{SeatProvince: "FI"}}
	tests := []struct {
		name string
		decl *accise.ElectricityDeclaration
		want string
	}{
		{"frame Q", &accise.ElectricityDeclaration{Q: []accise.SummaryFrame{{Ambito: "PA"}}}, "PA"},
		{"frame X of 2021", &accise.ElectricityDeclaration{X: []accise.SummaryFrame{{Province: "TO"}}}, "TO"},
		{"seat frames only", &accise.ElectricityDeclaration{I: &accise.InvoicedFrame{}}, "FI"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, acciseElectricityArea(b, tt.decl))
		})
	}
}
