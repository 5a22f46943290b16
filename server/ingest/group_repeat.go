package ingest

import (
	"encoding/hex"
	"strings"
	"time"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Repeats reports whether the group file name repeats an earlier load of
// the same bytes named prevName. A delimited file is split as an RCU
// extract, whose month comes from its name as for RCULoader. Under
// another month it is therefore a new extract, which the companies load
// for that month too. Other files repeat whenever their bytes are equal.
//
// NOTE: a delimited file of no known kind follows the month rule as well,
// so the same bytes under another month are copied to the unassigned
// folder once more.
func (l *GroupLoader) Repeats(name, prevName string, prevStarted time.Time) bool {
	if !l.WholeFile(name) || !l.WholeFile(prevName) {
		return true
	}
	return MonthFromName(name, l.now()) == MonthFromName(prevName, prevStarted)
}

// stageName returns the staging folder name of doc: the hex SHA-256 of
// its bytes and, for a delimited file, "-" and the yyyymm month its name
// gives. The same extract loaded for two months thus keeps two folders.
func (l *GroupLoader) stageName(doc Document) string {
	name := hex.EncodeToString(doc.SHA256[:])
	if l.WholeFile(doc.Name) {
		name += "-" + MonthFromName(doc.Name, l.now()).Compact()
	}
	return name
}

// parseStageName splits a staging folder name made by stageName into the
// SHA-256 and the month. The month is zero for a folder without one, and
// ok is false for a name that stageName does not make.
func parseStageName(name string) (sha string, month civil.Month, ok bool) {
	sha, compact, hasMonth := strings.Cut(name, "-")
	if len(sha) != 64 {
		return "", civil.Month{}, false
	}
	if _, err := hex.DecodeString(sha); err != nil {
		return "", civil.Month{}, false
	}
	if !hasMonth {
		return sha, civil.Month{}, true
	}
	month, err := civil.ParseCompact(compact)
	if err != nil {
		return "", civil.Month{}, false
	}
	return sha, month, true
}
