package accise

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// benchmarkMovements returns a CSV of n monthly dues of one account.
func benchmarkMovements(n int) []byte {
	var b bytes.Buffer
	b.WriteString("company;tax;area;date;period;kind;amount;source;reference;note\n")
	for i := range n {
		m := civil.Month{Year: 2026, Month: 1}.AddMonths(i)
		fmt.Fprintf(&b, "IT00RMA00001A;ee;IT;%s;%s;due;1000.00;quantities;%s;\n", m.Last(), m, m.Italian())
	}
	return b.Bytes()
}

func BenchmarkReadMovements(b *testing.B) {
	data := benchmarkMovements(10000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ReadMovements(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPlan(b *testing.B) {
	ms, _, err := ReadMovements(bytes.NewReader(benchmarkMovements(1200)))
	if err != nil {
		b.Fatal(err)
	}
	var l Ledger
	if err := l.Add(ms...); err != nil {
		b.Fatal(err)
	}
	if err := l.Add(Movement{Account: eeIT, Date: ymd(2026, 1, 1), Kind: MoveCredit, Amount: dec("500000")}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Plan(&l, civil.Date{}, civil.Date{})
	}
}
