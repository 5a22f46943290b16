package ingest

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// ArchivePath returns the archive path of a file found at rel (relative to
// its inbox): a folder per day of the load, then the inbox's subfolders.
// Names that repeat across days or folders therefore do not collide.
func ArchivePath(archive string, day time.Time, rel string) string {
	return filepath.Join(archive, day.Format("2006-01-02"), filepath.FromSlash(rel))
}

// MoveToArchive moves src to dst, creating the folders of dst. When dst
// already exists a suffix "-2", "-3"... is added before the extension.
// Across file systems the file is copied, synced and only then removed.
// It returns the path the file ended at.
func MoveToArchive(src, dst string) (string, error) {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", err
	}
	target, err := freeName(dst)
	if err != nil {
		return "", err
	}
	err = os.Rename(src, target)
	if err == nil {
		return target, nil
	}
	var linkErr *os.LinkError
	if !errors.As(err, &linkErr) || !errors.Is(linkErr.Err, syscall.EXDEV) {
		return "", err
	}
	if err := copyFile(src, target); err != nil {
		return "", err
	}
	return target, os.Remove(src)
}

// freeName returns path, or path with the first free numeric suffix.
func freeName(path string) (string, error) {
	ext := filepath.Ext(path)
	base := strings.TrimSuffix(path, ext)
	for i := 1; i < 10000; i++ {
		candidate := path
		if i > 1 {
			candidate = fmt.Sprintf("%s-%d%s", base, i, ext)
		}
		_, err := os.Lstat(candidate)
		if errors.Is(err, fs.ErrNotExist) {
			return candidate, nil
		}
		if err != nil {
			return "", err
		}
	}
	return "", fmt.Errorf("archive: no free name for %s after 9999 tries", path)
}

// copyFile copies src to a new file dst and syncs it to disk.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(dst)
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		os.Remove(dst)
		return err
	}
	return out.Close()
}
