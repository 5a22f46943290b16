package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/bludispatcher/dispatcher/distributor"
)

// writeRequests builds the files of the requests and writes them below
// out. An XML profile gets one file per request, each with the next
// progressive; a CSV profile gets one file per service.
func writeRequests(p *distributor.Profile, reqs []*distributor.Request, opts distributor.FileOptions, out string, stdout, stderr io.Writer) int {
	for _, batch := range requestBatches(p, reqs) {
		f, err := distributor.BuildFile(p, batch, opts)
		var invalid *distributor.InvalidRequestError
		if errors.As(err, &invalid) {
			for _, a := range invalid.Anomalies {
				fmt.Fprintln(stderr, a)
			}
			fmt.Fprintln(stderr, "dispatcher request: nothing written for the requests above: fix the blocking anomalies")
			return 1
		}
		if err != nil {
			fmt.Fprintf(stderr, "dispatcher request: %v\n", err)
			return 1
		}
		for _, a := range f.Warnings {
			fmt.Fprintln(stderr, a)
		}
		path, err := writeNewFile(filepath.Join(out, filepath.FromSlash(f.Folder)), f.Name, f.Data)
		if err != nil {
			fmt.Fprintf(stderr, "dispatcher request: %v\n", err)
			return 1
		}
		fmt.Fprintln(stdout, path)
		opts.Seq++
	}
	return 0
}

// requestBatches groups requests into files: one each for XML, one per
// service (in first-seen order) for CSV.
func requestBatches(p *distributor.Profile, reqs []*distributor.Request) [][]*distributor.Request {
	if p.Format != "csv" {
		out := make([][]*distributor.Request, len(reqs))
		for i, r := range reqs {
			out[i] = []*distributor.Request{r}
		}
		return out
	}
	index := map[string]int{}
	var out [][]*distributor.Request
	for _, r := range reqs {
		i, ok := index[r.Service]
		if !ok {
			i = len(out)
			index[r.Service] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], r)
	}
	return out
}

// writeNewFile creates folder/name with data and fails when the file
// exists, because a distributor portal rejects a name it has received.
// NOTE: only files still in the folder are seen, so after the outbox is
// emptied the caller must keep -seq above the last upload.
func writeNewFile(folder, name string, data []byte) (string, error) {
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(folder, name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return "", fmt.Errorf("%s already exists: the name was used for an earlier upload; pass a higher -seq", path)
	}
	if err != nil {
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return "", err
	}
	return path, nil
}
