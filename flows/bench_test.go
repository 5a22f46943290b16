//go:build unix

package flows

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The benchmark input is built here from template records, so it does not
// depend on the reference samples or on the flow generator.

const benchHeader = `<?xml version="1.0" encoding="utf-8"?>
<FlussoMisure xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" CodFlusso="%s">
  <IdentificativiFlusso>
    <PIvaUtente>12345678901</PIvaUtente>
    <PIvaDistributore>01234567890</PIvaDistributore>
    <CodContrDisp>DP0001</CodContrDisp>
  </IdentificativiFlusso>
`

const benchFooter = "</FlussoMisure>\n"

// benchValue returns a plausible quarter-hour energy for POD i, day d and
// slot n, varying so values are not all alike.
func benchValue(i, d, n int) string {
	v := (i*7919 + d*104729 + n*1299709) % 25000
	return fmt.Sprintf("%d,%03d", v/1000, v%1000)
}

func benchCurve(sb *strings.Builder, name string, i, d int) {
	fmt.Fprintf(sb, "      <%s", name)
	for n := 1; n <= 96; n++ {
		fmt.Fprintf(sb, ` E%d="%s"`, n, benchValue(i, d, n))
	}
	fmt.Fprintf(sb, ">%02d</%s>\n", d, name)
}

func benchPodHead(sb *strings.Builder, i int, dateElem string) {
	fmt.Fprintf(sb, "  <DatiPod>\n    <Pod>IT001E%08d</Pod>\n    %s\n", i, dateElem)
	sb.WriteString("    <DatiPdp>\n      <Trattamento>O</Trattamento>\n      <Tensione>15000</Tensione>\n" +
		"      <Forfait>NO</Forfait>\n      <GruppoMis>SI</GruppoMis>\n      <Ka>1,000</Ka>\n      <Kr>1,000</Kr>\n      <Kp>1,000</Kp>\n    </DatiPdp>\n")
}

// benchPDORecord is a PDO monthly record: 31 days of Ea and Er curves.
func benchPDORecord(i int) string {
	var sb strings.Builder
	benchPodHead(&sb, i, "<MeseAnno>01/2025</MeseAnno>")
	sb.WriteString("    <Misura xsi:type=\"DettaglioMisuraPDOv2Type\">\n      <Raccolta>P</Raccolta>\n      <TipoDato>E</TipoDato>\n" +
		"      <Validato>S</Validato>\n      <PotMax>98,000</PotMax>\n")
	for _, kind := range []string{"Ea", "Er"} {
		for d := 1; d <= 31; d++ {
			benchCurve(&sb, kind, i, d)
		}
	}
	sb.WriteString("    </Misura>\n  </DatiPod>\n")
	return sb.String()
}

// benchPDO2GRecord is a PDO2G daily record: one day of Ea and Er plus the band
// registers of DettaglioMisuraPeriodico2GORType.
func benchPDO2GRecord(i int) string {
	var sb strings.Builder
	benchPodHead(&sb, i, "<MeseAnno>01/2025</MeseAnno>")
	sb.WriteString("    <Misura xsi:type=\"DettaglioMisuraPeriodico2GORType\">\n      <Raccolta>P</Raccolta>\n      <TipoDato>E</TipoDato>\n" +
		"      <CausaOstativa>NO</CausaOstativa>\n      <Validato>S</Validato>\n      <PotMax>12,000</PotMax>\n")
	benchCurve(&sb, "Ea", i, 14)
	benchCurve(&sb, "Er", i, 14)
	for _, q := range []string{"Ea", "Er", "Pot"} {
		for f := 1; f <= 6; f++ {
			fmt.Fprintf(&sb, "      <%sF%d>%s</%sF%d>\n", q, f, benchValue(i, f, 7), q, f)
		}
	}
	sb.WriteString("    </Misura>\n  </DatiPod>\n")
	return sb.String()
}

// benchFile builds a whole file of n records.
func benchFile(code string, n int, record func(int) string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, benchHeader, code)
	for i := 0; i < n; i++ {
		b.WriteString(record(i))
	}
	b.WriteString(benchFooter)
	return b.Bytes()
}

// repeatReader streams a header, a DatiPod block repeated until at least
// size bytes, and the footer, without holding the whole input.
type repeatReader struct {
	parts  [][]byte
	block  []byte
	remain int64
	cur    []byte
	footer bool
}

func newRepeatReader(header, block, footer []byte, size int64) *repeatReader {
	return &repeatReader{parts: [][]byte{footer}, block: block, remain: size, cur: header}
}

func (r *repeatReader) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		switch {
		case r.remain > 0:
			r.cur = r.block
			r.remain -= int64(len(r.block))
		case !r.footer:
			r.cur, r.footer = r.parts[0], true
		default:
			return 0, io.EOF
		}
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

// cpuTime returns the CPU time (user and system) the process has used.
// Unlike wall time it barely changes when other programs load the machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPUThroughput reports MB of input per CPU-second since start.
func reportCPUThroughput(b *testing.B, start time.Duration, bytes int) {
	if spent := cpuTime() - start; spent > 0 {
		b.ReportMetric(float64(bytes)*float64(b.N)/1e6/spent.Seconds(), "MB/cpu-s")
	}
}

func decodeCount(b *testing.B, r io.Reader, opts DecoderOptions) int {
	d := NewDecoderOptions(r, opts)
	n := 0
	for {
		_, err := d.Next()
		if err == io.EOF {
			return n
		}
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
}

func benchDecode(b *testing.B, data []byte, pods int, opts DecoderOptions) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	start := cpuTime()
	for i := 0; i < b.N; i++ {
		if n := decodeCount(b, bytes.NewReader(data), opts); n != pods {
			b.Fatalf("decoded %d records, want %d", n, pods)
		}
	}
	b.StopTimer()
	reportCPUThroughput(b, start, len(data))
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N*pods), "allocs/POD")
}

func benchEncodingXML(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	start := cpuTime()
	defer func() { reportCPUThroughput(b, start, len(data)) }()
	for i := 0; i < b.N; i++ {
		d := xml.NewDecoder(bytes.NewReader(data))
		for {
			_, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

const (
	benchPDOPods   = 100
	benchPDO2GPods = 2000
)

func BenchmarkDecodePDOMonthly(b *testing.B) {
	data := benchFile("PDO", benchPDOPods, benchPDORecord)
	b.Run("flows", func(b *testing.B) { benchDecode(b, data, benchPDOPods, DecoderOptions{}) })
	b.Run("flows-reuse", func(b *testing.B) { benchDecode(b, data, benchPDOPods, DecoderOptions{ReuseRecord: true}) })
	b.Run("encoding-xml-tokens", func(b *testing.B) { benchEncodingXML(b, data) })
}

func BenchmarkDecodePDO2GDaily(b *testing.B) {
	data := benchFile("PDO2G", benchPDO2GPods, benchPDO2GRecord)
	b.Run("flows", func(b *testing.B) { benchDecode(b, data, benchPDO2GPods, DecoderOptions{}) })
	b.Run("flows-reuse", func(b *testing.B) { benchDecode(b, data, benchPDO2GPods, DecoderOptions{ReuseRecord: true}) })
	b.Run("encoding-xml-tokens", func(b *testing.B) { benchEncodingXML(b, data) })
}

func BenchmarkWritePDOMonthly(b *testing.B) {
	data := benchFile("PDO", benchPDOPods, benchPDORecord)
	h, recs, err := decodeAll(data)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	defer func() { reportCPUThroughput(b, start, len(data)) }()
	for i := 0; i < b.N; i++ {
		w := NewWriter(io.Discard)
		if err := w.WriteHeader(h); err != nil {
			b.Fatal(err)
		}
		for _, r := range recs {
			if err := w.Write(r); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeMemory streams generated PDO files of growing size and
// reports the peak heap in use, sampled every 64 records, so memory
// flatness shows as a constant peak-heap-MB across sizes. Run it with
// -benchtime=1x: the 1 GB case takes seconds.
func BenchmarkDecodeMemory(b *testing.B) {
	header := []byte(fmt.Sprintf(benchHeader, "PDO"))
	block := []byte(benchPDORecord(1))
	for _, size := range []int64{10 << 20, 100 << 20, 1 << 30} {
		for _, reuse := range []bool{false, true} {
			name := fmt.Sprintf("%dMB/new-records", size>>20)
			if reuse {
				name = fmt.Sprintf("%dMB/reuse", size>>20)
			}
			b.Run(name, func(b *testing.B) {
				b.SetBytes(size)
				var peak uint64
				for i := 0; i < b.N; i++ {
					peak = max(peak, streamPeakHeap(b, header, block, size, reuse))
				}
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			})
		}
	}
}

func streamPeakHeap(b *testing.B, header, block []byte, size int64, reuse bool) uint64 {
	b.StopTimer()
	runtime.GC()
	b.StartTimer()
	var peak uint64
	var ms runtime.MemStats
	d := NewDecoderOptions(newRepeatReader(header, block, []byte(benchFooter), size), DecoderOptions{ReuseRecord: reuse})
	for n := 1; ; n++ {
		_, err := d.Next()
		if err == io.EOF {
			return peak
		}
		if err != nil {
			b.Fatal(err)
		}
		if n%64 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
	}
}
