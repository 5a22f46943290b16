package edi

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/edi/edigen"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/internal/testref"
)

var update = flag.Bool("update", false, "rewrite the generated files under testdata")

// TestGeneratedFilesUpToDate keeps testdata/transport-detail.xml and
// testdata/transport-invoice.xml equal to what edigen.Example produces, so
// other packages can read them as fixtures.
func TestGeneratedFilesUpToDate(t *testing.T) {
	spec := edigen.Example()
	invoice, err := spec.FatturaPA()
	require.NoError(t, err)
	files := map[string][]byte{
		"transport-detail.xml":  spec.Detail(),
		"transport-invoice.xml": invoice,
	}
	for name, want := range files {
		path := filepath.Join("testdata", name)
		if *update {
			require.NoError(t, os.WriteFile(path, want, 0o644))
		}
		got, err := os.ReadFile(path)
		require.NoError(t, err, "run go test ./edi -run TestGeneratedFilesUpToDate -update")
		assert.Equal(t, string(want), string(got), "%s is stale: run with -update", name)
	}
}

func TestGeneratedDetailValidatesAgainstXSD(t *testing.T) {
	xmllint(t, filepath.Join("schema", "FlussoFattureTrasportoEnergia.xsd"), filepath.Join("testdata", "transport-detail.xml"))
}

func TestReadElectricityGenerated(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "transport-detail.xml"))
	require.NoError(t, err)
	defer f.Close()
	invs, err := ReadElectricity(f, nil)
	require.NoError(t, err)
	require.Len(t, invs, 1)
	inv := invs[0]

	assert.Equal(t, Electricity, inv.Commodity)
	assert.Equal(t, "Rete Elettrica Esempio S.p.A.", inv.Flow.SenderName)
	assert.Equal(t, "01234567890", inv.Flow.SenderVAT)
	assert.Equal(t, "12345678901", inv.Flow.RecipientVAT)
	assert.Equal(t, "TR-2025-0001", inv.Number)
	assert.Equal(t, "C", inv.TypeCode)
	assert.Equal(t, TypeCycle, inv.Type)
	assert.Equal(t, Debit, inv.Entry)
	assert.Equal(t, civil.Date{Year: 2025, Month: 1, Day: 1}, inv.PeriodStart.Value)
	assert.Equal(t, civil.Date{Year: 2025, Month: 1, Day: 31}, inv.PeriodEnd.Value)
	taxable, vat, total := edigen.Example().Totals()
	assert.True(t, taxable.Equal(inv.Taxable.Value))
	assert.True(t, vat.Equal(inv.VAT.Value))
	assert.True(t, total.Equal(inv.Total.Value))
	assert.True(t, inv.Taxable.Comma)
	require.Len(t, inv.VATLines, 1)
	assertDec(t, "22", inv.VATLines[0].Rate.Value, "rate")

	require.Len(t, inv.Points, 3)
	p := inv.Points[0]
	assert.Equal(t, "IT001E00000001", p.Code)
	assertDec(t, "400", p.Electricity.Voltage.Value, "DDTTensione")
	assertDec(t, "6", p.Electricity.CommittedPower.Value, "DDTPotenzaImpegnata")
	assert.Equal(t, "BTA", p.Electricity.ContractType)
	require.Len(t, p.Charges, len(edigen.Prices))
	c := p.Charges[0]
	assert.Equal(t, "TRAS", c.Component)
	assert.Equal(t, "€/kWh", c.Unit)
	assertDec(t, "1234.567", c.Quantity.Value, "DQuantita")
	assertDec(t, "0.01074", c.UnitPrice.Value, "DPrezzoUnitario")
	assertDec(t, "13.26", c.Amount.Value, "DImporto")
	assert.Positive(t, c.Line)
	assert.True(t, taxable.Equal(inv.DetailTotal()))
}

func TestReadElectricityCorrection(t *testing.T) {
	spec := edigen.Example()
	spec.Sign, spec.TypeCode, spec.Number = -1, "R", "TR-2025-0002"
	invs, err := ReadElectricity(bytes.NewReader(spec.Detail()), nil)
	require.NoError(t, err)
	inv := invs[0]
	assert.Equal(t, TypeCorrection, inv.Type)
	assert.Equal(t, "01", inv.CorrectionReason)
	assert.Equal(t, Credit, inv.Entry)
	assert.True(t, inv.Taxable.Value.IsNegative())
	assert.True(t, inv.DetailTotal().Equal(inv.Taxable.Value))
}

func TestReadElectricityOtherRootAndDates(t *testing.T) {
	doc := `<Flusso><TestataFlusso><TRagioneSocialeMittente>R</TRagioneSocialeMittente></TestataFlusso>
<Fatture><FNumeroFattura>1</FNumeroFattura><FDataEmissione>10/02/2025</FDataEmissione><FTipoFattura>U</FTipoFattura>
<DettaglioPOD><DCodicePod>IT001E00000009</DCodicePod><Corrispettivi><DComponente>€/kWh</DComponente>
<DPeriodoCompetenzaDa>01/01/2025</DPeriodoCompetenzaDa><DPeriodoCompetenzaA>31/01/2025</DPeriodoCompetenzaA><DQuantita>10,5</DQuantita></Corrispettivi></DettaglioPOD></Fatture>
<Fatture><FNumeroFattura>2</FNumeroFattura><FTipoFattura>X</FTipoFattura></Fatture></Flusso>`
	invs, err := ReadElectricity(strings.NewReader(doc), nil)
	require.NoError(t, err)
	require.Len(t, invs, 2)
	assert.Equal(t, TypeFurtherServices, invs[0].Type)
	assert.Equal(t, civil.Date{Year: 2025, Month: 2, Day: 10}, invs[0].Date.Value)
	c := invs[0].Points[0].Charges[0]
	assert.Equal(t, "€/kWh", c.Component)
	assertDec(t, "10.5", c.Quantity.Value, "DQuantita")
	assert.False(t, c.Amount.Set)
	assert.Equal(t, TypeUnknown, invs[1].Type)
}

func TestReadElectricityErrors(t *testing.T) {
	tests := map[string]string{
		"empty":       "",
		"no header":   "<Flusso><Fatture/></Flusso>",
		"truncated":   "<Flusso><TestataFlusso/><Fatture><FNumeroFattura>1",
		"bad nesting": "<Flusso><TestataFlusso></Fatture></Flusso>",
	}
	for name, doc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := ReadElectricity(strings.NewReader(doc), nil)
			require.Error(t, err)
		})
	}
}

func TestTransportCodesOverride(t *testing.T) {
	table := `{"source":"test","validFrom":"2025-01-01",
"invoiceTypes":[{"commodity":"electricity","code":"R","type":"correction"},{"commodity":"electricity","distributor":"01234567890","code":"R","type":"further-services"}],
"entryKinds":[],"componentGroups":[{"commodity":"electricity","code":"DIS","group":"distribution"}]}`
	codes, err := LoadTransportCodes(strings.NewReader(table))
	require.NoError(t, err)
	typ, ok := codes.InvoiceType(Electricity, "01234567890", "r")
	assert.True(t, ok)
	assert.Equal(t, TypeFurtherServices, typ)
	typ, _ = codes.InvoiceType(Electricity, "99999999999", "R")
	assert.Equal(t, TypeCorrection, typ)
	assert.Equal(t, GroupDistribution, codes.Group(Electricity, "DIS_FISSA"))
	assert.Equal(t, GroupOther, codes.Group(Electricity, "XYZ"))

	_, err = LoadTransportCodes(strings.NewReader(`{"invoiceTypes":[{"code":"Q","type":"weekly"}]}`))
	assert.Error(t, err)
}

func TestGeneratedInvoiceValidatesAgainstFatturaPAXSD(t *testing.T) {
	xsd := testref.Dir(t, "distributor-edi", "fatturapa", "FatturaPA_v1.2.2.xsd")
	xmllint(t, xsd, filepath.Join("testdata", "transport-invoice.xml"))
}

func TestElectricityXSDRejectsBadDetail(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "transport-detail.xml"))
	require.NoError(t, err)
	for name, bad := range map[string]string{
		"dot decimal": strings.Replace(string(data), "<DImporto>13,26</DImporto>", "<DImporto>13.26</DImporto>", 1),
		"bad POD":     strings.Replace(string(data), "<DCodicePod>IT001E00000001</DCodicePod>", "<DCodicePod>XX1</DCodicePod>", 1),
		"no charges":  strings.Replace(string(data), "<DComponente>TRAS</DComponente>", "", 1),
	} {
		t.Run(name, func(t *testing.T) {
			require.NotEqual(t, string(data), bad)
			path := filepath.Join(t.TempDir(), "bad.xml")
			require.NoError(t, os.WriteFile(path, []byte(bad), 0o600))
			out, err := exec.Command(requireXMLLint(t), "--noout", "--schema",
				filepath.Join("schema", "FlussoFattureTrasportoEnergia.xsd"), path).CombinedOutput()
			assert.Error(t, err, string(out))
		})
	}
}
