package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/bludispatcher/dispatcher/internal/archive"
)

// flowInputs expands the arguments of inspect and validate: files are kept
// as given, folders are walked for .xml and .zip files in name order.
func flowInputs(args []string) ([]string, error) {
	var out []string
	for _, arg := range args {
		info, err := os.Stat(arg)
		if err != nil || !info.IsDir() {
			out = append(out, arg) // a missing file is reported when it is opened
			continue
		}
		var found []string
		err = filepath.WalkDir(arg, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			ext := strings.ToLower(filepath.Ext(path))
			if !d.IsDir() && (ext == ".xml" || ext == ".zip") {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

// walkInputs calls fn for every XML file found in the inputs, and for every
// input or archive entry that cannot be read (Entry.Err set).
func walkInputs(paths []string, fn func(archive.Entry) error) error {
	for _, p := range paths {
		if err := archive.WalkFile(p, archive.Options{}, fn); err != nil {
			return err
		}
	}
	return nil
}

// isSkipped reports whether an entry error only means that a file inside
// an archive is not a flow, such as a list of file names beside the zips.
// A file given on the command line that is not XML is an error.
func isSkipped(e archive.Entry) bool { return e.Depth > 0 && errors.Is(e.Err, archive.ErrNotXML) }
