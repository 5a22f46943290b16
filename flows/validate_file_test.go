package flows

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/testref"
)

// flowXML builds a flow file: the header of flow and the DatiPod bodies.
func flowXML(flow string, pods ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	fmt.Fprintf(&b, `<FlussoMisure xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" CodFlusso="%s">`+"\n", flow)
	fmt.Fprintf(&b, "<IdentificativiFlusso><PIvaUtente>%s</PIvaUtente><PIvaDistributore>%s</PIvaDistributore><CodContrDisp>%s</CodContrDisp></IdentificativiFlusso>\n",
		testSeller, testDistributor, testContract)
	for _, p := range pods {
		b.WriteString("<DatiPod>\n" + p + "</DatiPod>\n")
	}
	b.WriteString("</FlussoMisure>\n")
	return b.String()
}

// curveXML writes one curve element with Dst and the slots from..to.
func curveXML(kind, day, dst string, from, to int, skip ...int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<%s", kind)
	if dst != "" {
		fmt.Fprintf(&b, ` Dst="%s"`, dst)
	}
outer:
	for n := from; n <= to; n++ {
		for _, s := range skip {
			if n == s {
				continue outer
			}
		}
		fmt.Fprintf(&b, ` E%d="0,125"`, n)
	}
	fmt.Fprintf(&b, ">%s</%s>\n", day, kind)
	return b.String()
}

const pdp2GXML = "<DatiPdp><Trattamento>O</Trattamento><Tensione>400</Tensione><Forfait>NO</Forfait><GruppoMis>SI</GruppoMis><Ka>1,000</Ka><Kr>1,000</Kr><Kp>1,000</Kp></DatiPdp>\n"

// pdo2gDayXML is a PDO2G record of one day with the given curves.
func pdo2gDayXML(month string, curves string) string {
	var regs strings.Builder
	for _, q := range []string{"Ea", "Er", "Pot"} {
		for n := 1; n <= 6; n++ {
			fmt.Fprintf(&regs, "<%sF%d>1,000</%sF%d>", q, n, q, n)
		}
	}
	return "<Pod>" + testPOD + "</Pod>\n<MeseAnno>" + month + "</MeseAnno>\n" + pdp2GXML +
		`<Misura xsi:type="DettaglioMisuraPeriodico2GORType"><Raccolta>P</Raccolta><TipoDato>E</TipoDato><Validato>S</Validato><PotMax>3,000</PotMax>` + "\n" +
		curves + regs.String() + "\n</Misura>\n"
}

// pdoMonthXML is a PDO record of a month with the given curves.
func pdoMonthXML(month string, curves string) string {
	return "<Pod>" + testPOD + "</Pod>\n<MeseAnno>" + month + "</MeseAnno>\n" + pdp2GXML +
		`<Misura xsi:type="DettaglioMisuraPDOv2Type"><Raccolta>P</Raccolta><TipoDato>E</TipoDato><Validato>S</Validato><PotMax>3,000</PotMax>` + "\n" +
		curves + "</Misura>\n"
}

func validateString(t *testing.T, name, content string) Report {
	t.Helper()
	opts := testOptions()
	opts.MaxMonthsBack = 1000
	opts.Disabled = []string{RuleMonthRange}
	rep, err := ValidateFile(name, strings.NewReader(content), opts)
	require.NoError(t, err)
	return rep
}

func TestValidateFileDaylightSaving(t *testing.T) {
	springPDO := curveXML("Ea", "30", "", 1, 96) + curveXML("Ea", "31", "1", 1, 96, 9, 10, 11, 12) +
		curveXML("Er", "30", "", 1, 96) + curveXML("Er", "31", "1", 1, 96, 9, 10, 11, 12)
	autumnDaily := curveXML("Ea", "27", "2", 1, 12) + curveXML("Ea", "27", "3", 9, 96) +
		curveXML("Er", "27", "2", 1, 12) + curveXML("Er", "27", "3", 9, 96)
	tests := []struct {
		name    string
		file    string
		content string
		rules   []string
	}{
		{name: "PDO spring month", file: testName("PDO", "201303"),
			content: flowXML("PDO", pdoMonthXML("03/2013", springPDO))},
		{name: "PDO spring day with E10", file: testName("PDO", "201303"),
			content: flowXML("PDO", pdoMonthXML("03/2013", curveXML("Ea", "31", "1", 1, 96, 9, 11, 12)+curveXML("Er", "31", "1", 1, 96, 9, 10, 11, 12))),
			rules:   []string{RuleDST}},
		{name: "PDO2G autumn day", file: testName("PDO2G", "201310"),
			content: flowXML("PDO2G", pdo2gDayXML("10/2013", autumnDaily))},
		{name: "PDO2G autumn day as Dst=0", file: testName("PDO2G", "201310"),
			content: flowXML("PDO2G", pdo2gDayXML("10/2013", curveXML("Ea", "27", "0", 1, 96)+curveXML("Er", "27", "0", 1, 96))),
			rules:   []string{RuleDST, RuleDST}},
		{name: "PDO2G spring day", file: testName("PDO2G", "201303"),
			content: flowXML("PDO2G", pdo2gDayXML("03/2013", curveXML("Ea", "31", "1", 1, 96, 9, 10, 11, 12)+curveXML("Er", "31", "1", 1, 96, 9, 10, 11, 12)))},
		{name: "PDO2G autumn with three Ea", file: testName("PDO2G", "201310"),
			content: flowXML("PDO2G", pdo2gDayXML("10/2013", curveXML("Ea", "27", "2", 1, 12)+curveXML("Ea", "27", "3", 9, 96)+curveXML("Ea", "27", "3", 9, 96)+
				curveXML("Er", "27", "2", 1, 12)+curveXML("Er", "27", "3", 9, 96))),
			rules: []string{RuleStructure, RuleDuplicate, RuleSchemaPeriodic}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := validateString(t, tt.file, tt.content)
			assert.Equal(t, tt.rules, rulesOf(rep.Anomalies), "%v", rep.Anomalies)
		})
	}
}

func TestValidateFileOrderAndRepeats(t *testing.T) {
	pdp := "<DatiPdp><Trattamento>F</Trattamento><Tensione>400</Tensione><Forfait>NO</Forfait><GruppoMis>SI</GruppoMis><Ka>1,000</Ka><Ka>1,000</Ka><Kr>1,000</Kr><Kp>1,000</Kp></DatiPdp>\n"
	misura := `<Misura xsi:type="DettaglioMisuraNOv2Type"><Raccolta>P</Raccolta><TipoDato>E</TipoDato><Validato>S</Validato><PotMax>3,000</PotMax><EaF2>1,000</EaF2><EaF1>1,000</EaF1></Misura>` + "\n"
	body := "<Pod>" + testPOD + "</Pod>\n" + pdp + "<DataMisura>31/01/2013</DataMisura>\n" + misura
	rep := validateString(t, testName("PNO", "201301"), flowXML("PNO", body))
	want := []finding{
		{RuleStructure, "DataMisura", "", Blocking},
		{RuleStructure, "Ka", "", Blocking},
		{RuleStructure, "EaF1", "", Blocking},
	}
	assert.Equal(t, want, findings(rep.Anomalies, RuleStructure))
	for _, a := range withRule(rep.Anomalies, RuleStructure) {
		assert.Positive(t, a.Line, a.Message)
	}
}

func TestValidateFileRootElements(t *testing.T) {
	content := strings.Replace(flowXML("PNO", "<Pod>"+testPOD+"</Pod>"), "</IdentificativiFlusso>", "</IdentificativiFlusso><Nota>x</Nota>", 1)
	content = strings.Replace(content, "</FlussoMisure>", "<Fine/></FlussoMisure>", 1)
	rep := validateString(t, testName("PNO", "201301"), content)
	names := []string{}
	for _, a := range rep.Anomalies {
		if a.Rule == RuleStructure && a.Level == FileLevel {
			names = append(names, a.Field)
		}
	}
	assert.Equal(t, []string{"Nota", "Fine"}, names)
}

func TestValidateFileMalformed(t *testing.T) {
	good := flowXML("PNO", "<Pod>"+testPOD+"</Pod>", "<Pod>IT001E87654321</Pod>")
	tests := []struct {
		name    string
		content string
		records int
	}{
		{name: "truncated", content: good[:strings.LastIndex(good, "<DatiPod>")+20], records: 1},
		{name: "mismatched tag", content: strings.Replace(good, "</Pod>", "</Pdo>", 1), records: 0},
		{name: "not XML", content: "PK\x03\x04 not a flow", records: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := validateString(t, testName("PNO", "201301"), tt.content)
			got := withRule(rep.Anomalies, RuleMalformed)
			require.Len(t, got, 1, "%v", rep.Anomalies)
			assert.Equal(t, Blocking, got[0].Severity)
			assert.Equal(t, FileLevel, got[0].Level)
			assert.Equal(t, testName("PNO", "201301"), got[0].File)
			assert.True(t, rep.FileBlocked)
			assert.Equal(t, tt.records, rep.Records)
		})
	}
}

func TestValidateFileReaderError(t *testing.T) {
	broken := iotest.ErrReader(errors.New("disk gone"))
	_, err := ValidateFile(testName("PNO", "201301"), broken, testOptions())
	assert.ErrorContains(t, err, "disk gone")
}

func TestValidateFileAlreadyLoaded(t *testing.T) {
	content := flowXML("PNO", "<Pod>"+testPOD+"</Pod>")
	var digests [][32]byte
	opts := testOptions()
	opts.AlreadyLoaded = func(_ string, sum [32]byte) (bool, error) {
		digests = append(digests, sum)
		return len(digests) > 1, nil
	}
	first, err := ValidateFile(testName("PNO", "201301"), strings.NewReader(content), opts)
	require.NoError(t, err)
	second, err := ValidateFile(testName("PNO", "201301"), strings.NewReader(content), opts)
	require.NoError(t, err)
	require.Len(t, digests, 2)
	assert.Equal(t, digests[0], digests[1])
	assert.Empty(t, withRule(first.Anomalies, RuleAlreadyLoaded))
	assert.Len(t, withRule(second.Anomalies, RuleAlreadyLoaded), 1)

	opts.AlreadyLoaded = func(string, [32]byte) (bool, error) { return false, errors.New("load log unavailable") }
	_, err = ValidateFile(testName("PNO", "201301"), strings.NewReader(content), opts)
	assert.ErrorContains(t, err, "load log unavailable")
}

// TestSchemaChecksMatchXmllint mutates the official samples and checks
// that the validator finds a schema violation exactly when xmllint does.
func TestSchemaChecksMatchXmllint(t *testing.T) {
	xmllint, err := findXmllint()
	if err != nil {
		t.Skip("xmllint not installed: " + err.Error())
	}
	xsdDir := testref.Flows(t, "sii-standard-tracciati-misure-v1.8", "xsd")
	root, files := validationSamples(t)
	mutations := []struct{ name, pattern, replacement string }{
		{"Validato removed", `<Validato>S</Validato>`, ""},
		{"Tensione leading zero", `<Tensione>400</Tensione>`, "<Tensione>0400</Tensione>"},
		{"Ka with thousands dot", `<Ka>1,000</Ka>`, "<Ka>1.000,000</Ka>"},
		{"Ka repeated", `<Ka>1,000</Ka>`, "<Ka>1,000</Ka><Ka>1,000</Ka>"},
		{"Forfait removed", `<Forfait>NO</Forfait>`, ""},
		{"unknown element", `</Pod>`, "</Pod><Nota>x</Nota>"},
		{"unknown xsi:type", `Type"`, `Typo"`},
		{"periodic type in a correction", `"DettaglioMisuraR[A-Za-z0-9]*Type"`, `"DettaglioMisuraNOv2Type"`},
		{"Dst 4", `Dst="0"`, `Dst="4"`},
		{"E97", ` E96="`, ` E97="`},
		{"day 32", `>01</Ea>`, `>32</Ea>`},
		{"one decimal", `="0,000"`, `="0,0"`},
		{"PotMax negative", `<PotMax>`, "<PotMax>-"},
		{"flow code", `CodFlusso="`, `CodFlusso="X`},
		{"POD short", `<Pod>IT`, "<Pod>"},
		{"date February 30", `<DataMisura>[^<]*</DataMisura>`, "<DataMisura>30/02/2013</DataMisura>"},
		{"MeseAnno before Pod", `(<Pod>[^<]*</Pod>)(\s*)(<MeseAnno>[^<]*</MeseAnno>)`, "$3$2$1"},
		{"DatiPdp before DataMisura", `(<DataMisura>[^<]*</DataMisura>)((?s).*)(<DatiPdp>(?s).*</DatiPdp>)`, "$3$2$1"},
		{"EaF2 before EaF1", `(<EaF1>[^<]*</EaF1>)(\s*)(<EaF2>[^<]*</EaF2>)`, "$3$2$1"},
		{"Er before Ea", `(<Ea[ >][^\n]*</Ea>)(\s*)(<Er[ >][^\n]*</Er>)`, "$3$2$1"},
		{"Misura and Consumo", `</Misura>`, "</Misura><Consumo><DataInizioPeriodo>01/01/2013</DataInizioPeriodo><EaM>1,000</EaM></Consumo>"},
		{"Misura removed", `(?s)<Misura.*</Misura>`, ""},
		{"CodPrat_SII too short", `<CodPrat_SII>SII`, "<CodPrat_SII>"},
		{"VAT of 17 characters", `<PIvaUtente>`, "<PIvaUtente>IT123456"},
		{"root default namespace", `<FlussoMisure `, `<FlussoMisure xmlns="urn:x" `},
		// NOTE: xmlns="" is left out on purpose. It means no namespace, which
		// the validator accepts, but xmllint of libxml2 2.9.14 then fails to
		// resolve the unprefixed xsi:type names of Misura.
	}
	dir := t.TempDir()
	checked := 0
	applied := map[string]int{}
	for _, rel := range files {
		if strings.HasPrefix(rel, "legacy") {
			continue
		}
		orig, err := os.ReadFile(filepath.Join(root, rel))
		require.NoError(t, err)
		for _, m := range mutations {
			re := regexp.MustCompile(m.pattern)
			loc := re.FindStringSubmatchIndex(string(orig))
			if loc == nil {
				continue
			}
			var replaced []byte
			replaced = re.ExpandString(replaced, m.replacement, string(orig), loc)
			mutated := string(orig[:loc[0]]) + string(replaced) + string(orig[loc[1]:])
			path := filepath.Join(dir, filepath.Base(rel))
			require.NoError(t, os.WriteFile(path, []byte(mutated), 0o644))
			xsd := "FlussiDatiMisuraPrelievoEE-Flusso1-Periodico.xsd"
			if fn, err := ParseFileName(rel); err == nil && fn.Flow.Family == Correction {
				xsd = "FlussiDatiMisuraPrelievoEE-Flusso2-Rettifica.xsd"
			}
			xsdFails := runXmllint(xmllint, filepath.Join(xsdDir, xsd), path) != nil

			rep := validateSample(t, path)
			var ours Anomalies
			for _, a := range rep.Anomalies {
				if (a.Rule == RuleStructure || a.Rule == RuleValue || a.Rule == RuleMalformed) && a.Blocking() {
					ours = append(ours, a)
				}
			}
			assert.Equal(t, xsdFails, len(ours) > 0, "%s with %s: xmllint fails=%v, validator found %v", filepath.Base(rel), m.name, xsdFails, ours)
			checked++
			applied[m.name]++
		}
	}
	assert.Greater(t, checked, 100)
	for _, m := range mutations {
		assert.Positive(t, applied[m.name], "mutation %q matched no sample", m.name)
	}
}

// TestValidateFileDuplicatesAcrossRecords runs the duplicate check through
// the decoder, which reuses one Record for every DatiPod.
func TestValidateFileDuplicatesAcrossRecords(t *testing.T) {
	day := curveXML("Ea", "05", "", 1, 96) + curveXML("Er", "05", "", 1, 96)
	other := strings.Replace(pdoMonthXML("01/2013", day), testPOD, "IT001E87654321", 1)
	content := flowXML("PDO", pdoMonthXML("01/2013", day), other, pdoMonthXML("01/2013", day))
	rep := validateString(t, testName("PDO", "201301"), content)
	got := withRule(rep.Anomalies, RuleDuplicate)
	require.Len(t, got, 2)
	assert.Equal(t, testPOD, got[0].Key)
	assert.Equal(t, "Ea[1]", got[0].Field)
	assert.Equal(t, "Er[1]", got[1].Field)
	assert.Equal(t, 3, rep.Records)
	assert.Equal(t, 1, rep.RecordsBlocked)
}

func TestValidatorReusedAcrossFiles(t *testing.T) {
	v := NewValidator(testOptions())
	for i := 0; i < 2; i++ {
		out, err := v.Start(testName("PDO", "201301"), testHeader("PDO"))
		require.NoError(t, err)
		out = append(out, v.Record(pdoRecord())...)
		out = append(out, v.Finish()...)
		assert.Empty(t, out, "file %d", i+1)
		records, blocked := v.Stats()
		assert.Equal(t, 1, records)
		assert.Equal(t, 0, blocked)
	}
}
