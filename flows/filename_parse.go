package flows

import (
	"fmt"
	"strings"
	"time"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Defects that ParseFileName tolerates and records in FileName.Defects.
const (
	// DefectDoubledUnderscore is recorded when two underscores follow each
	// other, as in an official RNV2G sample ("RNV2G__2018…").
	DefectDoubledUnderscore = "doubled underscore between tokens"
	// DefectEdgeUnderscore is recorded when the name starts or ends (before
	// the extension) with an underscore.
	DefectEdgeUnderscore = "underscore at the start or end of the name"
)

// NoteTestSuffix is recorded in FileName.Notes for the "_OK" suffix.
const NoteTestSuffix = `name ends with the test suffix "_OK"`

// maxVATLen is the maximum length of a VAT token (PIVAType_AlfNmr allows
// 16 characters, for foreign VAT numbers).
const maxVATLen = 16

// maxContractLen is the maximum length of CodContrDisp (CodContrDispType).
const maxContractLen = 6

// maxSequenceLen bounds the progressivo so it always fits an int.
const maxSequenceLen = 9

// ParseFileName parses the name of a metering-flow file. Folders are
// stripped first. A backslash separates folders only on Windows, and a "!"
// is part of the name. For a zip entry, pass the entry's name, not an
// archive path such as "outer.zip!inner.xml". The flow code must match a
// known CodFlusso exactly ("PNO" and "PNO2G" are different codes). A
// doubled underscore is tolerated and recorded in Defects. Errors are
// *FileNameError values wrapping ErrFileName.
func ParseFileName(name string) (FileName, error) {
	base := baseName(name)
	fail := func(token, format string, args ...any) (FileName, error) {
		err := fmt.Errorf("%w: "+format, append([]any{ErrFileName}, args...)...)
		return FileName{}, &FileNameError{Name: name, Token: token, Err: err}
	}

	var f FileName
	stem, ext := splitNameExtension(base)
	if ext == "" {
		return fail("", "want extension .xml or .zip")
	}
	f.Extension = ext

	tokens, defects := splitNameTokens(stem)
	f.Defects = defects
	if len(tokens) < 6 {
		return fail("", "want at least 6 underscore-separated tokens, found %d", len(tokens))
	}

	if !vatToken(tokens[0]) {
		return fail(tokens[0], "distributor VAT number must be 1 to %d letters or digits", maxVATLen)
	}
	f.DistributorVAT = tokens[0]
	if !vatToken(tokens[1]) {
		return fail(tokens[1], "seller VAT number must be 1 to %d letters or digits", maxVATLen)
	}
	f.SellerVAT = tokens[1]

	if !parsePeriodToken(tokens[2], &f) {
		return fail(tokens[2], "period must be yyyyMM or, in legacy daily names, yyyyMMdd")
	}

	info, ok := LookupFlow(tokens[3])
	if !ok {
		err := fmt.Errorf("%w %q", ErrUnknownFlow, tokens[3])
		return FileName{}, &FileNameError{Name: name, Token: tokens[3], Err: err}
	}
	f.FlowCode, f.Flow = tokens[3], info

	if _, ok := timestampParts(tokens[4]); !ok {
		return fail(tokens[4], "timestamp must be a valid yyyyMMddHHmmss")
	}
	f.Timestamp = tokens[4]

	seq, contract, ok := splitSequenceToken(tokens[5])
	if !ok {
		return fail(tokens[5], "want progressivo digits followed by the dispatching contract code (1 to %d letters or digits, such as 1DP0001)", maxContractLen)
	}
	f.Sequence, f.DispatchingContract = seq, contract

	if rest := parseNameSuffixes(tokens[6:], &f); len(rest) > 0 {
		return fail(rest[0], "unexpected token: after the dispatching contract only R or NR, 2G or v2_2G, and OK may follow, in this order")
	}
	return f, nil
}

// splitNameExtension returns the name without its extension and the extension
// as written. It recognizes .xml, .zip and .xml.zip in any letter case.
func splitNameExtension(base string) (stem, ext string) {
	lower := strings.ToLower(base)
	for _, e := range []string{".xml.zip", ".xml", ".zip"} {
		if strings.HasSuffix(lower, e) {
			n := len(base) - len(e)
			return base[:n], base[n:]
		}
	}
	return base, ""
}

// splitNameTokens splits the stem on underscores and drops empty tokens,
// recording each kind of dropped token once as a defect.
func splitNameTokens(stem string) (tokens, defects []string) {
	parts := strings.Split(stem, "_")
	inner, edge := false, false
	for i, p := range parts {
		if p != "" {
			tokens = append(tokens, p)
			continue
		}
		if i == 0 || i == len(parts)-1 {
			edge = true
		} else {
			inner = true
		}
	}
	if inner {
		defects = append(defects, DefectDoubledUnderscore)
	}
	if edge {
		defects = append(defects, DefectEdgeUnderscore)
	}
	return tokens, defects
}

func vatToken(s string) bool {
	return len(s) >= 1 && len(s) <= maxVATLen && alnumName(s)
}

func alnumName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}

func allDigitsName(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

// parsePeriodToken sets f.Month, and f.Day for a daily token.
func parsePeriodToken(tok string, f *FileName) bool {
	switch len(tok) {
	case 6:
		m, err := civil.ParseCompact(tok)
		if err != nil {
			return false
		}
		f.Month = m
		return true
	case 8:
		m, err := civil.ParseCompact(tok[:6])
		if err != nil || !allDigitsName(tok[6:]) {
			return false
		}
		day := int(tok[6]-'0')*10 + int(tok[7]-'0')
		if day < 1 || day > m.Days() {
			return false
		}
		f.Month = m
		f.Day = civil.Date{Year: m.Year, Month: m.Month, Day: day}
		return true
	}
	return false
}

// timestampParts splits yyyyMMddHHmmss into year, month, day, hour, minute
// and second, and reports whether they form a valid calendar time.
func timestampParts(s string) ([6]int, bool) {
	var p [6]int
	if len(s) != 14 || !allDigitsName(s) {
		return p, false
	}
	num := func(i, j int) int {
		n := 0
		for _, c := range s[i:j] {
			n = n*10 + int(c-'0')
		}
		return n
	}
	p = [6]int{num(0, 4), num(4, 6), num(6, 8), num(8, 10), num(10, 12), num(12, 14)}
	ok := p[0] >= 1 && p[1] >= 1 && p[1] <= 12 &&
		p[2] >= 1 && p[2] <= civil.DaysIn(p[0], time.Month(p[1])) &&
		p[3] < 24 && p[4] < 60 && p[5] < 60
	return p, ok
}

// splitSequenceToken splits "1DP0001" into the progressivo "1" and the
// dispatching contract "DP0001".
func splitSequenceToken(tok string) (seq, contract string, ok bool) {
	i := 0
	for i < len(tok) && tok[i] >= '0' && tok[i] <= '9' {
		i++
	}
	seq, contract = tok[:i], tok[i:]
	if i == 0 || i > maxSequenceLen {
		return "", "", false
	}
	if len(contract) == 0 || len(contract) > maxContractLen || !alnumName(contract) {
		return "", "", false
	}
	return seq, contract, true
}

// parseNameSuffixes reads the optional tokens after the dispatching contract
// and returns the ones it could not place.
func parseNameSuffixes(rest []string, f *FileName) []string {
	if len(rest) > 0 && (rest[0] == MeterStateRegime || rest[0] == MeterStateNotRegime) {
		f.MeterState = rest[0]
		rest = rest[1:]
	}
	switch {
	case len(rest) >= 2 && rest[0] == "v2" && rest[1] == "2G":
		f.Marker = MarkerV22G
		rest = rest[2:]
	case len(rest) >= 1 && rest[0] == Marker2G:
		f.Marker = Marker2G
		rest = rest[1:]
	}
	if len(rest) > 0 && rest[0] == "OK" {
		f.Test = true
		f.Notes = append(f.Notes, NoteTestSuffix)
		rest = rest[1:]
	}
	return rest
}
