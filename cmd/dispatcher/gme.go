package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"

	"github.com/bludispatcher/dispatcher/gme"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/archive"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

func init() {
	commands["gme"] = command{
		summary: "check GME price files (XML or zip) and print monthly averages by band",
		run:     runGME,
	}
}

func runGME(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gme", flag.ContinueOnError)
	fs.SetOutput(stderr)
	series := fs.String("series", "PUN", "price averaged: PUN or a zone such as NORD")
	quarter := fs.Bool("quarter", false, "average the 15-minute prices (Prezzi15) instead of the hourly ones (Prezzi)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dispatcher gme [-series PUN] [-quarter] FILE|ZIP...")
		fmt.Fprintln(stderr, "Prints the anomalies of each file, then the arithmetic averages in €/MWh by ARERA band for each month read.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	kind := gme.KindPrices
	if *quarter {
		kind = gme.KindPrices15
	}

	averagers := map[civil.Month]*gme.BandAverager{}
	failed := false
	for _, path := range fs.Args() {
		err := archive.WalkFile(path, archive.Options{}, func(e archive.Entry) error {
			if e.Err != nil {
				if e.Depth > 0 && errors.Is(e.Err, archive.ErrNotXML) {
					return nil
				}
				failed = true
				fmt.Fprintf(stderr, "dispatcher gme: %v\n", e.Err)
				return nil
			}
			rows, found := checkGMEFile(e, kind, *series, averagers)
			if found.HasBlocking() {
				failed = true
			}
			fmt.Fprintf(stdout, "%s: %d rows, %d anomalies\n", e.Path, rows, len(found))
			for _, a := range found {
				fmt.Fprintf(stdout, "  %s\n", a)
			}
			return nil
		})
		if err != nil {
			fmt.Fprintf(stderr, "dispatcher gme: %v\n", err)
			return 1
		}
	}
	printGMEAverages(stdout, averagers)
	if failed {
		return 1
	}
	return 0
}

// checkGMEFile reads one XML entry, validates it and feeds the averagers,
// one per month met.
func checkGMEFile(e archive.Entry, kind gme.Kind, series string, averagers map[civil.Month]*gme.BandAverager) (int, anomaly.List) {
	r := gme.NewReader(e.Reader)
	v := gme.NewValidator(gme.ValidatorOptions{File: e.Name, RequirePUN: series == "PUN"})
	var found anomaly.List
	rows := 0
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			found = append(found, v.RowAnomaly(err))
			var rowErr *gme.RowError
			if errors.As(err, &rowErr) {
				continue
			}
			break
		}
		rows++
		found = append(found, v.Check(rec)...)
		month := rec.Date.MonthOf()
		a := averagers[month]
		if a == nil {
			a = gme.NewBandAverager(gme.AveragerOptions{Month: month, Kind: kind, Series: series})
			averagers[month] = a
		}
		a.Add(rec)
	}
	return rows, append(found, v.Finish()...)
}

func printGMEAverages(w io.Writer, averagers map[civil.Month]*gme.BandAverager) {
	months := make([]civil.Month, 0, len(averagers))
	for m := range averagers {
		months = append(months, m)
	}
	sort.Slice(months, func(i, j int) bool { return months[i].Index() < months[j].Index() })
	for _, m := range months {
		res := averagers[m].Result()
		if !res.Base.Set {
			continue
		}
		fmt.Fprintf(w, "%s %s €/MWh (arithmetic, %d intervals): F1 %s  F2 %s  F3 %s  F23 %s  base %s\n",
			m, res.Series, res.Base.Count, avgText(res.F1), avgText(res.F2), avgText(res.F3), avgText(res.F23), avgText(res.Base))
	}
}

func avgText(a gme.Average) string {
	if !a.Set {
		return "-"
	}
	return a.Value.StringFixed(gme.AverageDecimals)
}
