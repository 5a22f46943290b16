package reseller

import (
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// FlowOptions configure SplitFlow.
type FlowOptions struct {
	// Decoder bounds the records read; the zero value takes the decoder's
	// defaults. ReuseRecord is ignored because split records share curves
	// with the record read.
	Decoder flows.DecoderOptions
}

// SplitFlow splits the metering flow read from r into one part per company
// and writes the parts to sink. name is the file's name, folders allowed,
// and its base is the name of every part. For a zip entry pass the entry's
// name, not its archive path. It reads one record at a time and keeps one
// open writer per company that received a record.
//
// On success every part is committed and the report balances (Report.Check
// is nil). When the input is malformed, the sink fails or the parts do not
// add up, every part is aborted and the error gives the cause. The report
// then contains what was read so far.
func SplitFlow(name string, r io.Reader, router *Router, sink Sink, opts FlowOptions) (*Report, error) {
	opts.Decoder.ReuseRecord = false
	s := &flowSplit{
		router:  router,
		sink:    sink,
		name:    partName(name),
		outputs: map[string]*flowOutput{},
		input:   newTotals(),
	}
	s.report = &Report{File: s.name, Kind: KindFlow}
	err := s.run(flows.NewDecoderOptions(r, opts.Decoder), name)
	s.report.Input = s.input
	if err == nil {
		err = s.finish()
	}
	if err != nil {
		s.abort()
		return s.report, err
	}
	return s.report, nil
}

// partName strips folders from name, split on "/" or "\". A "!" is kept,
// because it is a legal byte of a file name.
func partName(name string) string {
	return path.Base(strings.ReplaceAll(name, "\\", "/"))
}

type flowSplit struct {
	router    *Router
	sink      Sink
	name      string
	header    *flows.Header
	info      flows.FlowInfo
	fileMonth civil.Month
	contract  Contract

	outputs map[string]*flowOutput
	order   []string
	input   Totals
	report  *Report
}

type flowOutput struct {
	company string
	part    *digestPart
	w       *flows.Writer
	totals  Totals
}

// piece is a record, or the days of it, bound for one company.
type piece struct {
	decision Decision
	day      civil.Date
	record   *flows.Record
}

func (s *flowSplit) run(dec *flows.Decoder, name string) error {
	h, err := dec.Header()
	if err != nil {
		return fmt.Errorf("reseller: %s: %w", s.name, err)
	}
	s.header = h
	s.report.FlowCode = h.FlowCode.Text
	s.info, _ = flows.LookupFlow(h.FlowCode.Text)
	if fn, err := flows.ParseFileName(name); err == nil {
		s.fileMonth = fn.Month
	}
	s.contract = Contract{SellerVAT: h.SellerVAT.Text, DispatchingContract: h.DispatchingContract.Text}
	for {
		rec, err := dec.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("reseller: %s: %w", s.name, err)
		}
		s.input.add(rec)
		if err := s.dispatch(rec); err != nil {
			return err
		}
	}
	if extra := dec.TrailingExtra(); len(extra) > 0 {
		s.report.Notes = append(s.report.Notes, RecordNote{Line: int(extra[0].Line),
			Message: fmt.Sprintf("%d unknown elements after the first DatiPod are not copied to the parts", len(extra))})
	}
	return nil
}

// dispatch writes the pieces of one record to their parts.
func (s *flowSplit) dispatch(rec *flows.Record) error {
	pieces := s.route(rec)
	if len(pieces) > 1 {
		s.report.SplitRecords++
		s.report.ExtraPieces += len(pieces) - 1
	}
	for _, p := range pieces {
		out, err := s.output(p.decision.Company)
		if err != nil {
			return err
		}
		if err := out.w.Write(p.record); err != nil {
			return fmt.Errorf("reseller: writing %s for %s: %w", s.name, out.company, err)
		}
		out.totals.add(p.record)
		if p.decision.Company == Unassigned {
			s.report.Unassigned = append(s.report.Unassigned, UnassignedRecord{
				Line: rec.Line, POD: rec.POD.Text, Day: p.day, Reason: p.decision.Reason})
		}
	}
	return nil
}

// route decides where a record goes. In a periodic or correction flow, a
// Misura or Curva made only of curves is divided by curve day when its days
// belong to different companies. Any other record goes whole to the company
// of its record day.
func (s *flowSplit) route(rec *flows.Record) []piece {
	days, byDay := s.routeDays(rec)
	if byDay == nil {
		day := recordDay(s.info, s.fileMonth, rec)
		return []piece{{decision: s.router.Route(rec.POD.Text, day, s.contract), day: day, record: rec}}
	}
	if !s.divisible(rec) {
		day := recordDay(s.info, s.fileMonth, rec)
		d := s.router.Route(rec.POD.Text, day, s.contract)
		if len(byDay) > 1 {
			s.report.Notes = append(s.report.Notes, RecordNote{Line: rec.Line, POD: rec.POD.Text, Message: fmt.Sprintf(
				"curve days belong to %d outputs but the record carries band registers or a Consumo, so it went whole to %s by its day %s",
				len(byDay), d.Company, day)})
		}
		return []piece{{decision: d, day: day, record: rec}}
	}
	if len(byDay) == 1 {
		return []piece{{decision: byDay[0].decision, day: days[0], record: rec}}
	}
	pieces := make([]piece, 0, len(byDay))
	for _, g := range byDay {
		cp := *rec
		m := *rec.Measure
		m.Curves = make([]flows.Curve, 0, len(g.curves))
		for _, i := range g.curves {
			m.Curves = append(m.Curves, rec.Measure.Curves[i])
		}
		cp.Measure = &m
		pieces = append(pieces, piece{decision: g.decision, day: days[g.curves[0]], record: &cp})
	}
	return pieces
}

// dayGroup is the curves of a record that go to one output.
type dayGroup struct {
	decision Decision
	curves   []int
}

// routeDays routes each curve day of a periodic or correction record and
// groups the curves by output, in order of first appearance. It returns nil
// groups when the record is not routed by curve day.
func (s *flowSplit) routeDays(rec *flows.Record) ([]civil.Date, []dayGroup) {
	if s.info.Family != flows.Periodic && s.info.Family != flows.Correction {
		return nil, nil
	}
	days, ok := curveDays(rec)
	if !ok {
		return nil, nil
	}
	var groups []dayGroup
	for i, d := range days {
		dec := s.router.Route(rec.POD.Text, d, s.contract)
		j := 0
		for j < len(groups) && groups[j].decision.Company != dec.Company {
			j++
		}
		if j == len(groups) {
			groups = append(groups, dayGroup{decision: dec})
		}
		groups[j].curves = append(groups[j].curves, i)
	}
	return days, groups
}

// divisible reports whether a record may be divided by curve day: its
// measure carries curves only, so each part keeps a valid measure.
func (s *flowSplit) divisible(rec *flows.Record) bool {
	return rec.Consumption == nil && rec.ConsumptionStD == nil && !hasRegisters(rec.Measure)
}

// output returns the part of company, creating it and writing the header
// the first time.
func (s *flowSplit) output(company string) (*flowOutput, error) {
	if out, ok := s.outputs[company]; ok {
		return out, nil
	}
	part, err := s.sink.Create(company, s.name)
	if err != nil {
		return nil, err
	}
	digest := newDigestPart(part)
	out := &flowOutput{company: company, part: digest, w: flows.NewWriter(digest), totals: newTotals()}
	s.outputs[company] = out
	s.order = append(s.order, company)
	if err := out.w.WriteHeader(s.header); err != nil {
		return nil, fmt.Errorf("reseller: writing header of %s for %s: %w", s.name, company, err)
	}
	return out, nil
}

// finish closes every writer, checks the balance and commits the parts.
func (s *flowSplit) finish() error {
	for _, company := range s.orderedCompanies() {
		out := s.outputs[company]
		if err := out.w.Close(); err != nil {
			return fmt.Errorf("reseller: closing %s for %s: %w", s.name, company, err)
		}
		pr := PartReport{Company: company, Name: s.name, Totals: out.totals}
		out.part.fill(&pr)
		s.report.Parts = append(s.report.Parts, pr)
	}
	s.report.SharedPODs = s.sharedPODs()
	if err := s.report.Check(); err != nil {
		return err
	}
	return s.commit()
}

// orderedCompanies returns the companies that received records in table
// order, Unassigned last.
func (s *flowSplit) orderedCompanies() []string {
	var list []string
	for _, id := range s.router.ids {
		if _, ok := s.outputs[id]; ok {
			list = append(list, id)
		}
	}
	if _, ok := s.outputs[Unassigned]; ok {
		list = append(list, Unassigned)
	}
	return list
}

// sharedPODs counts, for each input POD, the parts beyond the first that
// contain it.
func (s *flowSplit) sharedPODs() int {
	shared := 0
	for pod := range s.input.pods {
		n := 0
		for _, out := range s.outputs {
			if _, ok := out.totals.pods[pod]; ok {
				n++
			}
		}
		if n > 1 {
			shared += n - 1
		}
	}
	return shared
}

// commit commits every part. A failure aborts the parts not yet committed;
// those already committed stay, and the error names the company.
func (s *flowSplit) commit() error {
	for i, company := range s.order {
		if err := s.outputs[company].part.Commit(); err != nil {
			for _, rest := range s.order[i+1:] {
				s.outputs[rest].part.Abort()
			}
			s.outputs = nil
			return fmt.Errorf("reseller: committing %s for %s: %w", s.name, company, err)
		}
	}
	s.outputs = nil
	return nil
}

func (s *flowSplit) abort() {
	for _, out := range s.outputs {
		out.part.Abort()
	}
	s.outputs = nil
}
