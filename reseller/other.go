package reseller

import (
	"fmt"
	"io"
)

// KindOther is a file of none of the kinds a group receives, such as the
// list of file names that some distributors add to a zip of flows.
const KindOther Kind = "other"

// CopyUnassigned copies a file of no known kind, byte for byte, to the
// Unassigned part, so that an operator can look at it instead of it being
// dropped. It reads no record, so the report's totals stay zero.
func CopyUnassigned(name string, r io.Reader, sink Sink) (*Report, error) {
	rep := &Report{File: partName(name), Kind: KindOther, Input: newTotals()}
	p, err := sink.Create(Unassigned, rep.File)
	if err != nil {
		return rep, err
	}
	part := newDigestPart(p)
	if _, err := io.Copy(part, r); err != nil {
		part.Abort()
		return rep, fmt.Errorf("reseller: copying %s: %w", rep.File, err)
	}
	pr := PartReport{Company: Unassigned, Name: rep.File, Totals: newTotals()}
	part.fill(&pr)
	rep.Parts = append(rep.Parts, pr)
	if err := part.Commit(); err != nil {
		return rep, fmt.Errorf("reseller: committing %s for %s: %w", rep.File, Unassigned, err)
	}
	return rep, nil
}
