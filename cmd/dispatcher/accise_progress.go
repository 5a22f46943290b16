package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/bludispatcher/dispatcher/accise"
)

// importProgressInterval is the shortest time between two redraws of the
// import progress line.
const importProgressInterval = 500 * time.Millisecond

// importProgress draws the number of rows read so far on one line of a
// terminal, redrawn at most every importProgressInterval. When the output
// is not a terminal it draws nothing but still records the last count.
type importProgress struct {
	w        io.Writer
	terminal bool
	now      func() time.Time
	last     time.Time
	// width is the length of the text on the open line; 0 when no line is
	// open.
	width int
	// calls and rows are the number of callbacks and the row count of the
	// last one.
	calls, rows int
}

func newImportProgress(w io.Writer) *importProgress {
	return &importProgress{w: w, terminal: isTerminal(w), now: time.Now}
}

// callback returns the ImportOptions.Progress function for one file.
func (p *importProgress) callback(file string) func(accise.Progress) {
	return func(pr accise.Progress) { p.update(file, pr) }
}

// update records one callback and redraws the line when the interval has
// passed since the last draw, or when the file is done, which also ends the
// line.
func (p *importProgress) update(file string, pr accise.Progress) {
	p.calls++
	p.rows = pr.Rows
	if !p.terminal {
		return
	}
	t := p.now()
	if !pr.Done && p.width > 0 && t.Sub(p.last) < importProgressInterval {
		return
	}
	p.last = t
	text := fmt.Sprintf("%s: %d rows read", file, pr.Rows)
	pad := max(p.width-len(text), 0)
	fmt.Fprintf(p.w, "\r%s%s", text, strings.Repeat(" ", pad))
	p.width = len(text)
	if pr.Done {
		p.finish()
	}
}

// finish ends an open progress line, so that later output such as an
// error message starts on a line of its own.
func (p *importProgress) finish() {
	if p.width > 0 {
		fmt.Fprintln(p.w)
		p.width = 0
	}
}
