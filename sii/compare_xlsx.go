package sii

import (
	"io"
	"strconv"
)

// Sheet names of the comparison workbook.
const (
	SheetSummary       = "Summary"
	SheetOnlyInSII     = "Only in SII"
	SheetOnlyInBilling = "Only in billing"
	SheetDifferences   = "Differences"
	SheetCRPP          = "CRPP"
)

// WriteComparisonXLSX writes c as an XLSX workbook. It holds one summary
// row per distributor, the points found on one side only and the field
// differences. When the extract carried CRPP coefficients, a last sheet
// lists them with one row per point and month, F1 to F3.
func WriteComparisonXLSX(w io.Writer, c *Comparison) error {
	sheets := []sheet{
		{name: SheetSummary, header: []any{"Month", "PIVA_DISTR", "RAGIONE_SOCIALE_DISTR", "SII points", "Billing points", "Only in SII", "Only in billing", "Differences"},
			rows: func(add func([]any) error) error {
				for _, d := range c.Distributors {
					if err := add([]any{c.Month.Italian(), d.DistributorVAT, d.DistributorName, d.SIICount, d.BillingCount,
						len(d.OnlyInSII), len(d.OnlyInBilling), len(d.Differences)}); err != nil {
						return err
					}
				}
				return nil
			}},
		{name: SheetOnlyInSII, header: []any{"PIVA_DISTR", ColPOD, ColUdDVAT, ColCounterpartyVAT, ColSupplyStart, ColSupplyEnd, ColTreatment, "Line"},
			rows: func(add func([]any) error) error {
				for _, d := range c.Distributors {
					for _, r := range d.OnlyInSII {
						if err := add([]any{d.DistributorVAT, r.POD, r.UdDVAT, r.CounterpartyVAT, dateText(r.SupplyStart), dateText(r.SupplyEnd), r.Treatment, r.Line}); err != nil {
							return err
						}
					}
				}
				return nil
			}},
		{name: SheetOnlyInBilling, header: []any{"PIVA_DISTR", ColPOD, ColUdDVAT, ColCounterpartyVAT, ColSupplyStart, ColSupplyEnd, ColTreatment},
			rows: func(add func([]any) error) error {
				for _, d := range c.Distributors {
					for _, p := range d.OnlyInBilling {
						if err := add([]any{d.DistributorVAT, p.POD, p.UdDVAT, p.CounterpartyVAT, dateText(p.SupplyStart), dateText(p.SupplyEnd), p.Treatment}); err != nil {
							return err
						}
					}
				}
				return nil
			}},
		{name: SheetDifferences, header: []any{"PIVA_DISTR", ColPOD, "Field", "SII", "Billing"},
			rows: func(add func([]any) error) error {
				for _, d := range c.Distributors {
					for _, diff := range d.Differences {
						if err := add([]any{d.DistributorVAT, diff.POD, diff.Field, diff.SII, diff.Billing}); err != nil {
							return err
						}
					}
				}
				return nil
			}},
	}
	if len(c.CRPP) > 0 {
		sheets = append(sheets, crppSheet(c.CRPP))
	}
	return writeWorkbook(w, sheets)
}

// crppSheet lists the CRPP coefficients as text, exactly as computed, so
// that no spreadsheet rounding touches them.
func crppSheet(records []*RCURecord) sheet {
	return sheet{name: SheetCRPP, header: []any{"PIVA_DISTR", ColPOD, "Month", "F1", "F2", "F3"},
		rows: func(add func([]any) error) error {
			for _, r := range records {
				for m := 0; m < 12; m++ {
					row := []any{r.DistributorVAT, r.Key(), strconv.Itoa(m + 1)}
					for b := 0; b < 3; b++ {
						row = append(row, numberText(r.CRPP.Values[m][b]))
					}
					if err := add(row); err != nil {
						return err
					}
				}
			}
			return nil
		}}
}
