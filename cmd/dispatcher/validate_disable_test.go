package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A misspelt rule identifier in -disable used to disable nothing and
// report nothing, and "R9, R10" disabled R9 only.
func TestValidateDisableUnknownRule(t *testing.T) {
	code, _, errOut := runCommand("validate", processingDay, "-disable=R9,R99", generatedFlows)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `unknown rule "R99"`)
}

func TestValidateDisableTrimsSpaces(t *testing.T) {
	code, out, errOut := runCommand("validate", processingDay, "-accept-pdo2g-nr", "-disable= R9 ,", generatedFlows)
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, ": 0 blocking,")
}
