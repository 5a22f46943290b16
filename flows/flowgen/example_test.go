package flowgen_test

import (
	"bytes"
	"fmt"
	"io"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/flows/flowgen"
)

func ExampleWrite() {
	var buf bytes.Buffer
	name, err := flowgen.Write(&buf, flowgen.Options{FlowCode: "PDO2G", Seed: 1, PODs: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(name)

	d := flows.NewDecoder(&buf)
	for {
		r, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		month, _ := r.CurveMonth()
		ivs, _ := r.Measure.Timeline(flows.ActiveEnergy, month)
		fmt.Println(r.POD.Text, len(ivs), "quarter-hours on", ivs[0].Day)
	}
	// Output:
	// 09876543210_01234567897_202510_PDO2G_20251105060523_1DP0427_R.xml
	// IT210E10000000 100 quarter-hours on 2025-10-26
	// IT210E10000001 100 quarter-hours on 2025-10-26
}
