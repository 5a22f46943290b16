package flows

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bludispatcher/dispatcher/internal/testref"
)

// FuzzValidateFile runs the decoder and the validator on arbitrary input:
// they must not panic, and every anomaly must carry a code and a message.
func FuzzValidateFile(f *testing.F) {
	dir := testref.Flows(f, "sii-standard-tracciati-misure-v1.8", "esempi")
	if entries, err := os.ReadDir(dir); err == nil {
		for _, e := range entries {
			if b, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil && !e.IsDir() {
				f.Add(e.Name(), b)
			}
		}
	}
	f.Add(testName("PDO", "201303"), []byte(flowXML("PDO", pdoMonthXML("03/2013", curveXML("Ea", "31", "1", 1, 96)))))
	f.Add(testName("PDO2G", "201310"), []byte(flowXML("PDO2G", pdo2gDayXML("10/2013", curveXML("Ea", "27", "2", 1, 12)))))
	f.Add("x__y_202001_RFO_2020_1DP0001_NR.xml", []byte("<FlussoMisure CodFlusso='RFO'><DatiPod/></FlussoMisure>"))

	opts := ValidateOptions{Now: time.Date(2021, time.June, 1, 0, 0, 0, 0, time.UTC)}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		if len(data) > 1<<20 || len(name) > 256 {
			return
		}
		rep, err := ValidateFile(name, bytes.NewReader(data), opts)
		if err != nil {
			return
		}
		for _, a := range rep.Anomalies {
			if a.Code == "" || a.Message == "" || a.Rule == "" {
				t.Fatalf("anomaly without code, rule or message: %+v", a)
			}
		}
		if rep.RecordsOK+rep.RecordsBlocked != rep.Records {
			t.Fatalf("record counts do not add up: %+v", rep)
		}
	})
}

// BenchmarkValidatePDO measures decoding and validating the official
// monthly PDO sample with reactive injected energy (one POD, 31 days of
// four curves).
func BenchmarkValidatePDO(b *testing.B) {
	path := testref.Flows(b, "sii-standard-tracciati-misure-v1.8", "esempi",
		"energia-reattiva-immessa", "01234567890_12345678901_201301_PDO_20130218060524_1DP0001_R.xml")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	opts := ValidateOptions{Now: time.Date(2013, time.February, 1, 0, 0, 0, 0, time.UTC)}
	name := filepath.Base(path)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ValidateFile(name, bytes.NewReader(data), opts); err != nil {
			b.Fatal(err)
		}
	}
}
