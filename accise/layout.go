package accise

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"sync"
)

//go:embed data/layout.json
var layoutJSON []byte

// Row kinds (TipoRigo) of liquidation frames.
const (
	// RowQuantity is a quantity × rate row.
	RowQuantity = 0
	// RowAmount is an amount-only row.
	RowAmount = 1
	// RowTotal is a total row.
	RowTotal = 9
)

// RowDef is one row of a frame: its number (Progressivo), the key the
// builders use to fill it, and the confidence of the number.
type RowDef struct {
	// Row is the row number; 0 means no source gives it, and the row is kept
	// in the typed frames but not written to the files.
	Row int `json:"row"`
	// Key names the content: a tax class, "debit:" or "credit:" and a class
	// for corrections, or a summary key such as "liquidated".
	Key string `json:"key"`
	// Kind is the TipoRigo of liquidation rows.
	Kind int `json:"kind"`
	// Classes lists the tax classes a liquidation row adds up, or those a
	// consumption row declares besides the class named by Key.
	Classes []Class `json:"classes,omitempty"`
	// Chapter is the budget chapter (capitolo) of gas liquidation rows.
	Chapter string `json:"chapter,omitempty"`
	// Status is confirmed, single-source, guess, provisional or unknown.
	Status string `json:"status"`
	// Label is the row's Italian description.
	Label string `json:"label"`
	// Source names the public source of this row's number and content when
	// it is narrower than the layout's Source. Empty means the layout's.
	Source string `json:"source,omitempty"`
}

// FrameDef is the row table of one frame (quadro).
type FrameDef struct {
	// Title is the frame's Italian title.
	Title string `json:"title"`
	// Chapter is the budget chapter (Cap) of the frame.
	Chapter string `json:"chapter,omitempty"`
	// Article is the chapter article (Art).
	Article string `json:"article,omitempty"`
	// Rows are the frame's rows.
	Rows []RowDef `json:"rows"`
}

// Layout is the row numbering of the declaration frames.
type Layout struct {
	// Version is the tax year of the layout.
	Version string `json:"version"`
	// Source names where the numbering comes from.
	Source string `json:"source"`
	// Statuses explains each row status.
	Statuses map[string]string `json:"statuses"`
	// Electricity are the electricity frames by letter.
	Electricity map[string]FrameDef `json:"electricity"`
	// Gas are the gas frames by letter.
	Gas map[string]FrameDef `json:"gas"`
	// GasHalfYear are the gas frames of the half-year declarations (from
	// tax year 2026) that differ from the annual ones. A frame letter
	// absent here keeps its annual frame.
	GasHalfYear map[string]FrameDef `json:"gasHalfYear,omitempty"`
}

var (
	defaultLayoutOnce sync.Once
	defaultLayout     *Layout
)

// DefaultLayout returns the embedded frame layout. It panics only if the
// embedded file is invalid, which the tests rule out.
func DefaultLayout() *Layout {
	defaultLayoutOnce.Do(func() {
		l, err := LoadLayout(bytes.NewReader(layoutJSON))
		if err != nil {
			panic(err)
		}
		defaultLayout = l
	})
	return defaultLayout
}

// LoadLayout reads a frame layout in the format of data/layout.json, so the
// official row numbers can replace the provisional ones without a release.
func LoadLayout(r io.Reader) (*Layout, error) {
	var l Layout
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return nil, fmt.Errorf("accise: invalid frame layout: %w", err)
	}
	for _, frames := range []map[string]FrameDef{l.Electricity, l.Gas, l.GasHalfYear} {
		for name, f := range frames {
			seen := map[int]bool{}
			for _, r := range f.Rows {
				if _, ok := l.Statuses[r.Status]; !ok && r.Status != "unknown" {
					return nil, fmt.Errorf("accise: invalid frame layout: frame %s row %q has status %q", name, r.Key, r.Status)
				}
				if r.Row != 0 && seen[r.Row] {
					return nil, fmt.Errorf("accise: invalid frame layout: frame %s numbers row %d twice", name, r.Row)
				}
				seen[r.Row] = true
			}
		}
	}
	return &l, nil
}

func (l *Layout) frames(c Commodity) map[string]FrameDef {
	if c == Electricity {
		return l.Electricity
	}
	return l.Gas
}

// HalfYear returns the layout of the half-year declarations: a copy whose
// gas frames are the annual ones with those of GasHalfYear in their place.
func (l *Layout) HalfYear() *Layout {
	out := *l
	out.Gas = make(map[string]FrameDef, len(l.Gas)+len(l.GasHalfYear))
	for name, f := range l.Gas {
		out.Gas[name] = f
	}
	for name, f := range l.GasHalfYear {
		out.Gas[name] = f
	}
	out.GasHalfYear = nil
	return &out
}

// Frame returns the row table of a frame.
func (l *Layout) Frame(c Commodity, frame string) FrameDef { return l.frames(c)[frame] }

// Row returns the row of a frame with the given key; false when the frame
// has no such row.
func (l *Layout) Row(c Commodity, frame, key string) (RowDef, bool) {
	for _, r := range l.frames(c)[frame].Rows {
		if r.Key == key {
			return r, true
		}
	}
	return RowDef{}, false
}

// Uncertain lists the rows whose number is not confirmed by a source, as
// "frame row key (status)", for the control report.
func (l *Layout) Uncertain(c Commodity) []string {
	var out []string
	for name, f := range l.frames(c) {
		for _, r := range f.Rows {
			if r.Status != "confirmed" && r.Status != "single-source" {
				out = append(out, fmt.Sprintf("%s%d %s (%s)", name, r.Row, r.Key, r.Status))
			}
		}
	}
	sort.Strings(out)
	return out
}
