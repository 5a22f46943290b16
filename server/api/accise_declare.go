package api

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/accise"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/server/store"
)

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// acciseRequest is the period, the declarant and the uploads of a check,
// declaration or report request.
type acciseRequest struct {
	declare accise.DeclareOptions
	check   accise.CheckOptions
	// loads are the uploads to read; empty means every upload that is not
	// rejected or a duplicate.
	loads     []store.LoadID
	dic       bool
	gasMarker string
	force     bool
	// monthly are the monthly payments of the monthly parameter, by
	// SummaryKey and month. With monthlyFromLines set, the payments come
	// from the lines instead.
	monthly          map[string]map[int]decimal.Decimal
	monthlyFromLines bool
}

// parseAcciseRequest reads year, half, loads and, with declarant set,
// excise_code (codice ditta), seat, subject, activity, instalments,
// monthly, monthly_from_lines, dic, gas_marker and force.
func parseAcciseRequest(p *params, declarant bool) acciseRequest {
	var req acciseRequest
	year, half := p.int("year", 0), p.int("half", 0)
	if year < 2000 || year > 2100 {
		p.fail("year", p.str("year"), "a tax year such as 2025")
	}
	if half < 0 || half > 2 {
		p.fail("half", p.str("half"), "0 for the annual declaration, or 1 or 2")
	}
	req.declare = accise.DeclareOptions{Year: year, Half: half}
	req.check = accise.YearCheckOptions(year)
	req.check.From, req.check.To = req.declare.Period()
	for _, s := range strings.Split(p.str("loads"), ",") {
		if s = strings.TrimSpace(s); s != "" {
			req.loads = append(req.loads, store.LoadID(p.id("loads", s)))
		}
	}
	if !declarant {
		return req
	}

	req.declare.Declarant = accise.Declarant{CompanyCode: p.str("excise_code"), SubjectType: p.str("subject"), ActivityCode: p.str("activity")}
	if req.declare.Declarant.CompanyCode == "" {
		p.fail("excise_code", "", "the codice ditta of the seller")
	}
	if req.declare.Declarant.SubjectType == "" {
		req.declare.Declarant.SubjectType = "A"
	}
	if req.declare.Declarant.ActivityCode == "" {
		req.declare.Declarant.ActivityCode = "01"
	}
	req.declare.SeatProvince = strings.ToUpper(p.str("seat"))
	if _, ok := accise.DefaultTerritory().Province(req.declare.SeatProvince); !ok {
		p.fail("seat", p.str("seat"), "the province of the legal seat, such as TO")
	}
	req.declare.InstalmentsDue = parseInstalments(p)
	req.monthly = parseMonthly(p)
	req.monthlyFromLines = p.bool("monthly_from_lines", false)
	if len(req.monthly) > 0 && req.monthlyFromLines {
		p.fail("monthly_from_lines", "true", "either monthly or monthly_from_lines, not both")
	}
	req.dic, req.force = p.bool("dic", false), p.bool("force", false)
	req.gasMarker = p.str("gas_marker")
	return req
}

// parseInstalments reads instalments=AREA/CHAPTER=EURO,… such as
// "IT/1411=120000.00,TO/ARISGAN=500". A repeated parameter adds its items.
func parseInstalments(p *params) map[string]decimal.Decimal {
	out := map[string]decimal.Decimal{}
	for _, item := range strings.Split(strings.Join(p.q["instalments"], ","), ",") {
		if item = strings.TrimSpace(item); item == "" {
			continue
		}
		key, amount, ok := strings.Cut(item, "=")
		area, chapter, okKey := strings.Cut(key, "/")
		euro, err := accise.ParseAmount(amount)
		if !ok || !okKey || area == "" || chapter == "" || err != nil {
			p.fail("instalments", item, "AREA/CHAPTER=EURO items separated by commas, such as IT/1411=120000.00")
			continue
		}
		k := accise.SummaryKey(area, chapter)
		if _, dup := out[k]; dup {
			p.fail("instalments", item, "each AREA/CHAPTER once")
			continue
		}
		out[k] = euro
	}
	return out
}

// parseMonthly reads monthly=AREA/CHAPTER/MONTH=EURO,… such as
// "IT/1421/1=2500.00,IT/1421/2=2400.00": the monthly payments due in a
// half-year declaration. A repeated parameter adds its items.
func parseMonthly(p *params) map[string]map[int]decimal.Decimal {
	out := map[string]map[int]decimal.Decimal{}
	for _, item := range strings.Split(strings.Join(p.q["monthly"], ","), ",") {
		if item = strings.TrimSpace(item); item == "" {
			continue
		}
		key, amount, ok := strings.Cut(item, "=")
		parts := strings.Split(key, "/")
		euro, err := accise.ParseAmount(amount)
		if !ok || len(parts) != 3 || parts[0] == "" || parts[1] == "" || err != nil {
			p.fail("monthly", item, "AREA/CHAPTER/MONTH=EURO items separated by commas, such as IT/1421/1=2500.00")
			continue
		}
		month, err := strconv.Atoi(parts[2])
		if err != nil || month < 1 || month > 12 {
			p.fail("monthly", item, "a month from 1 to 12")
			continue
		}
		k := accise.SummaryKey(parts[0], parts[1])
		if _, dup := out[k][month]; dup {
			p.fail("monthly", item, "each AREA/CHAPTER/MONTH once")
			continue
		}
		if out[k] == nil {
			out[k] = map[int]decimal.Decimal{}
		}
		out[k][month] = euro
	}
	return out
}

// declareOptions returns the options of the request with the monthly
// payments due: those of the monthly parameter, or with monthly_from_lines
// the tax on each month's quantities of the computed lines. With force, a
// line from an unknown province is left out of those payments, as the
// declarations leave it out, and its warning is added to b.anomalies.
func declareOptions(b *acciseBuild, req acciseRequest) (accise.DeclareOptions, error) {
	opts := req.declare
	switch {
	case req.monthlyFromLines && req.force:
		taxes, skipped, err := accise.MonthlyTaxesKnown(b.computation, opts.Declarant.CompanyCode, accise.DefaultTerritory())
		if err != nil {
			return opts, err
		}
		b.anomalies = append(b.anomalies, skipped...)
		opts.MonthlyDue = accise.MonthlyDueOf(taxes, opts.Year, opts.Half)
	case req.monthlyFromLines:
		taxes, err := accise.MonthlyTaxes(b.computation, opts.Declarant.CompanyCode, accise.DefaultTerritory())
		if err != nil {
			return opts, fmt.Errorf("%w; correct the province, or add force=true to leave such lines out", err)
		}
		opts.MonthlyDue = accise.MonthlyDueOf(taxes, opts.Year, opts.Half)
	case len(req.monthly) > 0:
		opts.MonthlyDue = req.monthly
	}
	return opts, nil
}

// acciseBuild is the computation and anomalies of a request's lines.
type acciseBuild struct {
	lines       int
	computation *accise.Computation
	anomalies   anomaly.List
}

// build reads the uploads of req, computes and checks their lines.
func (h *handler) build(r *http.Request, caller Principal, req acciseRequest) (*acciseBuild, error) {
	ids := req.loads
	if len(ids) == 0 {
		var err error
		if ids, err = h.uploadIDs(r, caller); err != nil {
			return nil, err
		}
	}
	var lines []accise.Line
	var found anomaly.List
	for _, id := range ids {
		l, err := h.Store.Load(r.Context(), caller.ID, id)
		if err != nil {
			return nil, err
		}
		if l.FlowCode != FlowCodeAccise {
			return nil, fmt.Errorf("load %d: %w: not an excise upload", id, store.ErrInvalid)
		}
		_, body, err := h.Store.OpenOriginal(r.Context(), caller.ID, id)
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(body)
		body.Close()
		if err != nil {
			return nil, err
		}
		got, a, err := h.readLines(data, sourceOf(l), caller.Code)
		if err != nil {
			return nil, fmt.Errorf("upload %d: %w", id, err)
		}
		lines, found = append(lines, got...), append(found, a...)
	}
	c, computed := accise.Compute(lines, accise.ComputeOptions{})
	found = append(append(found, computed...), accise.Check(c, req.check)...)
	return &acciseBuild{lines: len(lines), computation: c, anomalies: found}, nil
}

// uploadIDs returns the uploads that are neither rejected nor duplicates.
func (h *handler) uploadIDs(r *http.Request, caller Principal) ([]store.LoadID, error) {
	var ids []store.LoadID
	for offset := 0; ; {
		loads, total, err := h.Store.ListLoads(r.Context(), store.LoadFilter{Company: caller.ID, FlowCode: FlowCodeAccise,
			Statuses: []store.LoadStatus{store.StatusLoaded, store.StatusLoadedWithAnomalies},
			Page:     store.Page{Offset: offset, Limit: store.MaxLimit}})
		if err != nil {
			return nil, err
		}
		for _, l := range loads {
			ids = append(ids, l.ID)
		}
		offset += len(loads)
		if len(loads) == 0 || offset >= total {
			return ids, nil
		}
	}
}

// checkResponse is the outcome of GET /api/v1/accise/check.
type checkResponse struct {
	Lines     int               `json:"lines"`
	Blocking  int               `json:"blocking"`
	Anomalies []anomaly.Anomaly `json:"anomalies"`
}

func newCheckResponse(b *acciseBuild) checkResponse {
	out := checkResponse{Lines: b.lines, Anomalies: []anomaly.Anomaly{}}
	for _, a := range b.anomalies {
		if a.Blocking() {
			out.Blocking++
		}
		out.Anomalies = append(out.Anomalies, a)
	}
	return out
}

// acciseRequestOf parses the request and writes the 400 response on error.
func acciseRequestOf(w http.ResponseWriter, r *http.Request, caller Principal, declarant bool) (acciseRequest, bool) {
	p := &params{q: r.URL.Query()}
	if !companyMatches(p, caller) {
		writeError(w, http.StatusNotFound, "company not found")
		return acciseRequest{}, false
	}
	req := parseAcciseRequest(p, declarant)
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return req, false
	}
	return req, true
}

// acciseCheck serves GET /api/v1/accise/check?year=&half=&loads=: the
// anomalies of the uploaded lines for the period.
func (h *handler) acciseCheck(w http.ResponseWriter, r *http.Request, caller Principal) {
	req, ok := acciseRequestOf(w, r, caller, false)
	if !ok {
		return
	}
	b, err := h.build(r, caller, req)
	if err != nil {
		h.storeError(w, r, "check excise lines", err)
		return
	}
	writeJSON(w, http.StatusOK, newCheckResponse(b))
}

// declarationError is the 409 response of a declaration with blocking
// anomalies.
type declarationError struct {
	Error string `json:"error"`
	checkResponse
}

// acciseDeclaration serves GET /api/v1/accise/declaration.zip: one XML
// declaration per commodity and ambito and, with dic=true, the legacy
// .dic file of each (annual declarations only), in one zip. Half-year
// declarations take the monthly payments from monthly or
// monthly_from_lines. Blocking anomalies stop it with 409 unless
// force=true.
func (h *handler) acciseDeclaration(w http.ResponseWriter, r *http.Request, caller Principal) {
	req, ok := acciseRequestOf(w, r, caller, true)
	if !ok {
		return
	}
	b, err := h.build(r, caller, req)
	if err != nil {
		h.storeError(w, r, "build excise declaration", err)
		return
	}
	if b.anomalies.HasBlocking() && !req.force {
		writeJSON(w, http.StatusConflict, declarationError{
			Error:         "blocking anomalies found: correct the lines and upload them again, or add force=true",
			checkResponse: newCheckResponse(b)})
		return
	}

	files, err := declarationFiles(b, req)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		fw, err := zw.Create(f.name)
		if err == nil {
			_, err = fw.Write(f.data)
		}
		if err != nil {
			h.internal(w, r, "write declaration zip", err)
			return
		}
	}
	if err := zw.Close(); err != nil {
		h.internal(w, r, "write declaration zip", err)
		return
	}
	writeFile(w, "accise-"+periodName(req.declare)+".zip", "application/zip", buf.Bytes())
}

type namedFile struct {
	name string
	data []byte
}

// declarationFiles renders the XML and .dic files of the declarations.
// Its errors are about the request, such as a code too long for .dic.
func declarationFiles(b *acciseBuild, req acciseRequest) ([]namedFile, error) {
	opts, err := declareOptions(b, req)
	if err != nil {
		return nil, err
	}
	electricity, err := accise.BuildElectricity(b.computation, opts)
	if err != nil {
		return nil, err
	}
	gas, err := accise.BuildGas(b.computation, opts)
	if err != nil {
		return nil, err
	}
	if req.dic && req.declare.Half == 0 && len(gas) > 0 && req.gasMarker == "" {
		return nil, fmt.Errorf("missing gas_marker: the .dic files of gas declarations need the six-character file marker")
	}
	var files []namedFile
	render := func(name string, fn func(io.Writer) error) error {
		var buf bytes.Buffer
		if err := fn(&buf); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		files = append(files, namedFile{name, buf.Bytes()})
		return nil
	}
	name := func(kind, area, ext string) string {
		return fmt.Sprintf("%s_%s_%s_%s.%s", kind, req.declare.Declarant.CompanyCode, periodName(req.declare), area, ext)
	}
	for _, d := range electricity {
		area := opts.ElectricityFileArea(d)
		if err := render(name("EE", area, "xml"), func(w io.Writer) error { return accise.WriteXML(w, d) }); err != nil {
			return nil, err
		}
		if req.dic && req.declare.Half == 0 {
			if err := render(name("EE", area, "dic"), func(w io.Writer) error {
				return writeDic(w, accise.ElectricityDicRecords(d), req.gasMarker)
			}); err != nil {
				return nil, err
			}
		}
	}
	for _, d := range gas {
		area := opts.GasFileArea(d)
		if err := render(name("GN", area, "xml"), func(w io.Writer) error { return accise.WriteXML(w, d) }); err != nil {
			return nil, err
		}
		if req.dic && req.declare.Half == 0 {
			if err := render(name("GN", area, "dic"), func(w io.Writer) error {
				return writeDic(w, accise.GasDicRecords(d), req.gasMarker)
			}); err != nil {
				return nil, err
			}
		}
	}
	return files, nil
}

// periodName is the year, or the year and half such as "2026H1".
func periodName(o accise.DeclareOptions) string {
	if o.Half != 0 {
		return strconv.Itoa(o.Year) + "H" + strconv.Itoa(o.Half)
	}
	return strconv.Itoa(o.Year)
}

func writeDic(w io.Writer, records []accise.DicRecord, gasMarker string) error {
	dw := accise.NewDicWriter(w, nil)
	if gasMarker != "" {
		dw.SetMarker(accise.Gas, gasMarker)
	}
	for _, r := range records {
		if err := dw.Write(r); err != nil {
			return err
		}
	}
	return dw.Flush()
}

// acciseReport serves GET /api/v1/accise/report.xlsx: the control
// workbook of the period, with the same parameters as the declaration.
func (h *handler) acciseReport(w http.ResponseWriter, r *http.Request, caller Principal) {
	req, ok := acciseRequestOf(w, r, caller, true)
	if !ok {
		return
	}
	b, err := h.build(r, caller, req)
	if err != nil {
		h.storeError(w, r, "build excise report", err)
		return
	}
	opts, err := declareOptions(b, req)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	electricity, err := accise.BuildElectricity(b.computation, opts)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	gas, err := accise.BuildGas(b.computation, opts)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	var buf bytes.Buffer
	err = accise.WriteReport(&buf, accise.ReportInput{Computation: b.computation, Electricity: electricity, Gas: gas,
		Anomalies: b.anomalies, Options: opts})
	if err != nil {
		h.internal(w, r, "write excise report", err)
		return
	}
	writeFile(w, "accise-report-"+periodName(req.declare)+".xlsx", XLSXContentType, buf.Bytes())
}
