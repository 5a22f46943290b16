package flows

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// ErrFileName is wrapped by every error of ParseFileName.
var ErrFileName = errors.New("invalid flow file name")

// ErrUnknownFlow is wrapped by the error of ParseFileName when the flow
// token is not a known CodFlusso. It also matches ErrFileName.
var ErrUnknownFlow = fmt.Errorf("%w: unknown flow code", ErrFileName)

// FileNameError describes a file name that does not follow the naming
// scheme of the metering flows.
type FileNameError struct {
	// Name is the file name as given, folders included.
	Name string
	// Token is the offending part of the name, or "" when the name as a
	// whole is wrong (too few parts, wrong extension).
	Token string
	// Err wraps ErrFileName or ErrUnknownFlow and describes the problem.
	Err error
}

// Error returns the name, the offending token and the reason.
func (e *FileNameError) Error() string {
	if e.Token == "" {
		return fmt.Sprintf("flow file name %q: %v", e.Name, e.Err)
	}
	return fmt.Sprintf("flow file name %q: token %q: %v", e.Name, e.Token, e.Err)
}

// Unwrap returns Err.
func (e *FileNameError) Unwrap() error { return e.Err }

// Meter states of the last token of current file names (SM).
const (
	// MeterStateRegime is "R": a 2G meter "a regime" (conforming to the
	// performance levels of ARERA resolution 87/2016), and every 1G meter.
	MeterStateRegime = "R"
	// MeterStateNotRegime is "NR": a 2G meter not yet "a regime".
	MeterStateNotRegime = "NR"
)

// Markers of legacy 2G file names.
const (
	// Marker2G is the "_2G" suffix of early 2G daily files (2018).
	Marker2G = "2G"
	// MarkerV22G is the "_v2_2G" suffix that marked the second version of
	// 2G files during the 2018–2019 transition.
	MarkerV22G = "v2_2G"
)

// FileName is the parsed name of a metering-flow file:
//
//	<PIVA distributor>_<PIVA seller>_<AAAAMM>_<flow>_<yyyyMMddHHmmss>_<progressivo><DP>_<R|NR>.xml
//
// Legacy names have no meter state, may carry a day (AAAAMMGG) and a
// "_2G" or "_v2_2G" suffix. Switching flows have no meter state either.
// The parser keeps each token's text, so String rebuilds the name.
type FileName struct {
	// DistributorVAT is the PIVA Distributore token: up to 16 letters and
	// digits, kept as text so leading zeros stay.
	DistributorVAT string
	// SellerVAT is the PIVA Utente token (the dispatching user, UdD).
	SellerVAT string
	// Month is AAAAMM: the month the measures refer to, or the switching
	// month of switching flows. For daily legacy names it is the month of Day.
	Month civil.Month
	// Day is the day of a legacy daily name (AAAAMMGG), or zero.
	Day civil.Date
	// FlowCode is the Flusso token, such as "PNO2G".
	FlowCode string
	// Flow describes FlowCode, found by LookupFlow with an exact match.
	Flow FlowInfo
	// Timestamp is the yyyyMMddHHmmss token: when the file became available,
	// on the Italian wall clock. It is kept as text, and Time converts it.
	Timestamp string
	// Sequence is the Progressivo: the digits that order the files of one
	// delivery, kept as text.
	Sequence string
	// DispatchingContract is the CODICE_DP glued to the sequence, such as
	// "DP0001" (the CodContrDisp of the header).
	DispatchingContract string
	// MeterState is the SM token, MeterStateRegime or MeterStateNotRegime,
	// or "" for legacy and switching names.
	MeterState string
	// Marker is Marker2G or MarkerV22G for legacy 2G names, or "".
	Marker string
	// Test is true when the name ends with "_OK", a suffix seen on test
	// files of the switching flows.
	Test bool
	// Extension is the extension as written, such as ".xml", ".zip",
	// ".xml.zip" or ".XML".
	Extension string
	// Defects lists departures from the naming scheme that the parser
	// tolerated, such as a doubled underscore, so a validator can report
	// them. String never reproduces them.
	Defects []string
	// Notes lists facts about the name worth showing that are not defects,
	// such as the test suffix.
	Notes []string
}

// Legacy reports whether the name follows the pre-2020 scheme: a daily
// period, a 2G marker, or a Flusso 1 or Flusso 2 name without meter state.
func (f FileName) Legacy() bool {
	if !f.Day.IsZero() || f.Marker != "" {
		return true
	}
	fam := f.Flow.Family
	return f.MeterState == "" && (fam == Periodic || fam == Correction)
}

// Time returns the Timestamp as an instant in Europe/Rome. A wall time that
// does not exist (the skipped spring hour) is moved forward by the time
// package's rules, and a repeated autumn wall time resolves to its first pass.
func (f FileName) Time() (time.Time, error) {
	parts, ok := timestampParts(f.Timestamp)
	if !ok {
		return time.Time{}, fmt.Errorf("%w: timestamp %q is not yyyyMMddHHmmss", ErrFileName, f.Timestamp)
	}
	return time.Date(parts[0], time.Month(parts[1]), parts[2], parts[3], parts[4], parts[5], 0, civil.Rome), nil
}

// Period returns the period token: yyyyMMdd for daily names, else yyyyMM.
func (f FileName) Period() string {
	if !f.Day.IsZero() {
		return fmt.Sprintf("%04d%02d%02d", f.Day.Year, f.Day.Month, f.Day.Day)
	}
	return f.Month.Compact()
}

// String returns the canonical name: one underscore between tokens, the
// optional tokens in the order meter state, marker, test suffix.
func (f FileName) String() string {
	var b strings.Builder
	for _, tok := range []string{f.DistributorVAT, f.SellerVAT, f.Period(), f.FlowCode, f.Timestamp} {
		b.WriteString(tok)
		b.WriteByte('_')
	}
	b.WriteString(f.Sequence)
	b.WriteString(f.DispatchingContract)
	for _, tok := range []string{f.MeterState, f.Marker} {
		if tok != "" {
			b.WriteByte('_')
			b.WriteString(tok)
		}
	}
	if f.Test {
		b.WriteString("_OK")
	}
	b.WriteString(f.Extension)
	return b.String()
}
