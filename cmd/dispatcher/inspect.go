package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/archive"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

func init() {
	commands["inspect"] = command{
		summary: "print the records of metering flows (XML or zip) as JSON Lines",
		run:     runInspect,
	}
}

func runInspect(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	timeline := fs.Bool("timeline", true, "include the quarter-hour intervals of every curve (day and band totals are always included)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dispatcher inspect [-timeline=false] FILE|ZIP|FOLDER...")
		fmt.Fprintln(stderr, "Prints one JSON object per DatiPod record; docs/cli-json.md describes the fields.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	paths, err := flowInputs(fs.Args())
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher inspect: %v\n", err)
		return 2
	}

	enc := json.NewEncoder(stdout)
	failed := false
	err = walkInputs(paths, func(e archive.Entry) error {
		switch {
		case isSkipped(e):
			fmt.Fprintf(stderr, "dispatcher inspect: %v: skipped\n", e.Err)
			return nil
		case e.Err != nil:
			failed = true
			fmt.Fprintf(stderr, "dispatcher inspect: %v\n", e.Err)
			return enc.Encode(inspectError{File: e.Path, Error: e.Err.Error()})
		}
		ok, err := inspectFile(enc, e, *timeline)
		if !ok {
			failed = true
			fmt.Fprintf(stderr, "dispatcher inspect: %s: %v\n", e.Path, err)
		}
		return nil
	})
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher inspect: writing output: %v\n", err)
		return 1
	}
	if failed {
		return 1
	}
	return 0
}

// inspectError is the line printed for a file that cannot be read or
// decoded to its end.
type inspectError struct {
	File   string `json:"file"`
	Record int    `json:"record,omitempty"`
	Error  string `json:"error"`
}

// inspectFile prints one line per record of the flow in e. When the file
// cannot be decoded to its end, it prints the records before the failure
// and an error line, and returns false with the error.
func inspectFile(enc *json.Encoder, e archive.Entry, timeline bool) (bool, error) {
	d := flows.NewDecoderOptions(e.Reader, flows.DecoderOptions{ReuseRecord: true})
	h, err := d.Header()
	if err != nil {
		return false, errors.Join(err, enc.Encode(inspectError{File: e.Path, Error: err.Error()}))
	}
	base := fileFacts(e.Path, e.Name, h)
	for n := 1; ; n++ {
		r, err := d.Next()
		if err == io.EOF {
			return true, nil
		}
		if err != nil {
			return false, errors.Join(err, enc.Encode(inspectError{File: e.Path, Record: n, Error: err.Error()}))
		}
		out := recordFacts(base, r, n, timeline)
		if err := enc.Encode(out); err != nil {
			return false, err
		}
	}
}

// inspectRecord is the JSON object of one DatiPod record.
type inspectRecord struct {
	File       string              `json:"file"`
	Name       *nameFacts          `json:"name,omitempty"`
	NameError  string              `json:"name_error,omitempty"`
	Header     headerFacts         `json:"header"`
	Record     int                 `json:"record"`
	Line       int                 `json:"line"`
	POD        string              `json:"pod"`
	Month      string              `json:"month,omitempty"`
	Fields     map[string]string   `json:"fields,omitempty"`
	Pdp        map[string]string   `json:"pdp,omitempty"`
	Factors    *factorFacts        `json:"factors,omitempty"`
	Measure    *measureFacts       `json:"measure,omitempty"`
	Consumo    *measureFacts       `json:"consumption,omitempty"`
	ConsumoStD map[string]string   `json:"consumption_std,omitempty"`
	Removal    map[string]string   `json:"removal,omitempty"`
	Install    map[string]string   `json:"installation,omitempty"`
	Extra      []string            `json:"extra,omitempty"`
	Timeline   map[string][]slot   `json:"timeline,omitempty"`
	DayTotals  map[string][]dayTot `json:"day_totals,omitempty"`
	BandTotals map[string]bandTot  `json:"band_totals,omitempty"`
	Errors     []string            `json:"errors,omitempty"`

	// nameMonth is the month of the file name, set with Name.
	nameMonth civil.Month
}

type nameFacts struct {
	DistributorVAT      string   `json:"distributor_vat"`
	SellerVAT           string   `json:"seller_vat"`
	Month               string   `json:"month"`
	Day                 string   `json:"day,omitempty"`
	FlowCode            string   `json:"flow_code"`
	Family              string   `json:"family"`
	Is2G                bool     `json:"is_2g"`
	Hourly              bool     `json:"hourly"`
	Timestamp           string   `json:"timestamp"`
	Time                string   `json:"time"`
	Sequence            string   `json:"sequence"`
	DispatchingContract string   `json:"dispatching_contract"`
	MeterState          string   `json:"meter_state,omitempty"`
	Marker              string   `json:"marker,omitempty"`
	Test                bool     `json:"test,omitempty"`
	Legacy              bool     `json:"legacy"`
	Defects             []string `json:"defects,omitempty"`
	Notes               []string `json:"notes,omitempty"`
}

type headerFacts struct {
	Root                string `json:"root"`
	FlowCode            string `json:"flow_code"`
	SellerVAT           string `json:"seller_vat"`
	DistributorVAT      string `json:"distributor_vat"`
	DispatchingContract string `json:"dispatching_contract"`
}

type measureFacts struct {
	Element string            `json:"element"`
	XSIType string            `json:"xsi_type,omitempty"`
	Fields  map[string]string `json:"fields,omitempty"`
	Curves  int               `json:"curves"`
}

type factorFacts struct {
	ActiveEnergy   string `json:"active_energy"`
	ReactiveEnergy string `json:"reactive_energy"`
	Power          string `json:"power"`
}

type slot struct {
	Start string `json:"start"`
	Slot  int    `json:"slot"`
	Dst   int    `json:"dst"`
	Text  string `json:"text"`
	Value string `json:"value"`
}

type dayTot struct {
	Day   string `json:"day"`
	Count int    `json:"count"`
	Total string `json:"total"`
}

type bandTot struct {
	F1 string `json:"F1"`
	F2 string `json:"F2"`
	F3 string `json:"F3"`
}

// fileFacts returns the part of every record's object that comes from the
// file name and the header. path is where the file was found, and name is
// its own name. For a zip entry the walk gives the name separately from
// the path.
func fileFacts(path, name string, h *flows.Header) inspectRecord {
	out := inspectRecord{File: path, Header: headerFacts{
		Root:                h.Root,
		FlowCode:            h.FlowCode.Text,
		SellerVAT:           h.SellerVAT.Text,
		DistributorVAT:      h.DistributorVAT.Text,
		DispatchingContract: h.DispatchingContract.Text,
	}}
	f, err := flows.ParseFileName(name)
	if err != nil {
		out.NameError = err.Error()
		return out
	}
	out.nameMonth = f.Month
	n := &nameFacts{
		DistributorVAT: f.DistributorVAT, SellerVAT: f.SellerVAT, Month: f.Month.String(),
		FlowCode: f.FlowCode, Family: f.Flow.Family.String(), Is2G: f.Flow.Is2G, Hourly: f.Flow.Hourly,
		Timestamp: f.Timestamp, Sequence: f.Sequence, DispatchingContract: f.DispatchingContract,
		MeterState: f.MeterState, Marker: f.Marker, Test: f.Test, Legacy: f.Legacy(),
		Defects: f.Defects, Notes: f.Notes,
	}
	if !f.Day.IsZero() {
		n.Day = f.Day.String()
	}
	if t, err := f.Time(); err == nil {
		n.Time = t.Format(time.RFC3339)
	}
	out.Name = n
	return out
}

// fileMonth returns the month of the file name, if it parsed.
func (r *inspectRecord) fileMonth() (civil.Month, bool) {
	if r.Name == nil {
		return civil.Month{}, false
	}
	return r.nameMonth, true
}
