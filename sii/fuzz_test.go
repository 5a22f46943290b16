package sii

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/xuri/excelize/v2"
)

// maxFuzzInput caps the input so that every iteration stays fast.
const maxFuzzInput = 64 << 10

func FuzzRCUReader(f *testing.F) {
	f.Add([]byte(buildRCU(columnOrder, []rcuRow{samplePoint("IT001E12345678")}, ";")))
	f.Add([]byte("\xEF\xBB\xBFCOD_POD;CRPP_01_F1\nIT001E1;0,5\n"))
	f.Add([]byte("COD_POD;NOME\nIT001E12345678;NICOL\xD2\n"))
	f.Add([]byte("COD_POD;TRATTAMENTO\nIT1;\"a\nIT2;O\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		r, err := NewRCUReader(bytes.NewReader(data), RCUOptions{})
		if err != nil {
			return
		}
		v := NewRCUValidator(RCUValidatorOptions{File: "fuzz.csv"})
		v.Header(r)
		for i := 0; ; i++ {
			if i > len(data) {
				t.Fatalf("more records than input bytes")
			}
			rec, err := r.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				v.ParseAnomaly(err)
				continue
			}
			if rec.Key() != PODKey(rec.POD) {
				t.Fatalf("key %q differs from POD %q", rec.Key(), rec.POD)
			}
			v.Check(rec)
		}
	})
}

func fuzzPRA(t *testing.T, r *PRAReader, limit int) {
	v := NewPRAValidator(PRAValidatorOptions{File: "fuzz"})
	for i := 0; ; i++ {
		if i > limit {
			t.Fatalf("more records than input bytes")
		}
		rec, err := r.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			v.ParseAnomaly(err)
			if _, ok := err.(*ParseError); ok {
				continue
			}
			return
		}
		if !rec.Start.IsZero() && !rec.End.After(rec.Start) {
			t.Fatalf("interval ends before it starts: %+v", rec)
		}
		v.Check(rec)
	}
}

func FuzzPRAReader(f *testing.F) {
	f.Add([]byte("AREA_RIF;PIVA_DISTR;DATA;ORA;QUARTO_ORA;ENERGIA\nA;12345678903;31/03/2024;3;;1,5\nA;;27/10/2024;;100;2\n"))
	f.Add([]byte("\xEF\xBB\xBFAREA_RIF;DATA;ORA;ENERGIA\n;;;\n\"x;y\";01/01/2024;25;-1\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		r, err := NewPRAReader(bytes.NewReader(data), DefaultPRAProfile())
		if err != nil {
			return
		}
		fuzzPRA(t, r, len(data))
	})
}

func FuzzPRAReaderXLSX(f *testing.F) {
	f.Add(praWorkbook(f, [][]any{
		{"AREA_RIF", "PIVA_DISTR", "DATA", "ORA", "ENERGIA"},
		{"AREA01", "12345678903", "31/03/2024", 3, 10.5},
		{"AREA01", "12345678903", "27/10/2024", 25, "1,5"},
	}))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		r, err := NewPRAReaderXLSX(bytes.NewReader(data), DefaultPRAProfile())
		if err != nil {
			return
		}
		defer r.Close()
		fuzzPRA(t, r, len(data))
	})
}

// praWorkbook returns an XLSX file whose first sheet holds rows.
func praWorkbook(tb testing.TB, rows [][]any) []byte {
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	for i, row := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			tb.Fatal(err)
		}
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			tb.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func FuzzLoadReliefList(f *testing.F) {
	f.Add(earthquake2016)
	f.Add([]byte(`{"measure":"m","validFrom":"2020-01-01","municipalities":[{"name":"A","province":"AA","istatCode":"001001","aliases":["a b"],"successor":{"name":"B","istatCode":"001002"},"validFrom":"2021-01-01","source":"s"}]}`))
	f.Add([]byte(`{"measure":"m","validFrom":"2020-01-01","validTo":"2019-01-01","municipalities":[]}`))
	f.Add([]byte(`{"measure":"m","validFrom":"2020-01-01","municipalities":[{"name":"'","province":" ","source":"s","successor":{"name":"-","istatCode":"001001"}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		l, err := LoadReliefList(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrInvalidReliefList) {
				t.Fatalf("error %v does not wrap ErrInvalidReliefList", err)
			}
			return
		}
		for _, m := range l.Municipalities {
			got, ok := l.Match(Municipality{Name: m.Name, Province: m.Province})
			if !ok || got.Name != m.Name {
				t.Fatalf("%q (%s) does not match itself by name: got %q", m.Name, m.Province, got.Name)
			}
			if got, ok := l.Match(Municipality{Province: m.Province}); ok {
				t.Fatalf("a site without name or code in %s matches %q", m.Province, got.Name)
			}
			if m.ISTATCode == "" {
				continue
			}
			got, ok = l.Match(Municipality{ISTATCode: m.ISTATCode})
			if !ok || got.ISTATCode != m.ISTATCode {
				t.Fatalf("%q does not match itself by code %s", m.Name, m.ISTATCode)
			}
		}
	})
}
