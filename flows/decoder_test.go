package flows

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readDecoderFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "decoder", name))
	require.NoError(t, err)
	return b
}

func TestDecodeBOM(t *testing.T) {
	data := readDecoderFile(t, "bom.xml")
	require.True(t, bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}))
	h, recs, err := decodeAll(data)
	require.NoError(t, err)
	assert.Equal(t, "PNO", h.FlowCode.Text)
	require.Len(t, recs, 1)
	assert.Equal(t, "IT001E00000001", recs[0].POD.Text)
	assert.Equal(t, int32(9), recs[0].POD.Line)
}

func TestDecodeISO88591(t *testing.T) {
	_, recs, err := decodeAll(readDecoderFile(t, "iso-8859-1.xml"))
	require.NoError(t, err)
	require.Len(t, recs, 1)
	require.Len(t, recs[0].Extra, 1)
	assert.Equal(t, "<Nota>perché più</Nota>", recs[0].Extra[0].XML)
}

func TestDecodeWindows1252(t *testing.T) {
	_, recs, err := decodeAll(readDecoderFile(t, "windows-1252.xml"))
	require.NoError(t, err)
	require.Len(t, recs, 1)
	require.Len(t, recs[0].Extra, 1)
	assert.Equal(t, "<Nota>costo 5 € – stima</Nota>", recs[0].Extra[0].XML)
}

func TestDecodeUTF16(t *testing.T) {
	src := strings.Replace(string(readDecoderFile(t, "bom.xml")[3:]), `encoding="utf-8"`, `encoding="UTF-16"`, 1)
	for _, bigEndian := range []bool{false, true} {
		units := utf16.Encode([]rune("\uFEFF" + src))
		var data []byte
		for _, u := range units {
			if bigEndian {
				data = append(data, byte(u>>8), byte(u))
			} else {
				data = append(data, byte(u), byte(u>>8))
			}
		}
		_, recs, err := decodeAll(data)
		require.NoError(t, err, "big endian %v", bigEndian)
		require.Len(t, recs, 1)
		assert.Equal(t, "1234,567", recs[0].Measure.Registers.Ea[0].Text)
	}
}

func TestDecodeCRLF(t *testing.T) {
	_, recs, err := decodeAll(readDecoderFile(t, "crlf.xml"))
	require.NoError(t, err)
	require.Len(t, recs, 2)
	assert.Equal(t, "IT001E00000002", recs[1].POD.Text)
	assert.Equal(t, 29, recs[1].Line)
	assert.Equal(t, 3, recs[1].Column)
	assert.Equal(t, "12,500", recs[1].Measure.Registers.Ea[2].Text)
}

func TestDecodeUnknownElements(t *testing.T) {
	h, recs, err := decodeAll(readDecoderFile(t, "unknown-elements.xml"))
	require.NoError(t, err)
	require.Len(t, h.Extra, 1)
	assert.Equal(t, Element{Name: "Versione", Line: 7, Index: 4, XML: "<Versione>2</Versione>"}, h.Extra[0])
	require.Len(t, h.RootExtra, 1)
	assert.Equal(t, `<Annotazione tipo="test"><Riga n="1">uno</Riga><Riga n="2"/></Annotazione>`, h.RootExtra[0].XML)

	require.Len(t, recs, 1)
	r := recs[0]
	require.Len(t, r.Pdp.Extra, 1)
	assert.Equal(t, "<Matricola>X1</Matricola>", r.Pdp.Extra[0].XML)
	assert.Equal(t, uint16(8), r.Pdp.Extra[0].Index)
	require.Len(t, r.Measure.Extra, 2)
	assert.Equal(t, "<EaF7>1,000</EaF7>", r.Measure.Extra[0].XML)
	assert.Equal(t, "<Commento><!-- nota -->a<![CDATA[<b>]]></Commento>", r.Measure.Extra[1].XML)
	require.Len(t, r.Extra, 1)
	assert.Equal(t, "<CodiceInterno>ABC &amp; D</CodiceInterno>", r.Extra[0].XML)
	assert.Equal(t, "12,500", r.Measure.Registers.Ea[2].Text, "known fields still decode")

	roundTrip(t, readDecoderFile(t, "unknown-elements.xml"))
}

func TestDecodeTrailingUnknownElement(t *testing.T) {
	d := NewDecoder(bytes.NewReader(readDecoderFile(t, "unknown-elements.xml")))
	for {
		_, err := d.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
	}
	require.Len(t, d.TrailingExtra(), 1)
	assert.Equal(t, "<Chiusura/>", d.TrailingExtra()[0].XML)
}

func TestDecodeEmptyNumericElements(t *testing.T) {
	h, recs, err := decodeAll(readDecoderFile(t, "empty-numeric.xml"))
	require.NoError(t, err)
	assert.Equal(t, "S2G", h.FlowCode.Text)
	require.Len(t, recs, 1)
	c := recs[0].Consumption
	require.NotNil(t, c)
	assert.True(t, c.Registers.Ea[0].IsEmpty(), "<EaF1/>")
	assert.True(t, c.Registers.Ea[1].IsEmpty(), "<EaF2></EaF2>")
	assert.Equal(t, "0,000", c.Registers.Ea[2].Text)
	assert.True(t, c.Registers.Ea[3].IsAbsent())
	require.NotNil(t, recs[0].ConsumptionStD)
	assert.True(t, recs[0].ConsumptionStD.Ea[1].IsEmpty())
	assert.Equal(t, "10,000", recs[0].ConsumptionStD.Ea[0].Text)
	assert.Equal(t, "SI", recs[0].Pdp.Regime2G.Text)
	roundTrip(t, readDecoderFile(t, "empty-numeric.xml"))
}

func TestDecodeTruncatedFile(t *testing.T) {
	d := NewDecoder(bytes.NewReader(readDecoderFile(t, "truncated.xml")))
	var pods []string
	var err error
	for {
		var r *Record
		r, err = d.Next()
		if err != nil {
			break
		}
		pods = append(pods, r.POD.Text)
	}
	assert.Equal(t, []string{"IT001E00000001", "IT001E00000002"}, pods)
	assert.ErrorIs(t, err, ErrUnexpectedEOF)
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 67, se.Line)
	assert.Equal(t, 15, se.Column)
	assert.Equal(t, "EaF2", se.Element)
	_, again := d.Next()
	assert.Equal(t, err, again, "the error is sticky")
}

func TestDecodeRejectsDTD(t *testing.T) {
	_, _, err := decodeAll(readDecoderFile(t, "dtd.xml"))
	assert.ErrorIs(t, err, ErrDTD)
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 2, se.Line)
	assert.Equal(t, 1, se.Column)
}

func TestDecodeDSTAutumnPair(t *testing.T) {
	_, recs, err := decodeAll(readDecoderFile(t, "dst-autumn-pair.xml"))
	require.NoError(t, err)
	require.Len(t, recs, 1)
	curves := recs[0].Measure.Curves
	require.Len(t, curves, 4)
	first, second := curves[0], curves[1]
	assert.Equal(t, ActiveEnergy, first.Kind)
	assert.Equal(t, "26", first.Day.Text)
	assert.Equal(t, "26", second.Day.Text)
	p, ok := first.DstPart()
	assert.True(t, ok)
	assert.Equal(t, 2, p)
	p, _ = second.DstPart()
	assert.Equal(t, 3, p)
	assert.Equal(t, 12, first.Count())
	assert.Equal(t, 88, second.Count())
	_, has := second.E(8)
	assert.False(t, has, "Dst=3 starts at E9")
	v, has := second.E(9)
	assert.True(t, has)
	assert.Equal(t, "0,009", v)
	roundTrip(t, readDecoderFile(t, "dst-autumn-pair.xml"))
}

func TestDecodeXSITypeSpacing(t *testing.T) {
	_, recs, err := decodeAll(readDecoderFile(t, "xsi-type-spacing.xml"))
	require.NoError(t, err)
	require.Len(t, recs, 2)
	assert.Equal(t, "DettaglioMisuraRNRType", recs[0].Measure.XSIType, "odd spacing")
	assert.Equal(t, "DettaglioMisuraRNRType", recs[1].Measure.XSIType, "prefix bound on the element")
	assert.Equal(t, "1,000", recs[0].Measure.Registers.EaM.Text)
}

func TestDecodeReuseRecord(t *testing.T) {
	data := readDecoderFile(t, "crlf.xml")
	d := NewDecoderOptions(bytes.NewReader(data), DecoderOptions{ReuseRecord: true})
	first, err := d.Next()
	require.NoError(t, err)
	assert.Equal(t, "IT001E00000001", first.POD.Text)
	second, err := d.Next()
	require.NoError(t, err)
	assert.Same(t, first, second)
	assert.Equal(t, "IT001E00000002", second.POD.Text)
}

func TestDecodeRecordLimit(t *testing.T) {
	data := readDecoderFile(t, "crlf.xml")
	d := NewDecoderOptions(bytes.NewReader(data), DecoderOptions{MaxRecordBytes: 200})
	_, err := d.Next()
	assert.ErrorIs(t, err, ErrTooLarge)
}

func TestDecodeDepthLimit(t *testing.T) {
	deep := `<FlussoMisure CodFlusso="PNO"><DatiPod>` + strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100) + `</DatiPod></FlussoMisure>`
	_, _, err := decodeAll([]byte(deep))
	assert.ErrorIs(t, err, ErrTooLarge)
}

func TestDecodeNotFlow(t *testing.T) {
	_, _, err := decodeAll([]byte(`<?xml version="1.0"?><FlussoIGMG CodFlusso="IGMG"/>`))
	assert.ErrorIs(t, err, ErrNotFlow)
}

func TestDecodeUnsupportedEncoding(t *testing.T) {
	_, _, err := decodeAll([]byte(`<?xml version="1.0" encoding="x-unknown-42"?><FlussoMisure/>`))
	assert.ErrorIs(t, err, ErrCharset)
}

func TestDecodeEntities(t *testing.T) {
	in := `<FlussoMisure CodFlusso="P&#78;O"><DatiPod><Pod>IT&lt;&gt;&amp;&apos;&quot;&#x41;&#66;</Pod>` +
		`<Misura xsi:type="DettaglioMisuraNOv2Type"><EaF1><![CDATA[1,0]]>00</EaF1></Misura></DatiPod></FlussoMisure>`
	h, recs, err := decodeAll([]byte(in))
	require.NoError(t, err)
	assert.Equal(t, "PNO", h.FlowCode.Text)
	require.Len(t, recs, 1)
	assert.Equal(t, `IT<>&'"AB`, recs[0].POD.Text)
	assert.Equal(t, "1,000", recs[0].Measure.Registers.Ea[0].Text)
}

func TestDecodeSmallReads(t *testing.T) {
	data := readDecoderFile(t, "dst-autumn-pair.xml")
	want, _, err := decodeAll(data)
	require.NoError(t, err)
	d := NewDecoder(&oneByteReader{data: data})
	h, err := d.Header()
	require.NoError(t, err)
	assert.Equal(t, want.FlowCode.Text, h.FlowCode.Text)
	r, err := d.Next()
	require.NoError(t, err)
	assert.Len(t, r.Measure.Curves, 4)
	_, err = d.Next()
	assert.Equal(t, io.EOF, err)
}

type oneByteReader struct{ data []byte }

func (r *oneByteReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	p[0] = r.data[0]
	r.data = r.data[1:]
	return 1, nil
}

func TestDecodeReadError(t *testing.T) {
	boom := errors.New("corrupt archive")
	r := io.MultiReader(strings.NewReader(`<FlussoMisure CodFlusso="PNO"><DatiPod><Pod>IT`), &errReader{boom})
	_, _, err := decodeAll(mustRead(t, r))
	assert.Error(t, err)
	d := NewDecoder(io.MultiReader(strings.NewReader(strings.Repeat(" ", 2000)), &errReader{boom}))
	_, err = d.Header()
	assert.ErrorIs(t, err, boom)
	var re *ReadError
	assert.ErrorAs(t, err, &re)
}

type errReader struct{ err error }

func (r *errReader) Read([]byte) (int, error) { return 0, r.err }

func mustRead(t *testing.T, r io.Reader) []byte {
	t.Helper()
	b, _ := io.ReadAll(r)
	return b
}

func TestDecodeSyntaxErrors(t *testing.T) {
	const root = `<FlussoMisure CodFlusso="PNO">` + "\n"
	tests := []struct {
		name    string
		in      string
		err     error
		line    int
		column  int
		element string
	}{
		{"mismatched end tag", root + "<DatiPod><Pod>IT</Pdo></DatiPod></FlussoMisure>", ErrSyntax, 2, 17, "Pod"},
		{"unquoted attribute", `<FlussoMisure CodFlusso=PNO>`, ErrSyntax, 1, 25, ""},
		{"attribute without value", root + `<DatiPod><Misura xsi:type></Misura></DatiPod></FlussoMisure>`, ErrSyntax, 2, 26, "DatiPod"},
		{"less-than in attribute", root + `<DatiPod><Misura xsi:type="a<b"></Misura></DatiPod></FlussoMisure>`, ErrSyntax, 2, 29, "DatiPod"},
		{"repeated attribute", `<FlussoMisure CodFlusso="PNO" CodFlusso="PDO">`, ErrSyntax, 1, 31, ""},
		{"repeated curve slot", root + `<DatiPod><Misura><Ea E1="1,000" E1="2,000">01</Ea></Misura></DatiPod></FlussoMisure>`, ErrSyntax, 2, 33, "Misura"},
		{"unknown entity", root + "<DatiPod>\n<Pod>IT&nbsp;</Pod></DatiPod></FlussoMisure>", ErrSyntax, 3, 8, "Pod"},
		{"bad character reference", root + "<DatiPod><Pod>&#0;</Pod></DatiPod></FlussoMisure>", ErrSyntax, 2, 15, "Pod"},
		{"ampersand without semicolon", root + "<DatiPod><Pod>A & B</Pod></DatiPod></FlussoMisure>", ErrSyntax, 2, 17, "Pod"},
		{"double hyphen in comment", root + "<!-- a -- b -->", ErrSyntax, 2, 8, "FlussoMisure"},
		{"invalid element name", root + "<1Pod/>", ErrSyntax, 2, 2, "FlussoMisure"},
		{"end tag without start", "</FlussoMisure>", ErrSyntax, 1, 1, ""},
		{"text before root", "hello <FlussoMisure/>", ErrSyntax, 1, 1, ""},
		{"element after root", "<FlussoMisure CodFlusso=\"PNO\"/>\n<FM/>", ErrSyntax, 2, 1, ""},
		{"truncated tag", root + "<DatiPod><Pod", ErrUnexpectedEOF, 2, 14, "DatiPod"},
		{"truncated text", root + "<DatiPod><Pod>IT0", ErrUnexpectedEOF, 2, 18, "Pod"},
		{"empty input", "", ErrUnexpectedEOF, 1, 1, ""},
		{"entity declaration", root + "<!ENTITY x 'y'>", ErrDTD, 2, 1, "FlussoMisure"},
		{"invalid UTF-8", root + "<DatiPod><Pod>IT\xff</Pod></DatiPod></FlussoMisure>", ErrSyntax, 2, 15, "Pod"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := decodeAll([]byte(tc.in))
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.err)
			var se *SyntaxError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, tc.line, se.Line, "line")
			assert.Equal(t, tc.column, se.Column, "column")
			assert.Equal(t, tc.element, se.Element, "element")
			assert.Contains(t, se.Error(), "line ")
		})
	}
}

func TestDecodeMixedContentKeptWhole(t *testing.T) {
	in := `<FlussoMisure CodFlusso="PDO"><DatiPod><Pod>IT001E00000001</Pod>` +
		`<DatiPdp><Forfait>NO<GruppoMis>SI</GruppoMis> &amp; x</Forfait></DatiPdp>` +
		`<Misura xsi:type="DettaglioMisuraPDOv2Type"><Ea E1="1,000">01<EaF1>2,000</EaF1></Ea></Misura>` +
		`</DatiPod></FlussoMisure>`
	_, recs, err := decodeAll([]byte(in))
	require.NoError(t, err)
	require.Len(t, recs, 1)
	p := recs[0].Pdp
	assert.True(t, p.Flat.IsAbsent())
	assert.True(t, p.MeterGroup.IsAbsent())
	require.Len(t, p.Extra, 1)
	assert.Equal(t, "<Forfait>NO<GruppoMis>SI</GruppoMis> &amp; x</Forfait>", p.Extra[0].XML)
	m := recs[0].Measure
	assert.Empty(t, m.Curves)
	assert.True(t, m.Registers.Ea[0].IsAbsent())
	require.Len(t, m.Extra, 1)
	assert.Equal(t, `<Ea E1="1,000">01<EaF1>2,000</EaF1></Ea>`, m.Extra[0].XML)
	roundTrip(t, []byte(in))
}

func TestDecodeHeaderOnlyFile(t *testing.T) {
	d := NewDecoder(strings.NewReader(`<FlussoMisure CodFlusso="PDO"><IdentificativiFlusso><PIvaUtente>1</PIvaUtente></IdentificativiFlusso></FlussoMisure>`))
	h, err := d.Header()
	require.NoError(t, err)
	assert.Equal(t, "1", h.SellerVAT.Text)
	_, err = d.Next()
	assert.Equal(t, io.EOF, err)
}

func TestDecodeWithoutIdentifiers(t *testing.T) {
	h, recs, err := decodeAll([]byte(`<FM CodFlusso="XXX"><DatiPod><Pod>IT001E00000001</Pod></DatiPod></FM>`))
	require.NoError(t, err)
	assert.Equal(t, "FM", h.Root)
	assert.True(t, h.SellerVAT.IsAbsent())
	require.Len(t, recs, 1)
	assert.Equal(t, "IT001E00000001", recs[0].POD.Text)
}

func TestDecodeEmptyRoot(t *testing.T) {
	d := NewDecoder(strings.NewReader(`<?xml version="1.0"?><!-- nothing --><FlussoMisure CodFlusso="PNO"/>` + "\n"))
	h, err := d.Header()
	require.NoError(t, err)
	assert.Equal(t, "PNO", h.FlowCode.Text)
	_, err = d.Next()
	assert.Equal(t, io.EOF, err)
}
