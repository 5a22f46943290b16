package distributor

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// decimalEqual compares decimals by value, so "4.5" equals "4.50".
var decimalEqual = cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })

// golden compares got with testdata/golden/name, rewriting it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create %s", path)
	assert.Equal(t, string(want), string(got))
}

func encodeXML(t *testing.T, r *Request, p *Profile) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, EncodeXML(&buf, r, p))
	return buf.Bytes()
}

func TestEncodeXMLStandardServices(t *testing.T) {
	for _, s := range StandardServices() {
		t.Run(s.Code, func(t *testing.T) {
			r := loadRequest(t, s.Code)
			doc := encodeXML(t, r, nil)
			flow, _ := s.Flow(PhaseRequest)
			golden(t, s.Code+"_"+flow+".xml", doc)
			validateXSD(t, SchemaPath(s, flow), doc)

			back, err := DecodeRequestXML(bytes.NewReader(doc), "x.xml")
			require.NoError(t, err)
			assert.Empty(t, cmp.Diff(r, back, decimalEqual))
		})
	}
}

func TestEncodeXMLProfileFormats(t *testing.T) {
	p := &Profile{ID: "test", AttributeCase: "upper", DateFormat: "italian", DecimalSeparator: ".", SchemaLocation: true}
	r := loadRequest(t, "A01")
	doc := encodeXML(t, r, p)
	assert.Contains(t, string(doc), `<Prestazione COD_SERVIZIO="A01" COD_FLUSSO="0050"`)
	assert.Contains(t, string(doc), `xsi:noNamespaceSchemaLocation="file:./xsd/A/A01_0050.xsd"`)
	assert.Contains(t, string(doc), "<data_ricenzione>30/11/2026</data_ricenzione>")
	assert.Contains(t, string(doc), "<pot_ric_contratto>4.5</pot_ric_contratto>")

	back, err := DecodeRequestXML(bytes.NewReader(doc), "x.xml")
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(r, back, decimalEqual))
}

func TestEncodeXMLDefaultFormats(t *testing.T) {
	doc := string(encodeXML(t, loadRequest(t, "A01"), nil))
	assert.Contains(t, doc, `<Prestazione cod_servizio="A01" cod_flusso="0050">`)
	assert.Contains(t, doc, "<data_ricenzione>2026-11-30</data_ricenzione>")
	assert.Contains(t, doc, "<pot_ric_contratto>4,5</pot_ric_contratto>")
	assert.NotContains(t, doc, "xmlns")
}

func TestEncodeXMLSkipsUnusedFields(t *testing.T) {
	r := loadRequest(t, "M01")
	r.Customer.FiscalCode = "RSSMRA80A01H501U"
	doc := string(encodeXML(t, r, nil))
	assert.NotContains(t, doc, "RSSMRA80A01H501U")
}

func TestEncodeXMLEscapesText(t *testing.T) {
	r := loadRequest(t, "V02")
	r.Note = `a <b> & "c"`
	doc := encodeXML(t, r, nil)
	validateXSD(t, "V/V02_0050.xsd", doc)
	back, err := DecodeRequestXML(bytes.NewReader(doc), "x.xml")
	require.NoError(t, err)
	assert.Equal(t, r.Note, back.Note)
}

func TestEncodeXMLDistributorVATFromProfile(t *testing.T) {
	r := loadRequest(t, "M01")
	r.IDs.DistributorVAT = ""
	doc := string(encodeXML(t, r, &Profile{ID: "t", DistributorVAT: "11111111115"}))
	assert.Contains(t, doc, "<piva_distr>11111111115</piva_distr>")
	assert.Empty(t, r.IDs.DistributorVAT, "the caller's request is not changed")
}

func TestEncodeXMLUnknownService(t *testing.T) {
	r := loadRequest(t, "M01")
	r.Service = "SM1"
	err := EncodeXML(&bytes.Buffer{}, r, nil)
	require.ErrorIs(t, err, ErrUnknownService)
}

func TestDecodeRequestXMLErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want string
	}{
		{"empty", ``, "no Prestazione"},
		{"unknown element", `<Prestazione cod_servizio="M01"><Foo>1</Foo></Prestazione>`, "Foo: unknown element"},
		{"bad date", `<Prestazione cod_servizio="D01"><Da_Eseguire_Non_Prima_Del>31/02/2026</Da_Eseguire_Non_Prima_Del></Prestazione>`, "Da_Eseguire_Non_Prima_Del"},
		{"truncated", `<Prestazione cod_servizio="D01"><note>x</note>`, "unexpected EOF"},
		{"outcome flow", `<Prestazione cod_servizio="D01" cod_flusso="E150"></Prestazione>`, "not the request flow E050"},
		{"bad extra", `<Prestazione cod_servizio="D01"><AltriDati><X>1</X></AltriDati></Prestazione>`, "want Dato"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeRequestXML(strings.NewReader(tt.doc), "r.xml")
			require.ErrorIs(t, err, ErrSyntax)
			assert.Contains(t, err.Error(), tt.want)
			assert.Contains(t, err.Error(), "r.xml")
		})
	}
}
