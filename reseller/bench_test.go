package reseller

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows/flowgen"
)

// BenchmarkSplitFlow splits hourly PDO files of growing size among three
// companies and the unassigned part. Bytes per second and allocations per
// operation show how the cost grows with the number of PODs.
func BenchmarkSplitFlow(b *testing.B) {
	for _, pods := range []int{6, 60, 600} {
		b.Run(fmt.Sprintf("PDO-%dPODs", pods), func(b *testing.B) {
			g, err := flowgen.New(flowgen.Options{FlowCode: "PDO", PODs: pods})
			require.NoError(b, err)
			var buf bytes.Buffer
			require.NoError(b, g.Write(&buf))
			input := buf.Bytes()
			var podList []string
			for i := range 6 {
				podList = append(podList, g.Record(i).POD.Text)
			}
			router := groupTable(b, podList)
			name := g.FileName().String()

			b.SetBytes(int64(len(input)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := SplitFlow(name, bytes.NewReader(input), router, discard{}, FlowOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSplitRCU splits an extract of 10000 rows by PIVA_CC.
func BenchmarkSplitRCU(b *testing.B) {
	var in strings.Builder
	in.WriteString(rcuHeader)
	vats := []string{"11111111119", "22222222224", "99999999999", ""}
	for i := range 10000 {
		fmt.Fprintf(&in, "IT001E%08d;Ragione sociale;%s;01/01/2025;\r\n", i, vats[i%len(vats)])
	}
	input := []byte(in.String())
	router, err := loadTestTable(b).Compile()
	require.NoError(b, err)

	b.SetBytes(int64(len(input)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SplitRCU("rcu.csv", bytes.NewReader(input), router, discard{}, RCUOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// discard is a Sink that drops every part.
type discard struct{}

func (discard) Create(string, string) (Part, error) { return discardPart{}, nil }

type discardPart struct{}

func (discardPart) Write(p []byte) (int, error) { return len(p), nil }
func (discardPart) Commit() error               { return nil }
func (discardPart) Abort() error                { return nil }
