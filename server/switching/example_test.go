package switching_test

import (
	"fmt"

	"github.com/bludispatcher/dispatcher/server/switching"
)

func ExampleRules() {
	for _, r := range switching.Rules {
		fmt.Println(r.Code, r.Severity, r.Name)
	}
	// Output:
	// SW01 warning reading-missing
	// SW02 warning functional-missing
	// SW03 warning history-missing
	// SW04 blocking reading-date
	// SW05 blocking switch-date
	// SW06 blocking band-missing
	// SW07 blocking digits
	// SW08 blocking register-value
	// SW09 warning estimated
	// SW10 warning consumption
	// SW11 warning registry-missing
	// SW12 warning registry-mismatch
	// SW13 warning reopened
}
