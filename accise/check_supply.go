package accise

import (
	"fmt"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
)

// checkSupply flags a supply code that is not a POD or PDR. A code with
// characters other than capital letters and digits blocks, because it goes
// into the declaration's client list and the workbooks as written. A cell
// such as "=HYPERLINK(...)" also runs as a formula when the normalised CSV
// is opened in a spreadsheet. An alphanumeric code of the wrong shape is a
// warning, since some billing systems use their own supply ids.
func checkSupply(l Line) anomaly.List {
	if !alphanumeric(l.Supply) {
		return anomaly.List{finding(l, CodeSupplyMalformed, Blocking, "pod_pdr", l.Supply,
			"the POD/PDR has characters other than capital letters and digits; write the code alone, such as IT001E00000001 or 00880000000001")}
	}
	if l.Commodity == 0 || commodityOfSupply(l.Supply) == l.Commodity {
		return nil
	}
	want := "a POD such as IT001E00000001"
	if l.Commodity == Gas {
		want = "a PDR of 14 digits"
	}
	return anomaly.List{finding(l, CodeSupplyMalformed, Warning, "pod_pdr", l.Supply,
		fmt.Sprintf("the supply code is not %s; check the column", want))}
}

func alphanumeric(s string) bool {
	for _, r := range s {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}
