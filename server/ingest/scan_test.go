package ingest

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}

func relPaths(cands []Candidate) []string {
	out := make([]string, 0, len(cands))
	for _, c := range cands {
		out = append(out, c.Rel)
	}
	return out
}

func TestListTwoLevels(t *testing.T) {
	inbox := t.TempDir()
	writeFile(t, filepath.Join(inbox, "a.xml"), "a")
	writeFile(t, filepath.Join(inbox, "one", "b.ZIP"), "b")
	writeFile(t, filepath.Join(inbox, "one", "two", "c.xml"), "c")
	writeFile(t, filepath.Join(inbox, "one", "two", "three", "d.xml"), "d")
	writeFile(t, filepath.Join(inbox, "notes.txt"), "n")
	writeFile(t, filepath.Join(inbox, ".partial.xml"), "p")
	writeFile(t, filepath.Join(inbox, ".sync", "e.xml"), "e")

	found, skipped, err := List(inbox, 2)
	require.NoError(t, err)
	assert.Equal(t, []string{"a.xml", "one/b.ZIP", "one/two/c.xml"}, relPaths(found))

	reasons := map[string]string{}
	for _, s := range skipped {
		rel, _ := filepath.Rel(inbox, s.Path)
		reasons[filepath.ToSlash(rel)] = s.Reason
	}
	assert.Contains(t, reasons["notes.txt"], "unknown file type")
	assert.Contains(t, reasons["one/two/three"], "deeper")
	assert.Len(t, reasons, 2)
}

func TestListCreatesMissingInbox(t *testing.T) {
	inbox := filepath.Join(t.TempDir(), "new", "inbox")
	found, _, err := List(inbox, 2)
	require.NoError(t, err)
	assert.Empty(t, found)
	assert.DirExists(t, inbox)
}

func TestSettlerNeedsTwoEqualLooks(t *testing.T) {
	s := NewSettler()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a := Candidate{Path: "a", Size: 10, ModTime: t0}
	b := Candidate{Path: "b", Size: 5, ModTime: t0}

	assert.Empty(t, s.Observe([]Candidate{a, b}), "first look")

	b.Size = 6 // still growing
	stable := s.Observe([]Candidate{a, b})
	assert.Equal(t, []string{"a"}, paths(stable))

	stable = s.Observe([]Candidate{a, b})
	assert.Equal(t, []string{"a", "b"}, paths(stable))

	s.Observe([]Candidate{b}) // a disappeared
	assert.Equal(t, []string{"b"}, paths(s.Observe([]Candidate{a, b})), "a came back and needs two looks")

	s.Forget("b")
	assert.Equal(t, []string{"a"}, paths(s.Observe([]Candidate{a, b})))
}

func paths(cands []Candidate) []string {
	var out []string
	for _, c := range cands {
		out = append(out, c.Path)
	}
	return out
}

func TestMoveToArchiveAddsSuffix(t *testing.T) {
	dir := t.TempDir()
	day := time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC)
	dst := ArchivePath(filepath.Join(dir, "archive"), day, "sub/f.xml")
	assert.Equal(t, filepath.Join(dir, "archive", "2026-03-05", "sub", "f.xml"), dst)

	for i, want := range []string{"f.xml", "f-2.xml", "f-3.xml"} {
		src := filepath.Join(dir, "in", "f.xml")
		writeFile(t, src, string(rune('a'+i)))
		got, err := MoveToArchive(src, dst)
		require.NoError(t, err)
		assert.Equal(t, want, filepath.Base(got))
		assert.NoFileExists(t, src)
	}
	data, err := os.ReadFile(filepath.Join(dir, "archive", "2026-03-05", "sub", "f-2.xml"))
	require.NoError(t, err)
	assert.Equal(t, "b", string(data))
}

func TestCopyFileAcrossDevices(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.xml")
	writeFile(t, src, "content")
	dst := filepath.Join(dir, "dst.xml")
	require.NoError(t, copyFile(src, dst))
	data, err := os.ReadFile(dst)
	require.NoError(t, err)
	assert.Equal(t, "content", string(data))
	assert.Error(t, copyFile(src, dst), "an existing target is never overwritten")
}
