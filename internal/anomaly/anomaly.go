// Package anomaly defines the finding type that every validator of the
// project returns, so that the load log, the command line and the web pages
// show findings of all file kinds the same way.
//
// Domain packages re-export the type under their own name (for example
// flows.Anomaly), so callers never import this package directly.
package anomaly

import (
	"fmt"
	"strings"
)

// Severity tells whether an anomaly stops the record (or the file) from
// being loaded.
type Severity uint8

const (
	// Warning is a non-blocking finding: the record is still loaded.
	Warning Severity = iota
	// Blocking is a finding that keeps the record (or, at file level, the
	// whole file) from being loaded.
	Blocking
)

// String returns "blocking" or "warning".
func (s Severity) String() string {
	if s == Blocking {
		return "blocking"
	}
	return "warning"
}

// MarshalText encodes the severity as its String form.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes "blocking" or "warning".
func (s *Severity) UnmarshalText(b []byte) error {
	switch string(b) {
	case "blocking":
		*s = Blocking
	case "warning":
		*s = Warning
	default:
		return fmt.Errorf("anomaly: invalid severity %q: want blocking or warning", b)
	}
	return nil
}

// Level is the scope an anomaly applies to.
type Level uint8

const (
	// RecordLevel findings concern one record (a POD, a supply, a line).
	RecordLevel Level = iota
	// FileLevel findings concern the whole file (name, header, structure).
	FileLevel
)

// String returns "record" or "file".
func (l Level) String() string {
	if l == FileLevel {
		return "file"
	}
	return "record"
}

// MarshalText encodes the level as its String form.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText decodes "record" or "file".
func (l *Level) UnmarshalText(b []byte) error {
	switch string(b) {
	case "file":
		*l = FileLevel
	case "record":
		*l = RecordLevel
	default:
		return fmt.Errorf("anomaly: invalid level %q: want file or record", b)
	}
	return nil
}

// Anomaly is one finding of a validator: what is wrong, where, and whether it
// blocks loading.
type Anomaly struct {
	// Code is the regulated or project code of the finding, such as "904"
	// or "010" for metering flows.
	Code string `json:"code"`
	// Rule names the check that fired, such as "R17" or "structure".
	Rule string `json:"rule,omitempty"`
	// Severity is Blocking or Warning.
	Severity Severity `json:"severity"`
	// Level is FileLevel or RecordLevel.
	Level Level `json:"level"`
	// File is the file name (as received, without folders) the finding is in.
	File string `json:"file,omitempty"`
	// Line is the 1-based line of the offending element, or 0 when unknown.
	Line int `json:"line,omitempty"`
	// Key identifies the record: the POD for metering flows, the PDR for
	// gas, the supply or document number elsewhere.
	Key string `json:"key,omitempty"`
	// Field is the regulated name of the offending element or attribute,
	// such as "MeseAnno" or "Ea/E9".
	Field string `json:"field,omitempty"`
	// Value is the offending value exactly as read.
	Value string `json:"value,omitempty"`
	// Message explains the finding in plain words.
	Message string `json:"message"`
}

// Blocking reports whether the anomaly keeps its record or file from loading.
func (a Anomaly) Blocking() bool { return a.Severity == Blocking }

// String formats the anomaly on one line, for logs and terminals.
func (a Anomaly) String() string {
	var b strings.Builder
	if a.File != "" {
		b.WriteString(a.File)
		if a.Line > 0 {
			fmt.Fprintf(&b, ":%d", a.Line)
		}
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%s %s", a.Severity, a.Code)
	if a.Key != "" {
		fmt.Fprintf(&b, " %s", a.Key)
	}
	if a.Field != "" {
		fmt.Fprintf(&b, " %s", a.Field)
		if a.Value != "" {
			fmt.Fprintf(&b, "=%q", a.Value)
		}
	}
	b.WriteString(": ")
	b.WriteString(a.Message)
	return b.String()
}

// List is the anomalies of one file or one record.
type List []Anomaly

// HasBlocking reports whether any anomaly in the list is blocking.
func (l List) HasBlocking() bool {
	for _, a := range l {
		if a.Blocking() {
			return true
		}
	}
	return false
}

// ForKey returns the anomalies of one record key, in their original order.
func (l List) ForKey(key string) List {
	var out List
	for _, a := range l {
		if a.Key == key {
			out = append(out, a)
		}
	}
	return out
}
