package ingest

import (
	"bufio"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestMonthFromName(t *testing.T) {
	now := time.Date(2026, 1, 31, 23, 30, 0, 0, time.UTC) // already February in Rome
	tests := []struct {
		name, want string
	}{
		{"RCU_01234567897_202403.csv", "2024-03"},
		{"estrazione-2024-11.txt", "2024-11"},
		{"rcu_2023_07_v2.csv", "2023-07"},
		{"RCU_01234567897_202413.csv", "2026-02"},
		{"12345678903202403.csv", "2026-02"},
		{"rcu.csv", "2026-02"},
		{"/inbox/2024-05/rcu.csv", "2026-02"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, MonthFromName(tc.name, now).String())
		})
	}
}

func TestHasRCUHeader(t *testing.T) {
	tests := []struct {
		name, text string
		want       bool
	}{
		{"rcu", "PIVA_UDD;cod_pod;X\nIT001E00000001\n", true},
		{"pra", "AREA_RIF;DATA;ORA;ENERGIA\nCOD_POD\n", false},
		{"empty", "", false},
		{"no newline", "COD_POD", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			br := bufio.NewReaderSize(strings.NewReader(tc.text), 64<<10)
			assert.Equal(t, tc.want, hasRCUHeader(br))
			rest, _ := br.Peek(len(tc.text))
			assert.Equal(t, tc.text, string(rest), "the header is not consumed")
		})
	}
}

func TestRegistryExtensions(t *testing.T) {
	reg, err := NewRegistry(&FlowsLoader{}, &RCULoader{}, &PRALoader{})
	if err != nil {
		t.Fatal(err)
	}
	assert.Equal(t, []string{".xml", ".zip"}, reg.Extensions(KindFlows))
	assert.Equal(t, []string{".csv", ".txt", ".zip"}, reg.Extensions(KindRCU))
	assert.Equal(t, []string{".csv", ".txt", ".xlsx", ".zip"}, reg.Extensions(KindPRA))
	assert.Equal(t, []string{".xml", ".zip"}, reg.Extensions("unknown"), "the default")
}
