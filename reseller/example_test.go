package reseller_test

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/bludispatcher/dispatcher/flows/flowgen"
	"github.com/bludispatcher/dispatcher/reseller"
)

func ExampleSplitFlow() {
	table, err := reseller.LoadTable(strings.NewReader(`{
	  "companies": [
	    {"id": "alfa", "contracts": [{"seller_vat": "01234567897", "dispatching_contract": "DP0427"}]},
	    {"id": "beta", "pods": [{"pod": "IT210E10000001", "from": "2025-10-16"}]}
	  ]
	}`))
	if err != nil {
		panic(err)
	}
	router, err := table.Compile()
	if err != nil {
		panic(err)
	}
	var flow bytes.Buffer
	name, err := flowgen.Write(&flow, flowgen.Options{FlowCode: "PDO", PODs: 3})
	if err != nil {
		panic(err)
	}
	// A DirSink would write one folder per company; discardSink keeps the
	// example free of files.
	rep, err := reseller.SplitFlow(name, &flow, router, discardSink{}, reseller.FlowOptions{})
	if err != nil {
		panic(err)
	}
	for _, p := range rep.Parts {
		fmt.Printf("%s: %d records, %d PODs, Ea %s kWh\n", p.Company, p.Totals.Records, p.Totals.PODs, p.Totals.EaQuarterHours)
	}
	fmt.Println("divided records:", rep.SplitRecords, "balance:", rep.Check())
	// Output:
	// alfa: 3 records, 3 PODs, Ea 218499.025 kWh
	// beta: 1 records, 1 PODs, Ea 120425.554 kWh
	// divided records: 1 balance: <nil>
}

// discardSink drops every part.
type discardSink struct{}

func (discardSink) Create(company, name string) (reseller.Part, error) { return discardPart{}, nil }

type discardPart struct{}

func (discardPart) Write(b []byte) (int, error) { return len(b), nil }
func (discardPart) Commit() error               { return nil }
func (discardPart) Abort() error                { return nil }
