package distributor

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

var day = civil.Date{Year: 2026, Month: 12, Day: 4}

func loadTestProfile(t *testing.T) *Profile {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "profiles", "acme.json"))
	require.NoError(t, err)
	defer f.Close()
	p, err := LoadProfile(f)
	require.NoError(t, err)
	return p
}

// unzip returns the single file of a zip archive.
func unzip(t *testing.T, data []byte) (string, []byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	require.Len(t, zr.File, 1)
	rc, err := zr.File[0].Open()
	require.NoError(t, err)
	defer rc.Close()
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	return zr.File[0].Name, b
}

func TestShippedProfiles(t *testing.T) {
	var ids []string
	for _, p := range ShippedProfiles() {
		ids = append(ids, p.ID)
		assert.False(t, p.Verified, "%s: no public specification confirms the rules", p.ID)
		assert.NotEmpty(t, p.Source, p.ID)
		assert.NotEmpty(t, p.Services, "%s declares its own services", p.ID)
		assert.NoError(t, p.Check(), p.ID)
	}
	assert.Equal(t, []string{"e-distribuzione", "unareti", "v-reti"}, ids)
	_, ok := ShippedProfile("nope")
	assert.False(t, ok)
}

// TestShippedProfileFiles builds the D01 sample with each shipped profile
// and compares name, folder and content with the golden files.
func TestShippedProfileFiles(t *testing.T) {
	want := map[string]struct{ folder, name, inner string }{
		"e-distribuzione": {"e-distribuzione/D01", "01234567897_D01_E050_20261204_000007.zip", "01234567897_D01_E050_20261204_000007.xml"},
		"unareti":         {"unareti", "12345678903_01234567897_202612_D01E050_7.csv", ""},
		"v-reti":          {"v-reti/outbox", "D01.E050_CASE-D01-0001_0007.xml", ""},
	}
	for _, p := range ShippedProfiles() {
		t.Run(p.ID, func(t *testing.T) {
			f, err := BuildFile(p, []*Request{loadRequest(t, "D01")}, FileOptions{Seq: 7, Day: day})
			require.NoError(t, err)
			w := want[p.ID]
			assert.Equal(t, w.folder, f.Folder)
			assert.Equal(t, w.name, f.Name)
			assert.Equal(t, w.inner, f.Inner)
			assert.Equal(t, []string{"CASE-D01-0001"}, f.CaseNumbers)
			content := f.Data
			if p.Zip {
				name, b := unzip(t, f.Data)
				assert.Equal(t, f.Inner, name)
				content = b
			}
			ext := pathExt(f.Name)
			if p.Zip {
				ext = pathExt(f.Inner)
			}
			golden(t, filepath.Join("profiles", p.ID, "D01_file"+ext), content)
		})
	}
}

// TestShippedProfileCSV writes the D01 sample in each shipped profile's
// CSV variant.
func TestShippedProfileCSV(t *testing.T) {
	for _, p := range ShippedProfiles() {
		t.Run(p.ID, func(t *testing.T) {
			var buf bytes.Buffer
			r := loadRequest(t, "D01")
			r.Note = "città"
			require.NoError(t, EncodeCSV(&buf, []*Request{r, loadRequest(t, "D01")}, p))
			golden(t, filepath.Join("profiles", p.ID, "D01.csv"), buf.Bytes())
		})
	}
}

func TestShippedProfileDifferences(t *testing.T) {
	ed, _ := ShippedProfile("e-distribuzione")
	un, _ := ShippedProfile("unareti")
	vr, _ := ShippedProfile("v-reti")
	d01 := loadRequest(t, "D01")
	doc := func(p *Profile) string { return string(encodeXML(t, d01, p)) }
	assert.Contains(t, doc(ed), `cod_servizio="D01"`)
	assert.Contains(t, doc(un), `COD_SERVIZIO="D01"`)
	assert.Contains(t, doc(vr), "<Da_Eseguire_Non_Prima_Del>15/12/2026</Da_Eseguire_Non_Prima_Del>")
	assert.Contains(t, doc(ed), "<Da_Eseguire_Non_Prima_Del>2026-12-15</Da_Eseguire_Non_Prima_Del>")

	a01 := loadRequest(t, "A01")
	a01.Technical.Category = ""
	assert.True(t, Validate(a01, ValidateOptions{Profile: vr}).HasBlocking(), "v-reti requires categoria_merceologica for A01")
	assert.False(t, Validate(a01, ValidateOptions{Profile: ed}).HasBlocking())

	m01 := loadRequest(t, "M01")
	assert.True(t, Validate(m01, ValidateOptions{Profile: un}).HasBlocking(), "unareti requires tel for every service")
}

// TestShippedExtraServices builds a request for each distributor's own
// service and validates it against the generic XSD.
func TestShippedExtraServices(t *testing.T) {
	for _, p := range ShippedProfiles() {
		for _, s := range p.Services {
			t.Run(p.ID+"/"+s.Code, func(t *testing.T) {
				r := extraSample(t, s, p)
				require.Empty(t, Validate(r, ValidateOptions{Profile: p}))
				xmlProfile := *p
				xmlProfile.AttributeCase = "lower"
				doc := encodeXML(t, r, &xmlProfile)
				validateXSD(t, "X/generic_request.xsd", doc)
				back, err := DecodeRequestXML(bytes.NewReader(doc), "x.xml")
				require.NoError(t, err)
				assert.Empty(t, cmp.Diff(r, back, decimalEqual))
			})
		}
	}
}

// extraSample fills every field that a service requires or allows, from
// the A01 and D01 samples.
func extraSample(t *testing.T, s *Service, p *Profile) *Request {
	a01, d01 := loadRequest(t, "A01"), loadRequest(t, "D01")
	r := &Request{Service: s.Code, IDs: d01.IDs}
	r.IDs.CaseNumber = "CASE-" + s.Code
	use := usage(standard, s, p.requiredFor(s.Code))
	for i := range fields {
		f := &fields[i]
		if _, ok := use[f.path]; !ok || strings.HasPrefix(f.path, "IdentificativiRichiesta/") {
			continue
		}
		src := a01
		if !f.isSet(a01) {
			src = d01
		}
		v, ok := f.text(src, valueFormat{})
		if ok {
			require.NoError(t, f.setText(r, v))
		}
	}
	r.Customer.VAT = ""
	for _, e := range s.Extra {
		if r.Extra == nil {
			r.Extra = map[string]string{}
		}
		r.Extra[e.Name] = map[string]string{"date": "2027-01-31", "flag": "SI", "decimal": "1,5", "text": "x"}[e.Kind]
	}
	return r
}

func TestProfileFromFileAddsDistributor(t *testing.T) {
	p := loadTestProfile(t)
	r := loadRequest(t, "acme_VIT")
	assert.Empty(t, Validate(r, ValidateOptions{Profile: p}))
	_, std := StandardService("VIT")
	assert.False(t, std)

	f, err := BuildFile(p, []*Request{r}, FileOptions{Seq: 12, Day: day})
	require.NoError(t, err)
	assert.Equal(t, "acme/VIT", f.Folder)
	assert.Equal(t, "ACME_VIT_CASE-VIT-0001_012.xml", f.Name)
	assert.Equal(t, "0050", f.Flow)
	validateXSD(t, "X/generic_request.xsd", f.Data)
	doc := string(f.Data)
	assert.Contains(t, doc, "<piva_distr>11111111115</piva_distr>", "the profile fills piva_distr")
	assert.Contains(t, doc, `<Dato nome="fascia_oraria">08-12</Dato>`)
	golden(t, filepath.Join("profiles", p.ID, f.Name), f.Data)

	back, err := DecodeRequestXML(bytes.NewReader(f.Data), f.Name)
	require.NoError(t, err)
	assert.Equal(t, r.Extra, back.Extra)

	// Outcomes of the new service move its case.
	l := NewLedger()
	c := NewCase(r, p.ID)
	_, err = c.Send(t0, f.Name, p.Deadlines())
	require.NoError(t, err)
	require.NoError(t, l.Add(c))
	assert.Equal(t, t0.AddDate(0, 0, 3), c.Deadline)
	for _, step := range []struct {
		phase  Phase
		schema string
		want   State
	}{
		{PhaseAdmissibility, "X/generic_admissibility.xsd", StateAdmissible},
		{PhaseOutcome, "X/generic_outcome.xsd", StateDone},
	} {
		var buf bytes.Buffer
		o := &Outcome{Service: "VIT", Phase: step.phase, IDs: r.IDs, Result: ResultPositive}
		require.NoError(t, EncodeOutcomeXML(&buf, o, p))
		validateXSD(t, step.schema, buf.Bytes())
		outs, as, err := ReadOutcomes(&buf, "vit.xml", p)
		require.NoError(t, err)
		require.Empty(t, as)
		_, as = l.Apply(outs[0], t0)
		require.Empty(t, as)
		assert.Equal(t, step.want, c.State)
	}
}

func TestProfileExtraFieldRules(t *testing.T) {
	p := loadTestProfile(t)
	r := loadRequest(t, "acme_VIT")
	delete(r.Extra, "fascia_oraria")
	r.Extra["cantiere_aperto"] = "forse"
	got := Validate(r, ValidateOptions{Profile: p})
	require.Len(t, got, 2)
	assert.Equal(t, CodeMissing, got[0].Code)
	assert.Equal(t, "AltriDati/fascia_oraria", got[0].Field)
	assert.Equal(t, CodeInvalid, got[1].Code)
	assert.Equal(t, "forse", got[1].Value)

	_, err := BuildFile(nil, []*Request{r}, FileOptions{})
	assert.ErrorIs(t, err, ErrProfile)
	_, err = BuildFile(p, []*Request{r}, FileOptions{})
	var inv *InvalidRequestError
	require.ErrorAs(t, err, &inv)
	assert.ErrorIs(t, err, ErrInvalidRequest)
	assert.Len(t, inv.Anomalies, 2)
	assert.Contains(t, err.Error(), "fascia_oraria")
}

func TestBuildFileRejectsUsedName(t *testing.T) {
	p := loadTestProfile(t)
	names := &MemoryNames{}
	r := loadRequest(t, "acme_VIT")
	_, err := BuildFile(p, []*Request{r}, FileOptions{Seq: 1, Day: day, Names: names})
	require.NoError(t, err)
	_, err = BuildFile(p, []*Request{r}, FileOptions{Seq: 1, Day: day, Names: names})
	require.ErrorIs(t, err, ErrNameUsed)
	assert.Contains(t, err.Error(), "ACME_VIT_CASE-VIT-0001_001.xml")
	_, err = BuildFile(p, []*Request{r}, FileOptions{Seq: 2, Day: day, Names: names})
	assert.NoError(t, err)
}

func TestBuildFileCSVBatch(t *testing.T) {
	p, _ := ShippedProfile("unareti")
	a, b := loadRequest(t, "D01"), loadRequest(t, "D01")
	b.IDs.CaseNumber = "CASE-D01-0002"
	f, err := BuildFile(p, []*Request{a, b}, FileOptions{Seq: 3, Day: day})
	require.NoError(t, err)
	assert.Equal(t, []string{"CASE-D01-0001", "CASE-D01-0002"}, f.CaseNumbers)
	assert.Equal(t, 3, bytes.Count(f.Data, []byte("\r\n")), "a header and two rows")

	x, _ := ShippedProfile("v-reti")
	_, err = BuildFile(x, []*Request{a, b}, FileOptions{Seq: 3, Day: day})
	assert.ErrorContains(t, err, "one request per XML file")
}

func TestFileNameCleansValues(t *testing.T) {
	p := &Profile{ID: "t", FileNameTemplate: "{case}_{seq:3}.xml", FolderTemplate: "{profile}/{service}"}
	d := NameData{CaseNumber: "../../etc/passwd", Service: "A/B", Seq: 42}
	assert.Equal(t, "------etc-passwd_042.xml", p.FileName(d))
	assert.Equal(t, "t/A-B", p.FolderName(d))
}

func TestLoadProfileErrors(t *testing.T) {
	base := `"id": "x", "format": "xml", "file_name": "a_{seq}.xml"`
	tests := []struct {
		name string
		json string
		want string
	}{
		{"missing id", `{"format": "xml", "file_name": "a_{seq}.xml"}`, "missing id"},
		{"unknown key", `{` + base + `, "zipp": true}`, "zipp"},
		{"bad format", `{"id": "x", "format": "xls", "file_name": "a_{seq}.xml"}`, `invalid format "xls"`},
		{"no seq", `{"id": "x", "format": "xml", "file_name": "a.xml"}`, "lacks {seq}"},
		{"unknown placeholder", `{"id": "x", "format": "xml", "file_name": "{pod}_{seq}.xml"}`, "unknown placeholder {pod}"},
		{"folder in name", `{"id": "x", "format": "xml", "file_name": "out/{seq}.xml"}`, "folder separator"},
		{"absolute folder", `{` + base + `, "folder": "/etc"}`, "absolute"},
		{"parent folder", `{` + base + `, "folder": "../up"}`, `".."`},
		{"bad case", `{` + base + `, "attribute_case": "camel"}`, "attribute_case"},
		{"bad delimiter", `{` + base + `, "csv": {"delimiter": "\""}}`, "delimiter"},
		{"bad encoding", `{` + base + `, "csv": {"encoding": "utf-16"}}`, "unsupported encoding"},
		{"bad path", `{` + base + `, "required": {"A01": ["DatiTecnici/colore"]}}`, "unknown element path"},
		{"bad vat", `{` + base + `, "distributor_vat": "123"}`, "distributor_vat"},
		{"standard code", `{` + base + `, "services": [{"code": "D01", "flows": {"request": "E050"}}]}`, "standard service"},
		{"no request flow", `{` + base + `, "services": [{"code": "ZZ1", "flows": {"outcome": "0150"}}]}`, "request flow"},
		{"bad extra kind", `{` + base + `, "services": [{"code": "ZZ1", "flows": {"request": "0050"}, "extra": [{"name": "a", "kind": "int"}]}]}`, "invalid kind"},
		{"negative deadline", `{` + base + `, "deadline_days": {"*": -1}}`, "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadProfile(strings.NewReader(tt.json))
			require.ErrorIs(t, err, ErrProfile)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
