package workbook_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/server/store/storetest"
	"github.com/bludispatcher/dispatcher/server/workbook"
)

var update = flag.Bool("update", false, "rewrite the golden cell listings in testdata")

// TestWorkbookCellsGolden reads every cell of the workbook back with
// excelize and compares type, raw value and number format with a listing
// in testdata. The listing ignores how a file stores a text (shared or
// inline string), so two writers that produce different bytes but the
// same cells pass.
func TestWorkbookCellsGolden(t *testing.T) {
	tests := []struct {
		name  string
		build func(t *testing.T) *excelize.File
	}{
		{"load", func(t *testing.T) *excelize.File {
			st, co := openStore(t)
			pdo := load(t, st, co, "pdo.xml", "PDO", 1, storetest.HourlyRecord(storetest.POD(1), jan2026, 1),
				storetest.HourlyRecord(storetest.POD(2), jan2026, 2))
			load(t, st, co, "other.xml", "PDO", 2, storetest.HourlyRecord(storetest.POD(3), jan2026, 3))
			return open(t, st, workbook.Selection{Company: co, Load: pdo.ID})
		}},
		{"month-correction", func(t *testing.T) *excelize.File {
			st, co := openStore(t)
			load(t, st, co, "pdo.xml", "PDO", 1, storetest.HourlyRecord(storetest.POD(1), jan2026, 1),
				storetest.HourlyRecord(storetest.POD(2), jan2026, 2))
			corr := storetest.HourlyRecord(storetest.POD(1), jan2026, 7)
			corr.CorrectionType, corr.DetectionDate, corr.Reason = flows.V("P"), flows.V("15/02/2026"), flows.V("1")
			load(t, st, co, "rfo.xml", "RFO", 2, corr)
			return open(t, st, workbook.Selection{Company: co, Month: jan2026})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := listCells(t, tt.build(t))
			path := filepath.Join("testdata", tt.name+".cells")
			if *update {
				require.NoError(t, os.MkdirAll("testdata", 0o755))
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err)
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("cells differ from %s (-want +got):\n%s", path, diff)
			}
		})
	}
}

// listCells writes the name of each sheet, its column widths, panes and
// merged cells, and then one line per cell with its reference, kind (text
// or number), raw value and number format. A cell with no value and no
// type is absent and is left out. A writer that drops a width or a pane
// fails the comparison.
func listCells(t *testing.T, f *excelize.File) string {
	t.Helper()
	var out strings.Builder
	for _, sheet := range f.GetSheetList() {
		fmt.Fprintf(&out, "== %s\n", sheet)
		rows, err := f.GetRows(sheet)
		require.NoError(t, err)
		width := 0
		for _, r := range rows {
			width = max(width, len(r))
		}
		for col := 1; col <= width; col++ {
			name, err := excelize.ColumnNumberToName(col)
			require.NoError(t, err)
			w, err := f.GetColWidth(sheet, name)
			require.NoError(t, err)
			fmt.Fprintf(&out, "width %s %s\n", name, strconv.FormatFloat(w, 'f', -1, 64))
		}
		panes, err := f.GetPanes(sheet)
		require.NoError(t, err)
		fmt.Fprintf(&out, "panes freeze=%t split=%t x=%d y=%d top-left=%q\n",
			panes.Freeze, panes.Split, panes.XSplit, panes.YSplit, panes.TopLeftCell)
		merged, err := f.GetMergeCells(sheet)
		require.NoError(t, err)
		for _, m := range merged {
			fmt.Fprintf(&out, "merged %s:%s\n", m.GetStartAxis(), m.GetEndAxis())
		}
		for r := range rows {
			for col := 1; col <= width; col++ {
				if line := describeCell(t, f, sheet, col, r+1); line != "" {
					fmt.Fprintln(&out, line)
				}
			}
		}
	}
	return out.String()
}

// describeCell returns the listing line of one cell, or "" for an absent
// cell.
func describeCell(t *testing.T, f *excelize.File, sheet string, col, row int) string {
	t.Helper()
	ref, err := excelize.CoordinatesToCellName(col, row)
	require.NoError(t, err)
	typ, err := f.GetCellType(sheet, ref)
	require.NoError(t, err)
	value, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	require.NoError(t, err)
	formula, err := f.GetCellFormula(sheet, ref)
	require.NoError(t, err)

	var kind string
	switch typ {
	case excelize.CellTypeSharedString, excelize.CellTypeInlineString:
		kind = "text"
	case excelize.CellTypeUnset, excelize.CellTypeNumber:
		if value == "" && formula == "" {
			return ""
		}
		kind = "number"
	default:
		kind = fmt.Sprintf("type-%d", typ)
	}

	styleID, err := f.GetCellStyle(sheet, ref)
	require.NoError(t, err)
	style, err := f.GetStyle(styleID)
	require.NoError(t, err)
	format := strconv.Itoa(style.NumFmt)
	if style.CustomNumFmt != nil {
		format = *style.CustomNumFmt
	}
	line := fmt.Sprintf("%s %s %q format=%q", ref, kind, value, format)
	if formula != "" {
		line += fmt.Sprintf(" formula=%q", formula)
	}
	return line
}
