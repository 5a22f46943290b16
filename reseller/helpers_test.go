package reseller

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// memSink keeps parts in memory, by company.
type memSink struct {
	parts     map[string]*memPart
	committed map[string][]byte
	names     map[string]string
}

func newMemSink() *memSink {
	return &memSink{parts: map[string]*memPart{}, committed: map[string][]byte{}, names: map[string]string{}}
}

func (s *memSink) Create(company, name string) (Part, error) {
	if _, ok := s.parts[company]; ok {
		return nil, fmt.Errorf("part of %s created twice", company)
	}
	p := &memPart{sink: s, company: company}
	s.parts[company] = p
	s.names[company] = name
	return p, nil
}

type memPart struct {
	bytes.Buffer
	sink    *memSink
	company string
	done    bool
}

func (p *memPart) Commit() error {
	if p.done {
		return errors.New("part finished twice")
	}
	p.done = true
	p.sink.committed[p.company] = p.Bytes()
	return nil
}

func (p *memPart) Abort() error {
	p.done = true
	return nil
}

// failingSink fails Create for one company.
type failingSink struct {
	*memSink
	company string
}

func (s failingSink) Create(company, name string) (Part, error) {
	if company == s.company {
		return nil, errors.New("disk full")
	}
	return s.memSink.Create(company, name)
}

// decodeAll reads every record of a flow.
func decodeAll(t *testing.T, data []byte) (*flows.Header, []*flows.Record) {
	t.Helper()
	dec := flows.NewDecoder(bytes.NewReader(data))
	h, err := dec.Header()
	require.NoError(t, err)
	var recs []*flows.Record
	for {
		r, err := dec.Next()
		if errors.Is(err, io.EOF) {
			return h, recs
		}
		require.NoError(t, err)
		recs = append(recs, r)
	}
}

// totalsOf recomputes the totals of a written part.
func totalsOf(t *testing.T, data []byte) Totals {
	t.Helper()
	_, recs := decodeAll(t, data)
	tot := newTotals()
	for _, r := range recs {
		tot.add(r)
	}
	return tot
}

// blockingRules returns the rules of the blocking anomalies that the
// validator finds in a flow file.
func blockingRules(t *testing.T, name string, data []byte) map[string]bool {
	t.Helper()
	now := time.Date(2025, time.November, 20, 12, 0, 0, 0, civil.Rome)
	rep, err := flows.ValidateFile(name, bytes.NewReader(data), flows.ValidateOptions{Now: now})
	require.NoError(t, err)
	rules := map[string]bool{}
	for _, a := range rep.Anomalies {
		if a.Blocking() {
			rules[a.Rule] = true
		}
	}
	return rules
}

// xmllint returns the path of xmllint, skipping the test when it is not
// installed, or failing it when CI is "true".
func xmllint(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("xmllint not installed (CI=true): %v", err)
		}
		t.Skip("xmllint not installed")
	}
	return path
}

// schemaErrors validates data with xmllint against xsd and returns its
// output, or "" when the file conforms.
func schemaErrors(t *testing.T, lint, xsd, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, data, 0o600))
	out, err := exec.Command(lint, "--noout", "--schema", xsd, path).CombinedOutput()
	if err != nil {
		return string(out) + err.Error()
	}
	return ""
}
