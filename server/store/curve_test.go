package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
)

func ExampleSlotStart() {
	autumn := civil.Date{Year: 2026, Month: time.October, Day: 25}
	first, _ := store.SlotStart(autumn, 2, 9)  // Dst 2: the first 02:00
	second, _ := store.SlotStart(autumn, 3, 9) // Dst 3: the second 02:00
	fmt.Println(first.In(civil.Rome).Format("15:04 MST"))
	fmt.Println(second.In(civil.Rome).Format("15:04 MST"))
	// Output:
	// 02:00 CEST
	// 02:00 CET
}

func TestSlotStart(t *testing.T) {
	normal := civil.Date{Year: 2026, Month: time.January, Day: 5}
	spring := civil.Date{Year: 2026, Month: time.March, Day: 29}
	autumn := civil.Date{Year: 2026, Month: time.October, Day: 25}
	rome := civil.Rome
	tests := []struct {
		name   string
		day    civil.Date
		dst, n int
		want   time.Time // zero: no instant
	}{
		{"normal first", normal, 0, 1, time.Date(2026, 1, 5, 0, 0, 0, 0, rome)},
		{"normal last", normal, 0, 96, time.Date(2026, 1, 5, 23, 45, 0, 0, rome)},
		{"normal past end", normal, 0, 97, time.Time{}},
		{"zero n", normal, 0, 0, time.Time{}},
		{"spring E8", spring, 1, 8, time.Date(2026, 3, 29, 1, 45, 0, 0, rome)},
		{"spring E9 missing hour", spring, 1, 9, time.Time{}},
		{"spring E13", spring, 1, 13, time.Date(2026, 3, 29, 3, 0, 0, 0, rome)},
		{"spring E96", spring, 1, 96, time.Date(2026, 3, 29, 23, 45, 0, 0, rome)},
		{"Dst 1 on a normal day", normal, 1, 1, time.Time{}},
		{"autumn Dst 2 E12", autumn, 2, 12, time.Date(2026, 10, 25, 0, 45, 0, 0, time.UTC)},
		{"autumn Dst 2 E13", autumn, 2, 13, time.Time{}},
		{"autumn Dst 3 E8", autumn, 3, 8, time.Time{}},
		{"autumn Dst 3 E12", autumn, 3, 12, time.Date(2026, 10, 25, 1, 45, 0, 0, time.UTC)},
		{"autumn Dst 3 E96", autumn, 3, 96, time.Date(2026, 10, 25, 23, 45, 0, 0, rome)},
		{"autumn Dst 0 E100", autumn, 0, 100, time.Date(2026, 10, 25, 23, 45, 0, 0, rome)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := store.SlotStart(tc.day, tc.dst, tc.n)
			assert.Equal(t, !tc.want.IsZero(), ok)
			assert.True(t, tc.want.Equal(got), "got %v, want %v", got, tc.want)
		})
	}
}

func TestPageNormalize(t *testing.T) {
	assert.Equal(t, store.Page{Limit: store.DefaultLimit}, store.Page{}.Normalize())
	assert.Equal(t, store.Page{Limit: store.MaxLimit, Offset: 0}, store.Page{Limit: store.MaxLimit + 1, Offset: -3}.Normalize())
	assert.Equal(t, store.Page{Limit: 5, Offset: 10}, store.Page{Limit: 5, Offset: 10}.Normalize())
}

func TestLoadStatusValid(t *testing.T) {
	for _, s := range []store.LoadStatus{store.StatusLoaded, store.StatusLoadedWithAnomalies, store.StatusRejected, store.StatusDuplicate} {
		assert.True(t, s.Valid(), s)
	}
	assert.False(t, store.LoadStatus("loading").Valid())
}
