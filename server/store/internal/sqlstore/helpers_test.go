package sqlstore

import "testing/fstest"

// fstestMap returns a file system holding empty files with the given names.
func fstestMap(names ...string) fstest.MapFS {
	m := fstest.MapFS{}
	for _, n := range names {
		m[n] = &fstest.MapFile{Data: []byte("SELECT 1;")}
	}
	return m
}
