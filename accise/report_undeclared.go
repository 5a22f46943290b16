package accise

import (
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// SheetUndeclared is the control report sheet of computed tax that no
// frame declares. It lists the ARISGAN and IRS of gas billing corrections.
const SheetUndeclared = "Non dichiarato"

// reasonSurchargeCorrection explains an undeclared row of the sheet.
const reasonSurchargeCorrection = "nessuna fonte pubblica indica il quadro delle rettifiche di addizionale regionale o IRS: dichiararle a mano"

func fillUndeclared(f *excelize.File, sheet string, in ReportInput) error {
	header := []any{"Prodotto", "Provincia", "File", "Riga", "PDR", "Imposta", "Voce", "Quantità", "Importo", "Motivo"}
	var data [][]any
	if in.Computation != nil {
		data = undeclaredSurcharges(in.Computation, in.Options)
	}
	return rows(f, sheet, header, data)
}

// undeclaredSurcharges lists the ARISGAN and IRS of the gas corrections that
// a declaration of the period takes in, one row per line and side (a debito
// or a credito). BuildGas declares the excise of those corrections in frame
// H but their regional tax in no frame, so the rows show what the seller
// still has to declare or pay to the region.
func undeclaredSurcharges(c *Computation, opts DeclareOptions) [][]any {
	from, to := opts.Period()
	var out [][]any
	for i, l := range c.Lines {
		if l.Commodity != Gas || l.Kind != Correction || !correctionInPeriod(l, from, to) || i >= len(c.PerLine) {
			continue
		}
		tax := "ARISGAN"
		if l.Use == UseExempt {
			tax = "IRS"
		}
		var debitQty, debit, creditQty, credit decimal.Decimal
		for _, p := range c.PerLine[i].Surcharge {
			if p.Quantity.IsNegative() {
				creditQty, credit = creditQty.Add(p.Quantity), credit.Add(p.Amount)
			} else {
				debitQty, debit = debitQty.Add(p.Quantity), debit.Add(p.Amount)
			}
		}
		sides := []struct {
			item             string
			quantity, amount decimal.Decimal
		}{
			{ItemCorrectionsDebit, debitQty, debit},
			{ItemCorrectionsCredit, creditQty, credit},
		}
		for _, side := range sides {
			if side.amount.IsZero() {
				continue
			}
			out = append(out, []any{productCode(Gas), l.Province, l.File, l.Row, l.Supply, tax, side.item,
				num(side.quantity), num(side.amount), reasonSurchargeCorrection})
		}
	}
	return out
}
