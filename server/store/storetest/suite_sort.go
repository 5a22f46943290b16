package storetest

import (
	"cmp"
	"errors"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/server/store"
)

// sortRecord is a light DatiPod of POD(pod) with either MeseAnno
// (monthYear, mm/yyyy) or DataMisura (measureDate, dd/mm/yyyy).
func sortRecord(pod int, monthYear, measureDate string) *flows.Record {
	r := &flows.Record{POD: flows.V(POD(pod))}
	if monthYear != "" {
		r.MonthYear = flows.V(monthYear)
	}
	if measureDate != "" {
		r.MeasureDate = flows.V(measureDate)
	}
	return r
}

func testSearchRecordsSort(t *testing.T, f Factory) {
	s, _ := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "sort")
	dataA, _ := Original(90, 100)
	a := load(t, s, co, "a.xml", dataA, Header("PNO"),
		item{rec: sortRecord(3, "01/2026", "")},
		item{rec: sortRecord(1, "02/2026", "")},
		item{rec: sortRecord(2, "", "15/01/2026")})
	dataB, _ := Original(91, 100)
	b := load(t, s, co, "b.xml", dataB, Header("PDO"),
		item{rec: sortRecord(2, "01/2026", "")},
		item{rec: sortRecord(1, "", "20/01/2026")},
		item{rec: sortRecord(3, "01/2026", "")})
	a1, a2, a3 := store.RecordRef{Load: a.ID, Seq: 1}, store.RecordRef{Load: a.ID, Seq: 2}, store.RecordRef{Load: a.ID, Seq: 3}
	b1, b2, b3 := store.RecordRef{Load: b.ID, Seq: 1}, store.RecordRef{Load: b.ID, Seq: 2}, store.RecordRef{Load: b.ID, Seq: 3}

	// a1 and b3 tie on every sort column but the load, so the tiebreaker
	// decides between them.
	tests := []struct {
		sort store.RecordSort
		want []store.RecordRef
	}{
		{"", []store.RecordRef{b1, a1, b3, a3, b2, a2}},
		{store.SortByDate, []store.RecordRef{b1, a1, b3, a3, b2, a2}},
		{store.SortByPOD, []store.RecordRef{b2, a2, b1, a3, a1, b3}},
		{store.SortByFlow, []store.RecordRef{b1, b3, b2, a1, a3, a2}},
		{store.SortByCompetence, []store.RecordRef{b2, b1, a3, a1, b3, a2}},
		{store.SortByLoad, []store.RecordRef{a1, a2, a3, b1, b2, b3}},
	}
	for _, tc := range tests {
		name := cmp.Or(string(tc.sort), "default")
		t.Run(name+" ascending", func(t *testing.T) {
			got := searchRefs(t, s, store.RecordFilter{Company: co, Sort: tc.sort})
			assert.Equal(t, tc.want, got)
		})
		t.Run(name+" descending", func(t *testing.T) {
			got := searchRefs(t, s, store.RecordFilter{Company: co, Sort: tc.sort, Descending: true})
			assert.Equal(t, reversed(tc.want), got)
		})
		t.Run(name+" paged", func(t *testing.T) {
			var got []store.RecordRef
			for offset := 0; offset < len(tc.want); offset += 4 {
				got = append(got, searchRefs(t, s, store.RecordFilter{Company: co, Sort: tc.sort,
					Page: store.Page{Offset: offset, Limit: 4}})...)
			}
			assert.Equal(t, tc.want, got, "pages join into the whole order")
		})
	}

	t.Run("sort with filter", func(t *testing.T) {
		got := searchRefs(t, s, store.RecordFilter{Company: co, POD: POD(1), Sort: store.SortByFlow, Descending: true})
		assert.Equal(t, []store.RecordRef{a2, b2}, got)
	})
	t.Run("invalid sort", func(t *testing.T) {
		_, _, err := s.SearchRecords(ctx, store.RecordFilter{Company: co, Sort: "name"})
		require.Error(t, err)
		assert.True(t, errors.Is(err, store.ErrInvalid), "error %v is not ErrInvalid", err)
		assert.Contains(t, err.Error(), `"name"`)
	})
}

// searchRefs runs a search and returns the references of its rows.
func searchRefs(t *testing.T, s store.Store, f store.RecordFilter) []store.RecordRef {
	t.Helper()
	rows, _, err := s.SearchRecords(ctxT(t), f)
	require.NoError(t, err)
	refs := make([]store.RecordRef, len(rows))
	for i, r := range rows {
		refs[i] = r.RecordRef
	}
	return refs
}

func reversed[T any](s []T) []T {
	out := slices.Clone(s)
	slices.Reverse(out)
	return out
}
