package gme

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
)

func validateDoc(t *testing.T, doc string, opts ValidatorOptions) anomaly.List {
	t.Helper()
	v := NewValidator(opts)
	r := NewReader(strings.NewReader(doc))
	var out anomaly.List
	for {
		rec, err := r.Next()
		if err != nil {
			if err.Error() == "EOF" {
				break
			}
			out = append(out, v.RowAnomaly(err))
			var rowErr *RowError
			if !assert.ErrorAs(t, err, &rowErr) {
				break
			}
			continue
		}
		out = append(out, v.Check(rec)...)
	}
	return append(out, v.Finish()...)
}

func codes(l anomaly.List) []string {
	var out []string
	for _, a := range l {
		out = append(out, a.Code)
	}
	return out
}

func TestValidatorCleanDSTFiles(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		{"20210328MGPPrezzi.xml", nil},
		{"20211031MGPPrezzi.xml", nil},
		// Periodo 7 has an empty SUD element on purpose.
		{"20260329MGPPrezzi15.xml", []string{CodeEmptyValue}},
		{"20251026MGPPrezzi15.xml", []string{CodeEmptyValue}},
	}
	for _, tt := range tests {
		name := tt.file
		t.Run(name, func(t *testing.T) {
			recs := readFile(t, filepath.Join("testdata", name))
			v := NewValidator(ValidatorOptions{File: name, RequirePUN: true})
			var out anomaly.List
			for _, rec := range recs {
				out = append(out, v.Check(rec)...)
			}
			out = append(out, v.Finish()...)
			assert.Equal(t, tt.want, codes(out))
		})
	}
}

func TestValidatorFindings(t *testing.T) {
	doc := `<NewDataSet>
<Prezzi><Data>20210830</Data><Mercato>MGP</Mercato><Ora>1</Ora><PUN>1,5</PUN><NORD>x</NORD></Prezzi>
<Prezzi><Data>20210830</Data><Mercato>MGP</Mercato><Ora>1</Ora><PUN>1,5</PUN></Prezzi>
<Prezzi><Data>20210830</Data><Mercato>MGP</Mercato><Ora>2</Ora><NORD></NORD></Prezzi>
<Prezzi><Data>20210830</Data><Mercato>MGP</Mercato><Ora>26</Ora></Prezzi>
</NewDataSet>`
	out := validateDoc(t, doc, ValidatorOptions{File: "f.xml", RequirePUN: true})
	assert.Equal(t, []string{CodeInvalidNumber, CodeDuplicate, CodeEmptyValue, CodeMissingPUN, CodeRow, CodeMissingPeriods}, codes(out))

	assert.Equal(t, "NORD", out[0].Field)
	assert.Equal(t, "x", out[0].Value)
	assert.Equal(t, 2, out[0].Line)
	assert.Equal(t, "MGP/Prezzi/2021-08-30/1", out[0].Key)
	assert.True(t, out[0].Blocking())

	assert.Equal(t, 3, out[1].Line)
	assert.Contains(t, out[1].Message, "line 2")

	assert.Equal(t, "Ora", out[4].Field)
	assert.Equal(t, "26", out[4].Value)
	assert.Equal(t, 5, out[4].Line)

	assert.Equal(t, anomaly.FileLevel, out[5].Level)
	assert.Contains(t, out[5].Message, "2 of 24")
}

func TestValidatorIntradayWithoutPUN(t *testing.T) {
	doc := `<NewDataSet><Prezzi><Data>20210902</Data><Mercato>MI1</Mercato><Ora>1</Ora><NAT>1,5</NAT></Prezzi></NewDataSet>`
	out := validateDoc(t, doc, ValidatorOptions{RequirePUN: true})
	assert.Equal(t, []string{CodeMissingPeriods}, codes(out))
}

func TestValidatorGranularity(t *testing.T) {
	doc := `<NewDataSet><Prezzi15><Data>20251001</Data><Mercato>MGP</Mercato><Periodo>1</Periodo><Granularity>PT60</Granularity><PUN>1,5</PUN></Prezzi15></NewDataSet>`
	out := validateDoc(t, doc, ValidatorOptions{})
	require.Len(t, out, 2)
	assert.Equal(t, CodeGranularity, out[0].Code)
	assert.Equal(t, "PT60", out[0].Value)
}

func TestValidatorSyntaxErrorIsFileLevel(t *testing.T) {
	v := NewValidator(ValidatorOptions{File: "bad.xml"})
	_, err := NewReader(strings.NewReader("<NewDataSet><Prezzi>")).Next()
	require.Error(t, err)
	a := v.RowAnomaly(err)
	assert.Equal(t, anomaly.FileLevel, a.Level)
	assert.Equal(t, "bad.xml", a.File)
	assert.True(t, a.Blocking())
}
