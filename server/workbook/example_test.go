package workbook_test

import (
	"fmt"

	"github.com/bludispatcher/dispatcher/server/workbook"
)

func ExampleSelection_Name() {
	m, err := workbook.ParseMonth("2026-01")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(workbook.Selection{Company: 1, Month: m}.Name())
	fmt.Println(workbook.Selection{Company: 1, Load: 42}.Name())
	// Output:
	// consumption-2026-01.xlsx
	// consumption-load-42.xlsx
}
