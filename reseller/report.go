package reseller

import (
	"errors"
	"fmt"
	"strings"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Kind is the kind of file a split handled.
type Kind string

// The kinds of file a group receives.
const (
	KindFlow Kind = "flow" // a metering flow (FlussoMisure)
	KindRCU  Kind = "rcu"  // an SII registry extract (estrazione RCU)
	KindGME  Kind = "gme"  // a GME market-result file
)

// ErrBalance is returned by Report.Check when the parts do not add up to the
// input.
var ErrBalance = errors.New("parts do not add up to the input")

// Report describes one split: the input, each part, the records no rule
// routed, and the figures that prove nothing was lost or counted twice.
type Report struct {
	// File is the base name of the input.
	File string
	// Kind is the kind of input.
	Kind Kind
	// FlowCode is the CodFlusso of a metering flow, else "".
	FlowCode string
	// Input are the totals of the input as read.
	Input Totals
	// Parts are the files written, one per company that received
	// something, in table order, with Unassigned last.
	Parts []PartReport
	// Unassigned lists each record, or record day, that went to the
	// Unassigned part, with the reason.
	Unassigned []UnassignedRecord
	// SplitRecords is the number of input records whose curve days went to
	// more than one part. Each such record adds one record per extra part.
	SplitRecords int
	// ExtraPieces is the number of records the day splits added: the sum
	// of the parts' Records is Input.Records plus ExtraPieces.
	ExtraPieces int
	// SharedPODs is how many times a POD appears in more than one part,
	// counted once per extra part: the sum of the parts' PODs is
	// Input.PODs plus SharedPODs.
	SharedPODs int
	// Notes are facts about single records worth a look, such as a record
	// whose days belong to two companies but that cannot be divided.
	Notes []RecordNote
}

// PartReport is one file written by a split.
type PartReport struct {
	// Company is the company ID, or Unassigned.
	Company string
	// Name is the base name of the part file.
	Name string
	// Totals are the part's control figures.
	Totals Totals
	// Size is the number of bytes written.
	Size int64
	// SHA256 is the digest of the bytes written, as a load log records it.
	SHA256 [32]byte
}

// UnassignedRecord is one record, or part of one, that no rule routed.
type UnassignedRecord struct {
	// Line is the line of the record in the input.
	Line int
	// POD is the point as written.
	POD string
	// Day is the day used for routing, zero when unknown.
	Day civil.Date
	// Reason explains why no rule applied.
	Reason string
}

// RecordNote is a remark about one record.
type RecordNote struct {
	Line    int
	POD     string
	Message string
}

// Part returns the report of company's part and whether there is one.
func (r *Report) Part(company string) (PartReport, bool) {
	for _, p := range r.Parts {
		if p.Company == company {
			return p, true
		}
	}
	return PartReport{}, false
}

// Check verifies that the parts add up to the input: records (allowing for
// day splits), PODs (allowing for PODs in several parts), the Ea
// quarter-hours, every energy register and the unparsed values. GME files
// are copied to every company, so for them each part must equal the input.
func (r *Report) Check() error {
	if r.Kind == KindGME {
		for _, p := range r.Parts {
			if p.Totals.Records != r.Input.Records {
				return fmt.Errorf("%w: part of %s has %d files, input %d", ErrBalance, p.Company, p.Totals.Records, r.Input.Records)
			}
		}
		return nil
	}
	sum := sumParts(r.Parts)
	var problems []string
	if sum.Records != r.Input.Records+r.ExtraPieces {
		problems = append(problems, fmt.Sprintf("records: parts %d, input %d + %d from day splits", sum.Records, r.Input.Records, r.ExtraPieces))
	}
	if sum.PODs != r.Input.PODs+r.SharedPODs {
		problems = append(problems, fmt.Sprintf("PODs: parts %d, input %d + %d shared", sum.PODs, r.Input.PODs, r.SharedPODs))
	}
	if !sum.equalSums(r.Input) {
		problems = append(problems, fmt.Sprintf("sums: parts Ea %s, input Ea %s (registers or unparsed values may differ too)",
			sum.EaQuarterHours, r.Input.EaQuarterHours))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s: %s", ErrBalance, r.File, strings.Join(problems, "; "))
	}
	return nil
}
