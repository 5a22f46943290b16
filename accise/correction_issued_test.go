package accise

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// A whole year's file passed to both halves must declare each dated
// correction once, in the half that billed it, and an undated one in both.
func TestCorrectionDeclaredInIssuedHalf(t *testing.T) {
	eeCorrection := func(issued string) Line {
		l := eeLine(2)
		l.Use, l.Resident = UseNonDwelling, nil
		l.From, l.To = day("2025-11-01"), day("2025-11-30")
		l.Quantity, l.Kind = dec("100"), Correction
		if issued != "" {
			l.Issued = day(issued)
		}
		return l
	}
	gnCorrection := func(issued string) Line {
		l := halfGasLine(2, "2025-11-01", "2025-11-30", "100")
		l.Kind = Correction
		if issued != "" {
			l.Issued = day(issued)
		}
		return l
	}
	tests := []struct {
		name   string
		line   Line
		inHalf map[int]bool
	}{
		{"electricity billed in H1", eeCorrection("2026-03-10"), map[int]bool{1: true, 2: false}},
		{"electricity billed in H2", eeCorrection("2026-07-01"), map[int]bool{1: false, 2: true}},
		{"electricity billed on 30 June", eeCorrection("2026-06-30"), map[int]bool{1: true, 2: false}},
		{"electricity billed next year", eeCorrection("2027-01-15"), map[int]bool{1: false, 2: false}},
		{"electricity undated", eeCorrection(""), map[int]bool{1: true, 2: true}},
		{"gas billed in H1", gnCorrection("2026-02-01"), map[int]bool{1: true, 2: false}},
		{"gas billed in H2", gnCorrection("2026-12-31"), map[int]bool{1: false, 2: true}},
		{"gas undated", gnCorrection(""), map[int]bool{1: true, 2: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, found := Compute([]Line{tt.line}, ComputeOptions{})
			require.Empty(t, found)
			for _, half := range []int{1, 2} {
				opts := yearOptions()
				opts.Year, opts.Half, opts.InstalmentsDue = 2026, half, nil
				var frames int
				if tt.line.Commodity == Electricity {
					decls, err := BuildElectricity(c, opts)
					require.NoError(t, err)
					for _, d := range decls {
						frames += len(d.K)
					}
				} else {
					decls, err := BuildGas(c, opts)
					require.NoError(t, err)
					for _, d := range decls {
						frames += len(d.H)
					}
				}
				assert.Equal(t, tt.inHalf[half], frames > 0, "half %d", half)
			}
		})
	}
}

func TestCorrectionUndatedWarning(t *testing.T) {
	dated := eeLine(2)
	dated.Kind, dated.Issued = Correction, day("2026-02-01")
	undated := eeLine(2)
	undated.Kind = Correction
	tests := []struct {
		name string
		line Line
		opts CheckOptions
		want bool
	}{
		{"undated in a half", undated, halfCheckOptions(2026, 2), true},
		{"dated in a half", dated, halfCheckOptions(2026, 2), false},
		{"undated in a year", undated, YearCheckOptions(2025), false},
		{"undated without period", undated, CheckOptions{}, false},
		{"undated invoice", eeLine(2), halfCheckOptions(2025, 1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runChecks(t, []Line{tt.line}, tt.opts)
			assert.Equal(t, tt.want, contains(got, CodeCorrectionUndated), "codes %v", got)
		})
	}
}

func TestImportDocumentDate(t *testing.T) {
	header := "pod_pdr;categoria_uso;provincia;mese;quantita;tipo_documento;data_documento\n"
	tests := []struct {
		name    string
		profile string
		input   string
		want    civil.Date
		err     string
	}{
		{"dispatcher Italian date", "dispatcher", header + "IT001E00000001;altri usi;TO;11/2025;10;R;10/03/2026\n", day("2026-03-10"), ""},
		{"dispatcher ISO date", "dispatcher", header + "IT001E00000001;altri usi;TO;11/2025;10;R;2026-07-01\n", day("2026-07-01"), ""},
		{"dispatcher absent", "dispatcher", header + "IT001E00000001;altri usi;TO;11/2025;10;R;\n", civil.Date{}, ""},
		{"dispatcher no column", "dispatcher", "pod_pdr;categoria_uso;provincia;mese;quantita\nIT001E00000001;altri usi;TO;11/2025;10\n", civil.Date{}, ""},
		{"dispatcher invalid", "dispatcher", header + "IT001E00000001;altri usi;TO;11/2025;10;R;31/02/2026\n", civil.Date{}, "data_documento"},
		{"generic emission date", "generic", "POD,Uso,Provincia,Mese,Quantita,Data emissione\nIT001E00000001,altri usi,TO,11/2025,10,10/03/2026\n", day("2026-03-10"), ""},
		{"generic invoice date", "generic", "POD,Uso,Provincia,Mese,Quantita,Data fattura\nIT001E00000001,altri usi,TO,11/2025,10,01/07/2026\n", day("2026-07-01"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := DefaultProfiles().Profile(tt.profile)
			require.True(t, ok)
			r, err := NewCSVReader(strings.NewReader(tt.input), ImportOptions{Profile: p, File: "d.csv"})
			require.NoError(t, err)
			lines, found, err := ReadAll(r)
			require.NoError(t, err)
			if tt.err != "" {
				require.Len(t, found, 1)
				assert.Equal(t, tt.err, found[0].Field)
				return
			}
			require.Empty(t, found)
			require.Len(t, lines, 1)
			assert.Equal(t, tt.want, lines[0].Issued)
		})
	}
}

func TestXLSXImportDocumentDate(t *testing.T) {
	tests := []struct {
		name string
		cell any
		want civil.Date
	}{
		{"text date", "10/03/2026", day("2026-03-10")},
		{"serial date", 46091, day("2026-03-10")},
		{"empty", "", civil.Date{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := workbook(t, [][]any{
				{"POD", "Uso", "Provincia", "Mese", "Quantita", "Tipo documento", "Data documento"},
				{"IT001E00000001", "altri usi", "TO", "11/2025", 10, "rettifica", tt.cell},
			})
			p, _ := DefaultProfiles().Profile("generic")
			x, err := NewXLSXReader(bytes.NewReader(data), "", ImportOptions{Profile: p, File: "d.xlsx"})
			require.NoError(t, err)
			defer x.Close()
			lines, found, err := ReadAll(x)
			require.NoError(t, err)
			require.Empty(t, found)
			require.Len(t, lines, 1)
			assert.Equal(t, tt.want, lines[0].Issued)
		})
	}
}

func TestLineCSVRoundTripIssued(t *testing.T) {
	l := eeLine(2)
	l.Kind, l.Issued = Correction, day("2026-03-10")
	var buf bytes.Buffer
	w := NewLineCSVWriter(&buf)
	require.NoError(t, w.Write(l))
	require.NoError(t, w.Write(eeLine(3)))
	require.NoError(t, w.Flush())
	r, err := NewCSVReader(&buf, ImportOptions{Profile: dispatcherProfile(t), File: "rt.csv"})
	require.NoError(t, err)
	back, found, err := ReadAll(r)
	require.NoError(t, err)
	require.Empty(t, found)
	require.Len(t, back, 2)
	assert.Equal(t, l.Issued, back[0].Issued)
	assert.True(t, back[1].Issued.IsZero())
}

// The control report compares the same corrections as the declaration.
func TestReportCorrectionsInIssuedHalf(t *testing.T) {
	correction := func(c Commodity, issued string) Line {
		l := halfGasLine(2, "2025-11-01", "2025-11-30", "100")
		if c == Electricity {
			l = eeLine(2)
			l.Use, l.Resident = UseNonDwelling, nil
			l.From, l.To, l.Quantity = day("2025-11-01"), day("2025-11-30"), dec("100")
		}
		l.Kind, l.Issued = Correction, day(issued)
		return l
	}
	tests := []struct {
		name string
		line Line
		half int
		want bool
	}{
		{"electricity in its half", correction(Electricity, "2026-03-10"), 1, true},
		{"electricity in the other half", correction(Electricity, "2026-03-10"), 2, false},
		{"gas in its half", correction(Gas, "2026-09-01"), 2, true},
		{"gas in the other half", correction(Gas, "2026-09-01"), 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, found := Compute([]Line{tt.line}, ComputeOptions{})
			require.Empty(t, found)
			opts := yearOptions()
			opts.Year, opts.Half, opts.InstalmentsDue = 2026, tt.half, nil
			var buf bytes.Buffer
			require.NoError(t, WriteReport(&buf, ReportInput{Computation: c, Options: opts}))
			f, err := excelize.OpenReader(&buf)
			require.NoError(t, err)
			defer f.Close()
			rows, err := f.GetRows(SheetComparison)
			require.NoError(t, err)
			var corrections bool
			for _, r := range rows {
				if slices.Contains(r, ItemCorrectionsDebit) {
					corrections = true
				}
			}
			assert.Equal(t, tt.want, corrections)
		})
	}
}
