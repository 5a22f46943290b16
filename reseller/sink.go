package reseller

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
)

// Sink receives the parts of a split. SplitFlow and SplitRCU call Create
// once per company that receives a record, when the first one arrives, so
// companies with nothing get no file. CopyGME calls it once per company.
type Sink interface {
	// Create opens the part of company (a company ID or Unassigned) named
	// name, the base name of the part file.
	Create(company, name string) (Part, error)
}

// Part is one output file. The splitter writes it, then calls Commit on
// every part when the whole input was split, or Abort when the split
// failed. A consumer thus never reads a part of a failed split. NOTE: when
// one Commit fails, the parts committed before it stay in place.
type Part interface {
	io.Writer
	// Commit makes the finished part visible.
	Commit() error
	// Abort discards the part.
	Abort() error
}

// DirSink writes each part to a folder per company: Dirs[company] when set,
// else Root/company. A part is written to a hidden temporary file in that
// folder and renamed into place on Commit, so a process watching the folder
// (such as a server inbox) finds only complete files.
type DirSink struct {
	// Root is the parent of the company folders.
	Root string
	// Dirs overrides the folder of single companies, such as their inboxes.
	Dirs map[string]string
}

// Dir returns the folder of company's parts.
func (s DirSink) Dir(company string) string {
	if d, ok := s.Dirs[company]; ok {
		return d
	}
	return filepath.Join(s.Root, company)
}

// Create makes the company folder if needed and opens a temporary file in it.
func (s DirSink) Create(company, name string) (Part, error) {
	if name == "" || name != filepath.Base(name) || name == "." || name == ".." {
		return nil, fmt.Errorf("reseller: invalid part name %q", name)
	}
	dir := s.Dir(company)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("reseller: creating folder of company %s: %w", company, err)
	}
	f, err := os.CreateTemp(dir, "."+name+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("reseller: creating part of company %s: %w", company, err)
	}
	return &dirPart{f: f, final: filepath.Join(dir, name)}, nil
}

// digestPart counts and hashes the bytes written to a part, so the report
// can name each part's size and SHA-256 for a load log.
type digestPart struct {
	Part
	hash hash.Hash
	size int64
}

func newDigestPart(p Part) *digestPart { return &digestPart{Part: p, hash: sha256.New()} }

func (p *digestPart) Write(b []byte) (int, error) {
	n, err := p.Part.Write(b)
	p.hash.Write(b[:n])
	p.size += int64(n)
	return n, err
}

// fill copies the size and digest into r.
func (p *digestPart) fill(r *PartReport) {
	r.Size = p.size
	copy(r.SHA256[:], p.hash.Sum(nil))
}

type dirPart struct {
	f     *os.File
	final string
}

func (p *dirPart) Write(b []byte) (int, error) { return p.f.Write(b) }

// Commit syncs and closes the temporary file and renames it to the part's
// name. It fails rather than overwrite an existing file of that name.
func (p *dirPart) Commit() error {
	err := p.f.Sync()
	if cerr := p.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		if _, statErr := os.Lstat(p.final); statErr == nil {
			err = fmt.Errorf("reseller: %s already exists: move it away or split into another folder", p.final)
		} else if !errors.Is(statErr, os.ErrNotExist) {
			err = statErr
		}
	}
	if err == nil {
		err = os.Rename(p.f.Name(), p.final)
	}
	if err != nil {
		os.Remove(p.f.Name())
	}
	return err
}

// Abort closes and removes the temporary file.
func (p *dirPart) Abort() error {
	p.f.Close()
	return os.Remove(p.f.Name())
}
