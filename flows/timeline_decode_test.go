package flows

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// dstDayXML writes one curve element with the attributes of slots
// from..to, skipping skip, each worth k + offset kWh.
func dstDayXML(b *strings.Builder, name, day, dst string, from, to, offset int, skip ...int) {
	fmt.Fprintf(b, "<%s", name)
	if dst != "" {
		fmt.Fprintf(b, ` Dst="%s"`, dst)
	}
	skipped := map[int]bool{}
	for _, s := range skip {
		skipped[s] = true
	}
	for k := from; k <= to; k++ {
		if !skipped[k] {
			fmt.Fprintf(b, ` E%d="%d,000"`, k, k+offset)
		}
	}
	fmt.Fprintf(b, ">%s</%s>\n", day, name)
}

// dstFileXML wraps the curve elements of one POD in a flow file.
func dstFileXML(flow, xsiType, month string, curves func(b *strings.Builder)) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="utf-8"?>
<FlussoMisure xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" CodFlusso="%s">
<IdentificativiFlusso><PIvaUtente>01234567897</PIvaUtente><PIvaDistributore>09876543210</PIvaDistributore><CodContrDisp>DP0427</CodContrDisp></IdentificativiFlusso>
<DatiPod><Pod>IT210E10000001</Pod><MeseAnno>%s</MeseAnno>
<DatiPdp><Trattamento>O</Trattamento><Tensione>400</Tensione><Forfait>NO</Forfait><GruppoMis>SI</GruppoMis></DatiPdp>
<Misura xsi:type="%s"><Raccolta>P</Raccolta><TipoDato>E</TipoDato><Validato>S</Validato><PotMax>400,000</PotMax>
`, flow, month, xsiType)
	curves(&b)
	b.WriteString("</Misura></DatiPod></FlussoMisure>\n")
	return b.String()
}

// springCurvesXML writes 29 to 31 March 2025 for the monthly file, or
// only the 30th for the daily one. E_k is k kWh; on the 30th (Dst 1)
// E9..E12 are absent.
func springCurvesXML(monthly bool) func(*strings.Builder) {
	return func(b *strings.Builder) {
		for _, name := range []string{"Ea", "Er"} {
			if monthly {
				dstDayXML(b, name, "29", "", 1, 96, 0)
			}
			dstDayXML(b, name, "30", "1", 1, 96, 0, 9, 10, 11, 12)
			if monthly {
				dstDayXML(b, name, "31", "0", 1, 96, 0)
			}
		}
	}
}

// autumnCurvesXML writes 25 to 27 October 2025 for the monthly file, or
// only the 26th for the daily one. On the 26th the Dst 2 element carries
// E1..E12 worth k kWh and the Dst 3 element E9..E96 worth k + 1000 kWh,
// so the two passes of 02:00–03:00 differ.
func autumnCurvesXML(monthly bool) func(*strings.Builder) {
	return func(b *strings.Builder) {
		for _, name := range []string{"Ea", "Er"} {
			if monthly {
				dstDayXML(b, name, "25", "", 1, 96, 0)
			}
			dstDayXML(b, name, "26", "2", 1, 12, 0)
			dstDayXML(b, name, "26", "3", 9, 96, 1000)
			if monthly {
				dstDayXML(b, name, "27", "", 1, 96, 0)
			}
		}
	}
}

// TestTimelineDecodedDSTFiles decodes hand-built PDO (monthly) and PDO2G
// (daily) files of both clock-change days of 2025 and checks day totals
// and instants computed by hand.
func TestTimelineDecodedDSTFiles(t *testing.T) {
	// Normal day: 1+…+96 = 4656. Spring: 4656 − (9+10+11+12) = 4614.
	// Autumn: Dst 2 gives 1+…+12 = 78; Dst 3 gives 9+…+96 = 4620 plus
	// 88·1000, so 92620; the day totals 92698.
	tests := []struct {
		name      string
		xml       string
		day       civil.Date
		days      int
		dayCount  int
		dayTotal  string
		instants  map[string]string // RFC 3339 start -> value
		neighbour string            // total of the other days
	}{
		{
			name: "PDO monthly spring",
			xml:  dstFileXML("PDO", "DettaglioMisuraPDOv2Type", "03/2025", springCurvesXML(true)),
			day:  civil.Date{Year: 2025, Month: time.March, Day: 30}, days: 3, dayCount: 92, dayTotal: "4614",
			instants: map[string]string{
				"2025-03-30T01:45:00+01:00": "8", "2025-03-30T03:00:00+02:00": "13", "2025-03-30T23:45:00+02:00": "96",
			},
			neighbour: "4656",
		},
		{
			name: "PDO monthly autumn",
			xml:  dstFileXML("PDO", "DettaglioMisuraPDOv2Type", "10/2025", autumnCurvesXML(true)),
			day:  civil.Date{Year: 2025, Month: time.October, Day: 26}, days: 3, dayCount: 100, dayTotal: "92698",
			instants: map[string]string{
				"2025-10-26T02:00:00+02:00": "9", "2025-10-26T02:45:00+02:00": "12",
				"2025-10-26T02:00:00+01:00": "1009", "2025-10-26T02:45:00+01:00": "1012",
				"2025-10-26T03:00:00+01:00": "1013", "2025-10-26T23:45:00+01:00": "1096",
			},
			neighbour: "4656",
		},
		{
			name: "PDO2G daily spring",
			xml:  dstFileXML("PDO2G", "DettaglioMisuraPDOv2Type", "03/2025", springCurvesXML(false)),
			day:  civil.Date{Year: 2025, Month: time.March, Day: 30}, days: 1, dayCount: 92, dayTotal: "4614",
			instants: map[string]string{"2025-03-30T00:00:00+01:00": "1", "2025-03-30T03:00:00+02:00": "13"},
		},
		{
			name: "PDO2G daily autumn",
			xml:  dstFileXML("PDO2G", "DettaglioMisuraPDOv2Type", "10/2025", autumnCurvesXML(false)),
			day:  civil.Date{Year: 2025, Month: time.October, Day: 26}, days: 1, dayCount: 100, dayTotal: "92698",
			instants: map[string]string{"2025-10-26T00:00:00+02:00": "1", "2025-10-26T02:15:00+01:00": "1010"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewDecoder(strings.NewReader(tt.xml))
			r, err := d.Next()
			require.NoError(t, err)
			_, err = d.Next()
			require.ErrorIs(t, err, io.EOF)

			month, err := r.CurveMonth()
			require.NoError(t, err)
			for _, kind := range []CurveKind{ActiveEnergy, ReactiveEnergy} {
				ivs, err := r.Measure.Timeline(kind, month)
				require.NoError(t, err)
				totals := DayTotals(ivs)
				require.Len(t, totals, tt.days)
				for _, total := range totals {
					if total.Day == tt.day {
						assert.Equal(t, tt.dayCount, total.Count, "%s count", kind)
						assert.Equal(t, tt.dayTotal, total.Total.String(), "%s total", kind)
						continue
					}
					assert.Equal(t, 96, total.Count, "%s %s", kind, total.Day)
					assert.Equal(t, tt.neighbour, total.Total.String(), "%s %s", kind, total.Day)
				}
				values := map[string]string{}
				for _, iv := range ivs {
					values[iv.Start.Format(time.RFC3339)] = iv.Value.String()
				}
				for start, want := range tt.instants {
					assert.Equal(t, want, values[start], "%s at %s", kind, start)
				}
			}
		})
	}
}
