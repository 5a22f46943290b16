package switching

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/bludispatcher/dispatcher/server/store"
)

func TestExportedReadings(t *testing.T) {
	tests := []struct {
		name   string
		inputs string
		want   []store.RecordRef
	}{
		{"reading only", "reading=3/1;correction=-;functional=1/1;history=2/1,2/2",
			[]store.RecordRef{{Load: 3, Seq: 1}}},
		{"correction first", "reading=3/1;correction=5/2;functional=1/1;history=",
			[]store.RecordRef{{Load: 5, Seq: 2}, {Load: 3, Seq: 1}}},
		{"no reading", "reading=-;correction=-;functional=1/1;history=", nil},
		{"empty", "", nil},
		{"malformed reference", "reading=x/1;correction=4/y", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, exportedReadings(tt.inputs))
		})
	}
}
