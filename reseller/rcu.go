package reseller

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// ErrNoCounterpartyColumn is returned by SplitRCU when the extract's header
// has no PIVA_CC column, so its rows cannot be routed.
var ErrNoCounterpartyColumn = errors.New("RCU extract has no PIVA_CC column")

// RCUOptions configure SplitRCU.
type RCUOptions struct {
	// Comma is the field separator, ';' when zero.
	Comma rune
	// Day is the day explicit POD assignments are matched on, such as the
	// reference day of the extract. When zero, only assignments without
	// start and end apply.
	Day civil.Date
}

// SplitRCU splits an SII registry extract (estrazione RCU) by the PIVA_CC
// of each row. Every part starts with the extract's header row, and every
// row is copied byte for byte, line ending included. A blank line travels
// with the row after it, and blank lines at the end with the last row. Only COD_POD and PIVA_CC are read, and they are
// ASCII, so UTF-8 and Latin-1 extracts split the same way. Quoted fields may
// span lines. NOTE: UTF-16 extracts are not supported.
//
// Rows with an empty or unknown PIVA_CC go to the Unassigned part unless an
// explicit POD assignment covers RCUOptions.Day. Parts are committed or
// aborted as by SplitFlow.
func SplitRCU(name string, r io.Reader, router *Router, sink Sink, opts RCUOptions) (*Report, error) {
	s := &rcuSplit{router: router, sink: sink, opts: opts, name: partName(name), outputs: map[string]*rcuOutput{}}
	s.report = &Report{File: s.name, Kind: KindRCU}
	s.input = newTotals()
	err := s.run(r)
	s.report.Input = s.input
	if err == nil {
		err = s.finish()
	}
	if err != nil {
		for _, out := range s.outputs {
			out.part.Abort()
		}
		return s.report, err
	}
	return s.report, nil
}

type rcuSplit struct {
	router  *Router
	sink    Sink
	opts    RCUOptions
	name    string
	header  []byte
	outputs map[string]*rcuOutput
	order   []string
	last    *rcuOutput // part of the latest row
	input   Totals
	report  *Report
}

type rcuOutput struct {
	part   *digestPart
	totals Totals
}

func (s *rcuSplit) run(r io.Reader) error {
	capture := &rawCapture{r: r}
	cr := csv.NewReader(capture)
	cr.Comma = s.opts.Comma
	if cr.Comma == 0 {
		cr.Comma = ';'
	}
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("reseller: %s: reading the header row: %w", s.name, err)
	}
	podCol, vatCol := rcuColumns(header)
	if vatCol < 0 {
		return fmt.Errorf("reseller: %s: %w", s.name, ErrNoCounterpartyColumn)
	}

	s.header = append([]byte(nil), capture.take(cr.InputOffset())...)
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return s.writeTrailer(capture.rest())
		}
		if err != nil {
			return fmt.Errorf("reseller: %s: %w", s.name, err)
		}
		line, _ := cr.FieldPos(0)
		if err := s.dispatch(line, field(row, podCol), field(row, vatCol), capture.take(cr.InputOffset())); err != nil {
			return err
		}
	}
}

// rcuColumns returns the indexes of COD_POD and PIVA_CC in the header row,
// or -1. Names are compared trimmed, upper-cased and without a byte order
// mark.
func rcuColumns(header []string) (pod, vat int) {
	pod, vat = -1, -1
	for i, h := range header {
		switch strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))) {
		case "COD_POD":
			if pod < 0 {
				pod = i
			}
		case "PIVA_CC":
			if vat < 0 {
				vat = i
			}
		}
	}
	return pod, vat
}

func field(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}

func (s *rcuSplit) dispatch(line int, pod, vat string, raw []byte) error {
	s.input.Records++
	s.input.addPOD(pod)
	d := s.router.RouteCounterparty(pod, vat, s.opts.Day)
	out, err := s.output(d.Company)
	if err != nil {
		return err
	}
	if _, err := out.part.Write(raw); err != nil {
		return fmt.Errorf("reseller: writing %s for %s: %w", s.name, d.Company, err)
	}
	out.totals.Records++
	out.totals.addPOD(pod)
	s.last = out
	if d.Company == Unassigned {
		s.report.Unassigned = append(s.report.Unassigned, UnassignedRecord{Line: line, POD: pod, Day: s.opts.Day, Reason: d.Reason})
	}
	return nil
}

// writeTrailer appends the blank lines after the last row to that row's
// part. An extract without rows has no part to carry them.
func (s *rcuSplit) writeTrailer(trailer []byte) error {
	if len(trailer) == 0 || s.last == nil {
		return nil
	}
	if _, err := s.last.part.Write(trailer); err != nil {
		return fmt.Errorf("reseller: writing %s: %w", s.name, err)
	}
	return nil
}

func (s *rcuSplit) output(company string) (*rcuOutput, error) {
	if out, ok := s.outputs[company]; ok {
		return out, nil
	}
	part, err := s.sink.Create(company, s.name)
	if err != nil {
		return nil, err
	}
	out := &rcuOutput{part: newDigestPart(part), totals: newTotals()}
	s.outputs[company] = out
	s.order = append(s.order, company)
	if _, err := out.part.Write(s.header); err != nil {
		return nil, fmt.Errorf("reseller: writing header of %s for %s: %w", s.name, company, err)
	}
	return out, nil
}

func (s *rcuSplit) finish() error {
	var ordered []string
	for _, id := range append(s.router.Companies(), Unassigned) {
		if _, ok := s.outputs[id]; ok {
			ordered = append(ordered, id)
		}
	}
	for _, id := range ordered {
		pr := PartReport{Company: id, Name: s.name, Totals: s.outputs[id].totals}
		s.outputs[id].part.fill(&pr)
		s.report.Parts = append(s.report.Parts, pr)
	}
	if err := s.report.Check(); err != nil {
		return err
	}
	for i, id := range s.order {
		if err := s.outputs[id].part.Commit(); err != nil {
			for _, rest := range s.order[i+1:] {
				s.outputs[rest].part.Abort()
			}
			s.outputs = nil
			return fmt.Errorf("reseller: committing %s for %s: %w", s.name, id, err)
		}
	}
	s.outputs = nil
	return nil
}

// rawCapture keeps the bytes read from r that the CSV reader has not yet
// consumed as whole records, so each record's bytes can be copied exactly.
// It contains at most the read-ahead of the CSV reader plus one record.
type rawCapture struct {
	r        io.Reader
	buf      []byte
	offset   int64 // input offset of buf[returned]
	returned int   // bytes at the start of buf handed out by the last take
}

func (c *rawCapture) Read(p []byte) (int, error) {
	c.compact()
	n, err := c.r.Read(p)
	c.buf = append(c.buf, p[:n]...)
	return n, err
}

// take returns the bytes from the previous take up to input offset end.
// The result is valid until the next call to take or Read.
func (c *rawCapture) take(end int64) []byte {
	c.compact()
	n := int(end - c.offset)
	c.returned = n
	c.offset = end
	return c.buf[:n]
}

// rest returns every byte read and not yet taken.
func (c *rawCapture) rest() []byte {
	return c.take(c.offset + int64(len(c.buf)-c.returned))
}

// compact drops the bytes handed out by the last take, reusing the buffer.
func (c *rawCapture) compact() {
	if c.returned == 0 {
		return
	}
	n := copy(c.buf, c.buf[c.returned:])
	c.buf = c.buf[:n]
	c.returned = 0
}
