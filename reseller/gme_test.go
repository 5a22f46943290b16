package reseller

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gmePrices builds an hourly MGP price file of one day with the given
// number of hours.
func gmePrices(hours int) string {
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" standalone=\"yes\"?>\n<NewDataSet>\n")
	b.WriteString("  <xs:schema id=\"NewDataSet\" xmlns=\"\" xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"/>\n")
	for h := 1; h <= hours; h++ {
		fmt.Fprintf(&b, "  <Prezzi>\n    <Data>20251001</Data>\n    <Mercato>MGP</Mercato>\n    <Ora>%d</Ora>\n    <PUN>%d,500000</PUN>\n  </Prezzi>\n", h, 100+h)
	}
	b.WriteString("</NewDataSet>\n")
	return b.String()
}

func TestCopyGMEToEveryCompany(t *testing.T) {
	router, err := loadTestTable(t).Compile()
	require.NoError(t, err)
	in := gmePrices(24)
	sink := newMemSink()
	rep, err := CopyGME("gme/20251001MGPPrezzi.xml", strings.NewReader(in), router, sink)
	require.NoError(t, err)
	require.NoError(t, rep.Check())
	assert.Equal(t, KindGME, rep.Kind)
	assert.Equal(t, 24, rep.Input.Records)
	require.Len(t, sink.committed, 3)
	for _, id := range []string{"alfa", "beta", "gamma"} {
		assert.Equal(t, in, string(sink.committed[id]), id)
		assert.Equal(t, "20251001MGPPrezzi.xml", sink.names[id])
	}
	for _, p := range rep.Parts {
		assert.Equal(t, sha256.Sum256([]byte(in)), p.SHA256, p.Company)
		assert.Equal(t, int64(len(in)), p.Size, p.Company)
	}
	assert.NotContains(t, sink.committed, Unassigned)
	assert.Len(t, rep.Parts, 3)
}

func TestCopyGMEKeepsBadRows(t *testing.T) {
	router, err := loadTestTable(t).Compile()
	require.NoError(t, err)
	in := strings.Replace(gmePrices(3), "102,500000", "1O2,5", 1)
	sink := newMemSink()
	rep, err := CopyGME("20251001MGPPrezzi.xml", strings.NewReader(in), router, sink)
	require.NoError(t, err)
	assert.Equal(t, 3, rep.Input.Records)
	assert.Equal(t, in, string(sink.committed["alfa"]))
}

func TestCopyGMERejectsOtherFiles(t *testing.T) {
	router, err := loadTestTable(t).Compile()
	require.NoError(t, err)
	sink := newMemSink()
	_, err = CopyGME("x.xml", strings.NewReader("<NewDataSet><Prezzi>"), router, sink)
	require.Error(t, err)
	assert.Empty(t, sink.committed)
	for company, p := range sink.parts {
		assert.True(t, p.done, "copy for %s left open", company)
	}
}

func TestCheckGMECopies(t *testing.T) {
	rep := &Report{Kind: KindGME, Input: newTotals()}
	rep.Input.Records = 24
	short := newTotals()
	short.Records = 23
	rep.Parts = []PartReport{{Company: "alfa", Totals: short}}
	assert.ErrorIs(t, rep.Check(), ErrBalance)
}
