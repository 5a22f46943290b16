package gme_test

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/bludispatcher/dispatcher/gme"
)

// On 31 October 2021 Italy went back from summer to winter time, so the
// MGP file of that day has 25 hours and Ora 3 and Ora 4 both start at 02:00
// local time.
func ExampleReader() {
	const file = `<?xml version="1.0" standalone="yes"?>
<NewDataSet>
  <xs:schema id="NewDataSet" xmlns="" xmlns:xs="http://www.w3.org/2001/XMLSchema"/>
  <Prezzi><Data>20211031</Data><Mercato>MGP</Mercato><Ora>3</Ora><PUN>203,120000</PUN></Prezzi>
  <Prezzi><Data>20211031</Data><Mercato>MGP</Mercato><Ora>4</Ora><PUN>198,500000</PUN></Prezzi>
</NewDataSet>`
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		fmt.Println(err)
		return
	}
	r := gme.NewReader(strings.NewReader(file))
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		pun, _ := rec.PUN()
		fmt.Println(rec.Key(), rec.Start.In(rome).Format("15:04 MST"), pun)
	}
	// Output:
	// MGP/Prezzi/2021-10-31/3 02:00 CEST 203.12
	// MGP/Prezzi/2021-10-31/4 02:00 CET 198.5
}

func ExampleBandAverager() {
	const file = `<NewDataSet>
  <Prezzi><Data>20210601</Data><Mercato>MGP</Mercato><Ora>10</Ora><PUN>120,000000</PUN></Prezzi>
  <Prezzi><Data>20210601</Data><Mercato>MGP</Mercato><Ora>11</Ora><PUN>130,000000</PUN></Prezzi>
  <Prezzi><Data>20210602</Data><Mercato>MGP</Mercato><Ora>11</Ora><PUN>90,000000</PUN></Prezzi>
</NewDataSet>`
	a := gme.NewBandAverager(gme.AveragerOptions{Month: gme.Month{Year: 2021, Month: time.June}})
	r := gme.NewReader(strings.NewReader(file))
	for {
		rec, err := r.Next()
		if err != nil {
			break
		}
		a.Add(rec)
	}
	got := a.Result()
	// 2 June is a national holiday, so its 10:00 hour is F3.
	fmt.Println("F1", got.F1.Value, "F3", got.F3.Value, "base", got.Base.Value)
	// Output:
	// F1 125 F3 90 base 113.333333
}
