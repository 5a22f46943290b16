package flowgen

import (
	"io"
	"strconv"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// historyMonths is the number of monthly records per POD of the historical
// switching flows (SOS, SNS, S2G): the 12 months before the switch.
const historyMonths = 12

// Generator builds the header and records of one flow file. Records are
// built on demand from the index, so a file of any size streams in
// constant memory.
type Generator struct {
	opts Options
	info flows.FlowInfo
}

// New checks opts, fills the defaults and returns a generator.
func New(opts Options) (*Generator, error) {
	o, info, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Generator{opts: o, info: info}, nil
}

// Options returns the options with their defaults filled in.
func (g *Generator) Options() Options { return g.opts }

// Header returns the root and IdentificativiFlusso of the file.
func (g *Generator) Header() *flows.Header {
	return &flows.Header{
		Root:                "FlussoMisure",
		FlowCode:            flows.V(g.opts.FlowCode),
		SellerVAT:           flows.V(g.opts.SellerVAT),
		DistributorVAT:      flows.V(g.opts.DistributorVAT),
		DispatchingContract: flows.V(g.opts.DispatchingContract),
	}
}

// FileName returns the parsed form of the file's name. Flusso 1 and
// Flusso 2 names end with the meter state R or NR, except in the legacy
// format. Switching and meter replacement names have no meter state.
func (g *Generator) FileName() flows.FileName {
	f := flows.FileName{
		DistributorVAT:      g.opts.DistributorVAT,
		SellerVAT:           g.opts.SellerVAT,
		Month:               g.opts.Month,
		FlowCode:            g.opts.FlowCode,
		Flow:                g.info,
		Timestamp:           g.opts.Created.In(civil.Rome).Format("20060102150405"),
		Sequence:            strconv.Itoa(g.opts.Sequence),
		DispatchingContract: g.opts.DispatchingContract,
		Extension:           ".xml",
	}
	fam := g.info.Family
	if !g.opts.Legacy && (fam == flows.Periodic || fam == flows.Correction) {
		f.MeterState = flows.MeterStateRegime
		if g.opts.NotRegime {
			f.MeterState = flows.MeterStateNotRegime
		}
	}
	return f
}

// Len returns the number of records of the file.
func (g *Generator) Len() int {
	if g.info.Family == flows.SwitchingHistorical {
		return g.opts.PODs * historyMonths
	}
	return g.opts.PODs
}

// Record builds record i (0 ≤ i < Len). The same i always gives the same
// record.
func (g *Generator) Record(i int) *flows.Record {
	switch g.info.Family {
	case flows.Periodic:
		return g.periodic(i)
	case flows.Correction:
		return g.correction(i)
	case flows.SwitchingFunctional:
		return g.functional(i)
	case flows.SwitchingHistorical:
		return g.historical(i/historyMonths, i%historyMonths)
	}
	return g.replacement(i)
}

// Write writes the whole file to w through flows.Writer.
func (g *Generator) Write(w io.Writer) error {
	fw := flows.NewWriter(w)
	if err := fw.WriteHeader(g.Header()); err != nil {
		return err
	}
	for i := 0; i < g.Len(); i++ {
		if err := fw.Write(g.Record(i)); err != nil {
			return err
		}
	}
	return fw.Close()
}

// Write generates the file that opts describe into w and returns its name.
func Write(w io.Writer, opts Options) (string, error) {
	g, err := New(opts)
	if err != nil {
		return "", err
	}
	return g.FileName().String(), g.Write(w)
}

// Catalog returns one Options value per kind of file the generator makes:
// every flow code, the 2G codes also not a regime, PDO also in the legacy
// format and with injected reactive energy. All use the given seed and
// number of PODs and the other defaults (October 2025, with the autumn
// clock change), except the PDO and PDO2G files for March 2025, which
// carry the spring clock change.
func Catalog(seed uint64, pods int) []Options {
	march := civil.Month{Year: 2025, Month: 3}
	var out []Options
	for _, code := range flows.FlowCodes() {
		o := Options{FlowCode: code, Seed: seed, PODs: pods}
		out = append(out, o)
		info, _ := flows.LookupFlow(code)
		if info.Is2G && (info.Family == flows.Periodic || info.Family == flows.Correction) {
			nr := o
			nr.NotRegime = true
			out = append(out, nr)
		}
	}
	out = append(out,
		Options{FlowCode: "PDO", Seed: seed, PODs: pods, Month: march},
		Options{FlowCode: "PDO2G", Seed: seed, PODs: pods, Month: march},
		Options{FlowCode: "PDO", Seed: seed, PODs: pods, Legacy: true},
		Options{FlowCode: "PDO", Seed: seed, PODs: pods, Reactive: true, Sequence: 2},
	)
	return out
}
