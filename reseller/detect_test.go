package reseller

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDetectKind(t *testing.T) {
	gme := "<?xml version=\"1.0\" standalone=\"yes\"?>\n<NewDataSet>\n  <Prezzi><Data>20251001</Data></Prezzi>\n</NewDataSet>\n"
	tests := []struct {
		name string
		file string
		head string
		want Kind
	}{
		{"rcu csv", "rcu_202510.csv", "COD_POD;PIVA_CC\nIT001E00000001;22222222224\n", KindRCU},
		{"rcu txt lower case", "estrazione.TXT", "cod_pod;piva_cc\r\n", KindRCU},
		{"rcu with byte order mark", "rcu.csv", "\xef\xbb\xbfCOD_POD;PIVA_CC\n", KindRCU},
		{"COD_POD only after first line", "rcu.csv", "PIVA_CC\nCOD_POD\n", KindOther},
		{"file list txt", "ElencoFile.txt", "a.xml\nb.xml\n", KindOther},
		{"empty csv", "empty.csv", "", KindOther},
		{"rcu header under another extension", "rcu.dat", "COD_POD;PIVA_CC\n", KindOther},
		{"gme prices", "20251001MGPPrezzi.xml", gme, KindGME},
		{"gme without xml extension", "prices", gme, KindGME},
		{"NewDataSet after 4 KiB", "late.xml", "<FlussoMisure>" + strings.Repeat(" ", 4096) + "<NewDataSet>", KindFlow},
		{"flow", "IT001_PDO.xml", "<?xml version=\"1.0\"?>\n<FlussoMisure>", KindFlow},
		{"xml content under other name", "flow.bin", "  <FlussoMisure>", KindFlow},
		{"damaged xml file", "broken.xml", "\x00\x01", KindFlow},
		{"empty xml file", "empty.xml", "", KindFlow},
		{"pdf", "notice.pdf", "%PDF-1.7\n", KindOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, DetectKind(tt.file, []byte(tt.head)))
		})
	}
}

// FuzzDetectKind checks that DetectKind returns one of the four kinds, and
// that only .csv and .txt names are taken as RCU extracts.
func FuzzDetectKind(f *testing.F) {
	f.Add("rcu.csv", []byte("COD_POD;PIVA_CC\n"))
	f.Add("a.xml", []byte("<NewDataSet>"))
	f.Add("b.txt", []byte("\n"))
	f.Fuzz(func(t *testing.T, name string, head []byte) {
		kind := DetectKind(name, head)
		switch kind {
		case KindFlow, KindGME, KindOther:
		case KindRCU:
			ext := strings.ToLower(name[strings.LastIndexByte(name, '.')+1:])
			if ext != "csv" && ext != "txt" {
				t.Fatalf("%q detected as an RCU extract", name)
			}
		default:
			t.Fatalf("unknown kind %q", kind)
		}
	})
}
