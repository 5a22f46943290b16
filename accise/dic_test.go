package accise

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testGasMarker is a placeholder for the gas file marker, which no public
// source gives.
const testGasMarker = "GASNAT"

func writeDic(t *testing.T, records []DicRecord) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewDicWriter(&buf, nil)
	w.SetMarker(Gas, testGasMarker)
	for _, r := range records {
		require.NoError(t, w.Write(r), "record %s %v", r.Type, r.Values)
	}
	require.NoError(t, w.Flush())
	return buf.Bytes()
}

func readDic(t *testing.T, data []byte) []DicRecord {
	t.Helper()
	r := NewDicReader(bytes.NewReader(data), nil)
	r.SetMarker(Gas, testGasMarker)
	var out []DicRecord
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out
		}
		require.NoError(t, err)
		out = append(out, rec)
	}
}

func TestDicRoundTrip(t *testing.T) {
	c := computeYear(t)
	ee, err := BuildElectricity(c, yearOptions())
	require.NoError(t, err)
	gn, err := BuildGas(c, yearOptions())
	require.NoError(t, err)
	var records []DicRecord
	for _, d := range ee {
		records = append(records, ElectricityDicRecords(d)...)
	}
	for _, d := range gn {
		records = append(records, GasDicRecords(d)...)
	}
	types := map[string]bool{}
	for _, r := range records {
		types[r.Commodity.String()+r.Type] = true
	}
	for _, want := range []string{"electricity00", "electricity26", "electricity41", "electricity42", "electricity51", "electricity61", "electricity82",
		"gas00", "gas16", "gas31", "gas32", "gas50", "gas55", "gas60", "gas65", "gas80", "gas82"} {
		assert.True(t, types[want], want)
	}

	data := writeDic(t, records)
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\r\n"), "\r\n") {
		assert.NotContains(t, line, "\n", "line %d", i+1)
	}
	back := readDic(t, data)
	assert.Empty(t, cmp.Diff(records, back))
	assert.Equal(t, data, writeDic(t, back))
	golden(t, "year2025.dic", data)
}

func TestDicFieldPositions(t *testing.T) {
	rec := DicRecord{Commodity: Electricity, Company: "IT00TOA01", Year: 2025, Type: "51", Values: map[string]string{
		"province": "TO", "month": "0", "chapter": "1411", "article": "01", "row": "4", "row_kind": "0", "sequence": "1",
		"quantity": "300000", "rate": "0.0125000", "tax": "3750.00",
	}}
	line := string(writeDic(t, []DicRecord{rec}))
	assert.Equal(t, "ELETTR", line[0:6])
	assert.Equal(t, "IT00TOA01", line[6:15])
	assert.Equal(t, "2025", line[15:19])
	assert.Equal(t, "51", line[19:21])
	assert.Equal(t, "TO", line[21:23])
	assert.Equal(t, "1411", line[26:30])
	assert.Equal(t, "04", line[32:34])
	assert.Equal(t, "00000000300000", line[37:51])
	assert.Equal(t, "00125000", line[51:59], "rate: 1 integer digit and 7 decimals")
	assert.Equal(t, "000000000375000", line[59:74], "tax: 13 integer digits and 2 decimals")
	assert.Equal(t, "\r\n", line[74:])
}

func TestDicWriteErrors(t *testing.T) {
	tests := []struct {
		name string
		rec  DicRecord
		want string
	}{
		{"unknown type", DicRecord{Commodity: Electricity, Type: "99"}, "no layout"},
		{"negative", DicRecord{Commodity: Electricity, Company: "X", Year: 2025, Type: "61", Values: map[string]string{"amount": "-1.00"}}, "negative"},
		{"too many decimals", DicRecord{Commodity: Electricity, Company: "X", Year: 2025, Type: "61", Values: map[string]string{"amount": "1.005"}}, "decimals"},
		{"too long", DicRecord{Commodity: Electricity, Company: "X", Year: 2025, Type: "61", Values: map[string]string{"province": "TOR"}}, "longer"},
		{"not ASCII", DicRecord{Commodity: Electricity, Company: "X", Year: 2025, Type: "61", Values: map[string]string{"province": "è"}}, "ASCII"},
		{"unknown variant", DicRecord{Commodity: Electricity, Company: "X", Year: 2025, Type: "26", Values: map[string]string{"kind": "9"}}, "no consistent public layout"},
		{"gas marker unknown", DicRecord{Commodity: Gas, Company: "X", Year: 2025, Type: "55"}, "marker is unknown"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := NewDicWriter(io.Discard, nil).Write(tc.rec)
			require.ErrorIs(t, err, ErrDic)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

func TestDicReadErrors(t *testing.T) {
	good := strings.TrimSuffix(string(writeDic(t, []DicRecord{{Commodity: Electricity, Company: "IT00TOA01", Year: 2025, Type: "61",
		Values: map[string]string{"province": "TO", "month": "0", "chapter": "1411", "article": "01", "row": "1", "amount": "5.00"}}})), "\r\n")
	tests := []struct {
		name, line, want string
	}{
		{"short line", good[:40], "shorter"},
		{"unknown marker", "XXXXXX" + good[6:], "unknown file marker"},
		{"bad number", good[:36] + "x" + good[37:], "not an unsigned number"},
		{"unknown type", good[:19] + "99" + good[21:], "no layout"},
		{"control byte", good[:30] + "\x01" + good[31:], "not printable"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := NewDicReader(strings.NewReader("\r\n"+good+"\r\n"+tc.line+"\r\n"+good+"\n"), nil)
			_, err := r.Read()
			require.NoError(t, err)
			_, err = r.Read()
			require.ErrorIs(t, err, ErrDic)
			assert.ErrorContains(t, err, tc.want)
			var de *DicError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, 3, de.Line)
			_, err = r.Read()
			assert.NoError(t, err, "reading goes on after a bad record")
		})
	}
}

func TestDicLayoutRejectsOverlap(t *testing.T) {
	_, err := LoadDicLayout(strings.NewReader(`{"common":[{"name":"a","start":0,"end":6,"kind":"A"}],"records":[{"type":"00","fields":[{"name":"b","start":5,"end":7,"kind":"A"}]}]}`))
	assert.ErrorContains(t, err, "overlap")
}

func FuzzDicReader(f *testing.F) {
	f.Add(writeDicSeed(f))
	f.Add([]byte("ELETTR\r\n"))
	year, err := os.ReadFile("testdata/year2025.dic")
	require.NoError(f, err)
	f.Add(year)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return
		}
		r := NewDicReader(bytes.NewReader(data), nil)
		r.SetMarker(Gas, testGasMarker)
		var records []DicRecord
		for range 10000 {
			rec, err := r.Read()
			if errors.Is(err, io.EOF) {
				e, _ := ElectricityFromDic(records)
				g, _ := GasFromDic(records)
				require.NoError(t, WriteXML(io.Discard, e))
				require.NoError(t, WriteXML(io.Discard, g))
				return
			}
			var de *DicError
			if errors.As(err, &de) {
				continue
			}
			if err != nil {
				return
			}
			w := NewDicWriter(io.Discard, nil)
			w.SetMarker(Gas, testGasMarker)
			require.NoError(t, w.Write(rec), "a record read must write back")
			records = append(records, rec)
		}
	})
}

func writeDicSeed(f *testing.F) []byte {
	var buf bytes.Buffer
	w := NewDicWriter(&buf, nil)
	_ = w.Write(DicRecord{Commodity: Electricity, Company: "IT00TOA01", Year: 2025, Type: "42", Values: map[string]string{
		"province": "TO", "month": "0", "row": "1", "own_use": "0", "supplies": "3", "commercial": "1200", "municipality": "L219"}})
	_ = w.Flush()
	return buf.Bytes()
}

func TestDicReadRejectsMeterVariant(t *testing.T) {
	data := writeDic(t, []DicRecord{{Commodity: Electricity, Company: "IT00TOA01", Year: 2025, Type: "26",
		Values: map[string]string{"month": "0", "kind": "M", "id": "01234567890", "kwh": "1500", "municipality": "L219"}}})
	line := string(data)
	assert.Equal(t, "M01234567890", line[24:36])
	meter := line[:24] + "9" + line[25:]
	_, err := NewDicReader(strings.NewReader(meter), nil).Read()
	require.ErrorIs(t, err, ErrDic)
	assert.ErrorContains(t, err, "no consistent public layout")
}

func TestDeclarationsFromDic(t *testing.T) {
	c := computeYear(t)
	ee, err := BuildElectricity(c, yearOptions())
	require.NoError(t, err)
	gn, err := BuildGas(c, yearOptions())
	require.NoError(t, err)

	// The legacy layout has no record for electricity corrections (K) and
	// clients (EC), nor for gas frames E, H, O and P; records 31 and 32 carry
	// no cadastral code.
	for _, d := range ee {
		back, rest := ElectricityFromDic(readDic(t, writeDic(t, ElectricityDicRecords(d))))
		assert.Empty(t, rest)
		assert.Empty(t, cmp.Diff(d, back, decimalEqual, cmpopts.EquateEmpty(),
			cmpopts.IgnoreFields(ElectricityDeclaration{}, "Sending", "K", "EC")))
	}
	for _, d := range gn {
		back, rest := GasFromDic(readDic(t, writeDic(t, GasDicRecords(d))))
		assert.Empty(t, rest)
		assert.Empty(t, cmp.Diff(d, back, decimalEqual, cmpopts.EquateEmpty(),
			cmpopts.IgnoreFields(GasDeclaration{}, "Sending", "E", "H", "O", "P"),
			cmpopts.IgnoreFields(GasBilledFrame{}, "Municipality")))
	}
}

func TestFromDicKeepsOtherRecords(t *testing.T) {
	sold := DicRecord{Commodity: Gas, Company: "X", Year: 2017, Type: "99", Values: map[string]string{"month": "1"}}
	power := DicRecord{Commodity: Electricity, Company: "X", Year: 2017, Type: "42", Values: map[string]string{"province": "TO", "row": "1"}}
	d, rest := GasFromDic([]DicRecord{sold, power})
	assert.Equal(t, []DicRecord{sold, power}, rest)
	assert.Equal(t, 2017, d.Year)
	e, rest := ElectricityFromDic([]DicRecord{sold, power})
	assert.Equal(t, []DicRecord{sold}, rest)
	require.Len(t, e.M, 1)
	assert.Equal(t, "TO", e.M[0].Province)
}
