package ingest

import (
	"bufio"
	"strings"
	"testing"
	"time"
)

func FuzzMonthFromName(f *testing.F) {
	for _, seed := range []string{"RCU_01234567897_202403.csv", "2024-11.txt", "x_1999_12_y", "202413", "", "\xff2024-01"} {
		f.Add(seed)
	}
	now := time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, name string) {
		if len(name) > 4096 {
			return
		}
		m := MonthFromName(name, now)
		if m.IsZero() {
			t.Fatalf("MonthFromName(%q) returned the zero month", name)
		}
		if m.Year < 1900 || m.Year > 2099 {
			t.Fatalf("MonthFromName(%q) = %v: year out of range", name, m)
		}
	})
}

func FuzzHasRCUHeader(f *testing.F) {
	for _, seed := range []string{"COD_POD;X\nIT001E00000001\n", "AREA_RIF;DATA\n", "", "\n\ncod_pod"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 1<<16 {
			return
		}
		br := bufio.NewReaderSize(strings.NewReader(text), 64<<10)
		hasRCUHeader(br)
		rest, _ := br.Peek(len(text))
		if string(rest) != text {
			t.Fatalf("the header check consumed input")
		}
	})
}
