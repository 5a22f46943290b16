package main

import (
	"bytes"
	"flag"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/accise"
)

func TestAcciseImportProgressNotTerminal(t *testing.T) {
	in := acciseLinesFile(t)
	code, out, errOut := acciseRun("accise", "import", in)
	require.Equal(t, 0, code, errOut)
	assert.NotEmpty(t, out)
	assert.Equal(t, "25 lines imported, 0 rows rejected\n", errOut, "standard error is not a terminal, so no progress line")
}

func TestAcciseImportProgressCallback(t *testing.T) {
	path := acciseLinesFile(t)
	fs := flag.NewFlagSet("accise import", flag.ContinueOnError)
	in := newAcciseInput(fs)
	require.NoError(t, fs.Parse(nil))
	var errOut bytes.Buffer
	in.line = newImportProgress(&errOut)
	lines, found, err := in.read([]string{path}, &errOut)
	require.NoError(t, err)
	require.Empty(t, found)
	require.Len(t, lines, 25)
	assert.Positive(t, in.line.calls, "the import calls the progress callback")
	assert.Equal(t, 25, in.line.rows, "the last call counts every data row")
	assert.Empty(t, errOut.String(), "a buffer is not a terminal")
}

func TestImportProgressTerminalThrottle(t *testing.T) {
	var w bytes.Buffer
	clock := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	p := newImportProgress(&w)
	p.terminal = true
	p.now = func() time.Time { return clock }

	p.update("lines.csv", accise.Progress{Rows: 1000})
	assert.Equal(t, "\rlines.csv: 1000 rows read", w.String(), "the first call draws the line")

	clock = clock.Add(100 * time.Millisecond)
	p.update("lines.csv", accise.Progress{Rows: 2000})
	assert.Equal(t, "\rlines.csv: 1000 rows read", w.String(), "a call within 0.5 s draws nothing")

	clock = clock.Add(500 * time.Millisecond)
	p.update("lines.csv", accise.Progress{Rows: 3000})
	assert.Equal(t, "\rlines.csv: 1000 rows read\rlines.csv: 3000 rows read", w.String())

	clock = clock.Add(10 * time.Millisecond)
	p.update("lines.csv", accise.Progress{Rows: 3500, Done: true})
	assert.Equal(t, "\rlines.csv: 1000 rows read\rlines.csv: 3000 rows read\rlines.csv: 3500 rows read\n", w.String(),
		"the last call draws the final count and ends the line")
}

func TestImportProgressShorterLine(t *testing.T) {
	var w bytes.Buffer
	p := newImportProgress(&w)
	p.terminal = true
	p.update("a-long-name.csv", accise.Progress{Rows: 1000})
	w.Reset()
	p.update("b.csv", accise.Progress{Rows: 5, Done: true})
	assert.Equal(t, "\rb.csv: 5 rows read"+strings.Repeat(" ", 13)+"\n", w.String(), "spaces clear the rest of the longer line")
}

func TestImportProgressFinish(t *testing.T) {
	var w bytes.Buffer
	p := newImportProgress(&w)
	p.finish()
	assert.Empty(t, w.String(), "nothing drawn, nothing to end")
	p.terminal = true
	p.update("lines.csv", accise.Progress{Rows: 1000})
	p.finish()
	assert.Equal(t, "\rlines.csv: 1000 rows read\n", w.String(), "an open line ends before later output")
}
