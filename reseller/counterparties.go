package reseller

import (
	"errors"
	"fmt"
	"io"

	"github.com/bludispatcher/dispatcher/sii"
)

// CounterpartiesFromRCU builds the POD to counterparty map from an RCU
// extract: one entry per row with a POD and a PIVA_CC, valid from
// DATA_INIZIO_FORNITURA to DATA_FINE_FORNITURA (open where a date is empty
// or malformed). Rows that repeat a POD with an overlapping range are
// skipped and counted, so the result always passes Table.SetCounterparties.
// The first row of a POD wins. Lines the reader rejects (a *sii.ParseError)
// are skipped and counted too.
func CounterpartiesFromRCU(r *sii.RCUReader) (list []Counterparty, skipped int, err error) {
	byPOD := map[string][]int{}
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			return list, skipped, nil
		}
		var perr *sii.ParseError
		if errors.As(err, &perr) {
			skipped++
			continue
		}
		if err != nil {
			return list, skipped, fmt.Errorf("reseller: reading RCU extract: %w", err)
		}
		vat, _ := rec.Get("PIVA_CC")
		cp := Counterparty{POD: rec.POD, VAT: normVAT(vat), Validity: Validity{From: rec.SupplyStart, To: rec.SupplyEnd}}
		if cp.VAT == "" || len(validatePOD("", "", cp.POD, cp.Validity)) > 0 || overlapsAny(list, byPOD[rec.Key()], cp.Validity) {
			skipped++
			continue
		}
		byPOD[rec.Key()] = append(byPOD[rec.Key()], len(list))
		list = append(list, cp)
	}
}

func overlapsAny(list []Counterparty, idx []int, v Validity) bool {
	for _, i := range idx {
		if list[i].Validity.overlaps(v) {
			return true
		}
	}
	return false
}
