package reseller

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/sii"
)

// The extract has CRLF line ends, a quoted field spanning two lines, a
// Latin-1 byte, a blank line and no line end after the last row.
const rcuHeader = "\uFEFFCOD_POD;RAGIONE_SOCIALE_CC;PIVA_CC;DATA_INIZIO_FORNITURA;DATA_FINE_FORNITURA\r\n"

var rcuRows = []string{
	"IT001E00000001;\"Beta; Luce\";11111111119;01/01/2025;\r\n",
	"IT001E00000002;Gamma;22222222224;01/02/2025;\r\n",
	"IT001E00000009;\"Alfa\r\nsede 2\";11111111119;01/03/2025;31/12/2025\r\n",
	"IT001E00000004;Fuori gruppo;99999999999;01/01/2025;\r\n",
	"\r\nIT001E00000005;Ditta Citt\xe0;;01/01/2025;\r\n",
	"IT001E00000003;Gamma;22222222224;01/10/2025;",
}

func rcuInput() string { return rcuHeader + strings.Join(rcuRows, "") }

func TestSplitRCU(t *testing.T) {
	router, err := loadTestTable(t).Compile()
	require.NoError(t, err)
	sink := newMemSink()
	rep, err := SplitRCU("in/rcu_202510.csv", strings.NewReader(rcuInput()), router, sink, RCUOptions{})
	require.NoError(t, err)
	require.NoError(t, rep.Check())

	assert.Equal(t, "rcu_202510.csv", rep.File)
	assert.Equal(t, KindRCU, rep.Kind)
	assert.Equal(t, 6, rep.Input.Records)
	assert.Equal(t, 6, rep.Input.PODs)
	want := map[string]string{
		// IT001E00000001 is explicitly beta, with no range, whatever its
		// counterparty.
		"beta":  rcuHeader + rcuRows[0],
		"gamma": rcuHeader + rcuRows[1] + rcuRows[5],
		"alfa":  rcuHeader + rcuRows[2],
		// IT001E00000003 is assigned by range, but no day was given, so
		// PIVA_CC routes it.
		Unassigned: rcuHeader + rcuRows[3] + rcuRows[4],
	}
	require.Len(t, sink.committed, len(want))
	for company, text := range want {
		assert.Equal(t, text, string(sink.committed[company]), company)
	}
	for _, p := range rep.Parts {
		assert.Equal(t, sha256.Sum256(sink.committed[p.Company]), p.SHA256, p.Company)
	}
	require.Len(t, rep.Unassigned, 2)
	assert.Equal(t, "IT001E00000004", rep.Unassigned[0].POD)
	assert.Contains(t, rep.Unassigned[0].Reason, "99999999999")
	assert.Equal(t, "IT001E00000005", rep.Unassigned[1].POD)
	assert.Equal(t, "empty PIVA_CC", rep.Unassigned[1].Reason)
	assert.Equal(t, 8, rep.Unassigned[1].Line, "line after the quoted line end and the blank line")

	// Parts, in table order with unassigned last, add up to the input.
	var order []string
	for _, p := range rep.Parts {
		order = append(order, p.Company)
	}
	assert.Equal(t, []string{"alfa", "beta", "gamma", Unassigned}, order)
}

func TestSplitRCUDayAppliesRanges(t *testing.T) {
	router, err := loadTestTable(t).Compile()
	require.NoError(t, err)
	sink := newMemSink()
	_, err = SplitRCU("rcu.csv", strings.NewReader(rcuInput()), router, sink, RCUOptions{Day: day("2025-10-01")})
	require.NoError(t, err)
	assert.Contains(t, string(sink.committed["beta"]), "IT001E00000003", "beta holds IT001E00000003 until 15 October")
}

func TestSplitRCUPartsReadBack(t *testing.T) {
	router, err := loadTestTable(t).Compile()
	require.NoError(t, err)
	sink := newMemSink()
	_, err = SplitRCU("rcu.csv", strings.NewReader(rcuInput()), router, sink, RCUOptions{})
	require.NoError(t, err)
	total := 0
	for company, data := range sink.committed {
		r, err := sii.NewRCUReader(bytes.NewReader(data), sii.RCUOptions{})
		require.NoError(t, err, company)
		for {
			rec, err := r.Next()
			if err != nil {
				break
			}
			total++
			assert.NotEmpty(t, rec.POD)
		}
	}
	assert.Equal(t, len(rcuRows), total)
}

func TestSplitRCUComma(t *testing.T) {
	router, err := loadTestTable(t).Compile()
	require.NoError(t, err)
	sink := newMemSink()
	in := "COD_POD,PIVA_CC\nIT001E00000002,22222222224\n"
	_, err = SplitRCU("rcu.csv", strings.NewReader(in), router, sink, RCUOptions{Comma: ','})
	require.NoError(t, err)
	assert.Equal(t, in, string(sink.committed["gamma"]))
}

func TestSplitRCUTrailingBlankLines(t *testing.T) {
	router, err := loadTestTable(t).Compile()
	require.NoError(t, err)
	sink := newMemSink()
	in := "COD_POD;PIVA_CC\nIT001E00000002;22222222224\r\n\r\n\n"
	_, err = SplitRCU("rcu.csv", strings.NewReader(in), router, sink, RCUOptions{})
	require.NoError(t, err)
	assert.Equal(t, in, string(sink.committed["gamma"]), "blank lines after the last row stay with it")
}

func TestSplitRCURejects(t *testing.T) {
	router, err := loadTestTable(t).Compile()
	require.NoError(t, err)
	_, err = SplitRCU("rcu.csv", strings.NewReader("COD_POD;PIVA_UDD\nIT001E00000001;1\n"), router, newMemSink(), RCUOptions{})
	assert.ErrorIs(t, err, ErrNoCounterpartyColumn)
	_, err = SplitRCU("rcu.csv", strings.NewReader(""), router, newMemSink(), RCUOptions{})
	assert.ErrorContains(t, err, "reading the header row")
}

func TestSplitRCUSinkFailure(t *testing.T) {
	router, err := loadTestTable(t).Compile()
	require.NoError(t, err)
	sink := failingSink{memSink: newMemSink(), company: Unassigned}
	_, err = SplitRCU("rcu.csv", strings.NewReader(rcuInput()), router, sink, RCUOptions{})
	require.ErrorContains(t, err, "disk full")
	assert.Empty(t, sink.committed)
	for company, p := range sink.parts {
		assert.True(t, p.done, "part of %s left open", company)
	}
}

func TestRawCaptureLongRecords(t *testing.T) {
	// Rows longer than the CSV reader's buffer still copy exactly.
	router, err := loadTestTable(t).Compile()
	require.NoError(t, err)
	long := strings.Repeat("x", 10000)
	in := "COD_POD;NOTE;PIVA_CC\n"
	var want strings.Builder
	want.WriteString(in)
	for range 50 {
		row := "IT001E00000002;" + long + ";22222222224\n"
		in += row
		want.WriteString(row)
	}
	sink := newMemSink()
	_, err = SplitRCU("rcu.csv", strings.NewReader(in), router, sink, RCUOptions{})
	require.NoError(t, err)
	assert.Equal(t, want.String(), string(sink.committed["gamma"]))
}

func TestCounterpartiesFromRCU(t *testing.T) {
	in := "COD_POD;PIVA_CC;DATA_INIZIO_FORNITURA;DATA_FINE_FORNITURA\n" +
		"IT001E00000001;11111111119;01/01/2025;30/09/2025\n" +
		"IT001E00000001;22222222224;01/10/2025;\n" +
		"IT001E00000001;33333333335;01/11/2025;\n" + // overlaps the row before
		"IT001E00000002;;01/01/2025;\n" + // no counterparty
		"IT001E00000003;22222222224;;\n"
	r, err := sii.NewRCUReader(strings.NewReader(in), sii.RCUOptions{})
	require.NoError(t, err)
	list, skipped, err := CounterpartiesFromRCU(r)
	require.NoError(t, err)
	assert.Equal(t, 2, skipped)
	assert.Equal(t, []Counterparty{
		{POD: "IT001E00000001", VAT: "11111111119", Validity: Validity{From: day("2025-01-01"), To: day("2025-09-30")}},
		{POD: "IT001E00000001", VAT: "22222222224", Validity: Validity{From: day("2025-10-01")}},
		{POD: "IT001E00000003", VAT: "22222222224"},
	}, list)

	// IT001E00000001 is explicitly beta in the test table: remove beta to
	// see the counterparty map at work.
	table := loadTestTable(t)
	require.NoError(t, table.SetCounterparties(list))
	require.True(t, table.RemoveCompany("beta"))
	router, err := table.Compile()
	require.NoError(t, err)
	group := Contract{"01234567897", "DP0427"}
	assert.Equal(t, "alfa", router.Route("IT001E00000001", day("2025-09-30"), group).Company)
	assert.Equal(t, "gamma", router.Route("IT001E00000001", day("2025-10-01"), group).Company)
}

func FuzzSplitRCU(f *testing.F) {
	f.Add([]byte(rcuInput()))
	f.Add([]byte("COD_POD;PIVA_CC\nIT001E00000002;22222222224"))
	f.Add([]byte("COD_POD;PIVA_CC\n\"IT001E\"\"2\";\"2222\n2222224\"\r\n\n\n"))
	f.Add([]byte("PIVA_CC\n1\n"))
	router, err := loadTestTable(f).Compile()
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		sink := newMemSink()
		rep, err := SplitRCU("rcu.csv", bytes.NewReader(data), router, sink, RCUOptions{})
		if err != nil {
			require.Empty(t, sink.committed)
			return
		}
		// Every byte after the header row is in exactly one part, and each
		// part starts with the header row.
		cr := csv.NewReader(bytes.NewReader(data))
		cr.Comma, cr.LazyQuotes, cr.FieldsPerRecord = ';', true, -1
		_, err = cr.Read()
		require.NoError(t, err)
		header := data[:cr.InputOffset()]
		if len(rep.Parts) == 0 {
			return
		}
		written := 0
		for _, p := range rep.Parts {
			part := sink.committed[p.Company]
			require.True(t, bytes.HasPrefix(part, header), "part of %s", p.Company)
			written += len(part) - len(header)
		}
		require.Equal(t, len(data)-len(header), written)
		require.Equal(t, rep.Input.Records, sumParts(rep.Parts).Records)
	})
}
