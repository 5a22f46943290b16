package accise

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// ElectricitySettlements settles the electricity declarations of a company
// from their frame Q: the liquidated tax of each ambito less the
// instalments due that DeclareOptions.InstalmentsDue gave when the
// declarations were built.
func ElectricitySettlements(company string, decls []*ElectricityDeclaration, opts DeclareOptions, filed civil.Date, sched ScheduleOptions) ([]Settlement, error) {
	var out []Settlement
	for _, d := range decls {
		for _, q := range d.Q {
			s, err := settleFrame(company, TaxElectricity, opts.areaOfCode(q.Ambito), Electricity, "Q", "liquidated", q, opts, filed, sched)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
	}
	return out, nil
}

// GasSettlements settles the gas declarations of a company from frame L
// (excise per ambito and chapter, read from the row keyed
// "<chapter>:liquidated"), N (ARISGAN per province) and P (IRS per province).
func GasSettlements(company string, decls []*GasDeclaration, opts DeclareOptions, filed civil.Date, sched ScheduleOptions) ([]Settlement, error) {
	var out []Settlement
	add := func(tax Tax, area, frame, key string, f SummaryFrame) error {
		s, err := settleFrame(company, tax, area, Gas, frame, key, f, opts, filed, sched)
		if err == nil {
			out = append(out, s)
		}
		return err
	}
	for _, d := range decls {
		for _, f := range d.L {
			tax := TaxGasCombustion
			if f.Chapter == ChapterVehicle {
				tax = TaxGasVehicle
			}
			if err := add(tax, opts.areaOfCode(f.Ambito), "L", f.Chapter+":liquidated", f); err != nil {
				return nil, err
			}
		}
		for _, f := range d.N {
			if err := add(TaxArisgan, f.Province, "N", "liquidated", f); err != nil {
				return nil, err
			}
		}
		for _, f := range d.P {
			if err := add(TaxIRS, f.Province, "P", "liquidated", f); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// areaOfCode maps the ambito code of a summary frame back to the ambito:
// the seat's province code stands for the seat's ambito.
func (o DeclareOptions) areaOfCode(code string) string {
	if code != "" && code == o.SeatProvince {
		if a := o.seatAmbito(); a != "" {
			return a
		}
	}
	return code
}

// settleFrame settles one riepilogo frame from its row with the given
// layout key: "liquidated", or "1412:liquidated" and "1421:liquidated" in
// gas frame L, whose chapters share one row sequence.
func settleFrame(company string, tax Tax, area string, c Commodity, frame, key string, f SummaryFrame,
	opts DeclareOptions, filed civil.Date, sched ScheduleOptions) (Settlement, error) {
	row, ok := opts.layout().Row(c, frame, key)
	if !ok || row.Row == 0 {
		return Settlement{}, fmt.Errorf("accise: layout of %s frame %s has no numbered row %q", c, frame, key)
	}
	liquidated, found := decimal.Zero, false
	for _, r := range f.Rows {
		if r.Row == row.Row {
			liquidated, found = r.Amount.Decimal, true
		}
	}
	if !found {
		return Settlement{}, fmt.Errorf("accise: %s frame %s of %s has no row %d (liquidated tax)", c, frame, area, row.Row)
	}
	a := Account{Company: company, Tax: tax, Area: area}
	return Settle(a, opts.Year, opts.Half, liquidated, opts.dueFor(a.Key()), filed, sched)
}
