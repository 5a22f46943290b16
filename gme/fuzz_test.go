package gme

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// maxFuzzInput caps the input so that every iteration stays fast.
const maxFuzzInput = 64 << 10

func addSeeds(f *testing.F, files ...string) {
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`<NewDataSet><Prezzi><Data>20210830</Data><Mercato>MGP</Mercato><Ora>1</Ora><PUN>1,5</PUN></Prezzi></NewDataSet>`))
	f.Add([]byte(`<NewDataSet><Prezzi15><Data>20251026</Data><Periodo>100</Periodo><PUN></PUN></Prezzi15></NewDataSet>`))
	f.Add([]byte(`<NewDataSet><xs:schema xmlns:xs="x"><xs:element/></xs:schema><Prezzi><Ora>25</Ora></Prezzi>`))
	f.Add([]byte(""))
}

// fuzzRead reads and validates data, checking the invariants that hold for
// any input: Next ends, records carry a placed interval, and fatal errors
// are sticky.
func fuzzRead(t *testing.T, data []byte) {
	if len(data) > maxFuzzInput {
		return
	}
	r := NewReader(bytes.NewReader(data))
	v := NewValidator(ValidatorOptions{RequirePUN: true})
	a := NewBandAverager(AveragerOptions{})
	for i := 0; ; i++ {
		if i > len(data) {
			t.Fatalf("more records than input bytes")
		}
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			v.RowAnomaly(err)
			if _, ok := err.(*RowError); ok {
				continue
			}
			if _, again := r.Next(); again != err {
				t.Fatalf("fatal error not sticky: %v then %v", err, again)
			}
			break
		}
		if rec.Period < 1 || !rec.End.After(rec.Start) {
			t.Fatalf("record without a valid interval: %+v", rec)
		}
		v.Check(rec)
		a.Add(rec)
	}
	v.Finish()
	a.Result()
}

func FuzzReaderHourly(f *testing.F) {
	addSeeds(f, "20210328MGPPrezzi.xml", "20211031MGPPrezzi.xml")
	f.Fuzz(fuzzRead)
}

func FuzzReaderQuarterHour(f *testing.F) {
	addSeeds(f, "20260329MGPPrezzi15.xml", "20251026MGPPrezzi15.xml")
	f.Fuzz(fuzzRead)
}
