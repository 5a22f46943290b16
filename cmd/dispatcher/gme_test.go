package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestGMECommandDSTFile(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{"gme", filepath.Join("..", "..", "gme", "testdata", "20211031MGPPrezzi.xml")}, &out, &errOut)
	assert.Equal(t, 0, code, errOut.String())
	assert.Contains(t, out.String(), "20211031MGPPrezzi.xml: 25 rows, 0 anomalies")
	// 31 October 2021 is a Sunday, so all 25 hours are F3.
	assert.Contains(t, out.String(), "2021-10 PUN €/MWh (arithmetic, 25 intervals): F1 -  F2 -  F3 ")
}

func TestGMECommandUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	assert.Equal(t, 2, run([]string{"gme"}, &out, &errOut))
	assert.Contains(t, errOut.String(), "usage: dispatcher gme")
}

func TestGMECommandMissingFile(t *testing.T) {
	var out, errOut bytes.Buffer
	assert.Equal(t, 1, run([]string{"gme", "no-such-file.xml"}, &out, &errOut))
	assert.Contains(t, errOut.String(), "no-such-file.xml")
}
