package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/bludispatcher/dispatcher/server/ingest"
)

// progress draws a one-line progress bar of a load on a terminal. When the
// output is not a terminal it draws nothing.
type progress struct {
	w          io.Writer
	enabled    bool
	files      int
	totalBytes int64
	doneFiles  int
	doneBytes  int64
}

// barWidth is the number of cells of the bar.
const barWidth = 30

func newProgress(w io.Writer, paths []string) *progress {
	p := &progress{w: w, enabled: isTerminal(w), files: len(paths)}
	for _, path := range paths {
		if info, err := os.Stat(path); err == nil {
			p.totalBytes += info.Size()
		}
	}
	p.draw()
	return p
}

// isTerminal reports whether w is a character device such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

func (p *progress) update(f ingest.FileReport) {
	p.doneFiles++
	p.doneBytes += f.Size
	p.draw()
}

func (p *progress) draw() {
	if !p.enabled {
		return
	}
	frac := 1.0
	if p.totalBytes > 0 {
		frac = float64(p.doneBytes) / float64(p.totalBytes)
	} else if p.files > 0 {
		frac = float64(p.doneFiles) / float64(p.files)
	}
	frac = min(max(frac, 0), 1)
	cells := int(frac * barWidth)
	bar := strings.Repeat("=", cells) + strings.Repeat(" ", barWidth-cells)
	fmt.Fprintf(p.w, "\r[%s] %3.0f%% %d/%d files %s/%s", bar, frac*100, p.doneFiles, p.files,
		megabytes(p.doneBytes), megabytes(p.totalBytes))
}

// finish ends the bar's line so that later output starts on a new one.
func (p *progress) finish() {
	if p.enabled {
		fmt.Fprintln(p.w)
	}
}

func megabytes(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
