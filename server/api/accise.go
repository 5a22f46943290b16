package api

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/bludispatcher/dispatcher/accise"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/server/store"
)

// Excise uploads: limits and the flow code of their loads.
const (
	// MaxUploadBody is the largest billing-line upload, in bytes.
	MaxUploadBody = 64 << 20
	// FlowCodeAccise is the flow code of uploaded billing lines in the
	// load log.
	FlowCodeAccise = "ACCISE"
	// uploadPath is the path of uploads, whose body limit is MaxUploadBody.
	uploadPath = "/api/v1/accise/uploads"
	// progressRows is the row interval of the import progress log.
	progressRows = 50000
)

// acciseRoutes adds the routes of the excise declaration.
func (h *handler) acciseRoutes(route func(string, func(http.ResponseWriter, *http.Request, Principal))) {
	route("POST "+uploadPath, h.acciseUpload)
	route("GET "+uploadPath, h.acciseUploads)
	route("GET /api/v1/accise/check", h.acciseCheck)
	route("GET /api/v1/accise/declaration.zip", h.acciseDeclaration)
	route("GET /api/v1/accise/report.xlsx", h.acciseReport)
}

// bodyLimit returns the largest request body accepted for r.
func bodyLimit(r *http.Request) int64 {
	if r.Method == http.MethodPost && r.URL.Path == uploadPath {
		return MaxUploadBody
	}
	return MaxRequestBody
}

// uploadSource is the read settings of an upload: the profile, commodity
// and sheet given at upload. The load's Path keeps them as the request
// path with these query parameters, so the lines read the same way later.
type uploadSource struct {
	name      string
	profile   string
	commodity string
	sheet     string
}

func (u uploadSource) path() string {
	q := url.Values{}
	q.Set("profile", u.profile)
	if u.commodity != "" {
		q.Set("commodity", u.commodity)
	}
	if u.sheet != "" {
		q.Set("sheet", u.sheet)
	}
	return uploadPath + "/" + url.PathEscape(u.name) + "?" + q.Encode()
}

// sourceOf reads the upload source back from a load.
func sourceOf(l store.Load) uploadSource {
	u := uploadSource{name: l.Name}
	if parsed, err := url.Parse(l.Path); err == nil {
		q := parsed.Query()
		u.profile, u.commodity, u.sheet = q.Get("profile"), q.Get("commodity"), q.Get("sheet")
	}
	return u
}

// readLines reads billing lines from data through the source's profile.
// The error is for a file that cannot be read at all; unreadable rows are
// blocking anomalies.
func (h *handler) readLines(data []byte, u uploadSource, company string) ([]accise.Line, anomaly.List, error) {
	profile, ok := accise.DefaultProfiles().Profile(u.profile)
	if !ok {
		return nil, nil, fmt.Errorf("unknown profile %q: want dispatcher or generic", u.profile)
	}
	opts := accise.ImportOptions{Profile: profile, File: u.name, ProgressEvery: progressRows,
		Progress: func(p accise.Progress) {
			h.Log.Info("excise import progress", "company", company, "file", u.name, "rows", p.Rows, "done", p.Done)
		}}
	switch strings.ToLower(u.commodity) {
	case "":
	case "ee":
		opts.Commodity = accise.Electricity
	case "gn":
		opts.Commodity = accise.Gas
	default:
		return nil, nil, fmt.Errorf("invalid commodity %q: want ee or gn", u.commodity)
	}
	var lr accise.LineReader
	if strings.EqualFold(path.Ext(u.name), ".xlsx") {
		x, err := accise.NewXLSXReader(bytes.NewReader(data), u.sheet, opts)
		if err != nil {
			return nil, nil, err
		}
		defer x.Close()
		lr = x
	} else {
		c, err := accise.NewCSVReader(bytes.NewReader(data), opts)
		if err != nil {
			return nil, nil, err
		}
		lr = c
	}
	return accise.ReadAll(lr)
}

// acciseUpload serves POST /api/v1/accise/uploads?name=&profile=&commodity=&sheet=:
// the body is a CSV or XLSX file of billing lines, read through the
// profile ("dispatcher" by default). The file is kept as a load whose log
// lists the rows that cannot be read. The same bytes again are recorded
// as a duplicate and not read twice.
func (h *handler) acciseUpload(w http.ResponseWriter, r *http.Request, caller Principal) {
	p := &params{q: r.URL.Query()}
	u := uploadSource{name: path.Base(p.str("name")), profile: p.str("profile"), commodity: p.str("commodity"), sheet: p.str("sheet")}
	if u.name == "." || u.name == "/" || u.name == "" {
		writeError(w, http.StatusBadRequest, "missing query parameter name: give the file name, such as lines.csv")
		return
	}
	if u.profile == "" {
		u.profile = "dispatcher"
	}

	data, err := io.ReadAll(r.Body)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("upload larger than %d bytes: split the file", MaxUploadBody))
		return
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "reading the upload failed: "+err.Error())
		return
	}
	lines, found, err := h.readLines(data, u, caller.Code)
	if err != nil {
		writeError(w, http.StatusBadRequest, "the file cannot be read: "+err.Error())
		return
	}

	l, err := h.storeUpload(r, caller, u, data, lines, found)
	var dup *store.DuplicateError
	if errors.As(err, &dup) {
		writeJSON(w, http.StatusOK, dup.Load)
		return
	}
	if err != nil {
		h.storeError(w, r, "store excise upload", err)
		return
	}
	writeJSON(w, http.StatusCreated, l)
}

// storeUpload records the upload as a load with its import anomalies.
func (h *handler) storeUpload(r *http.Request, caller Principal, u uploadSource, data []byte, lines []accise.Line, found anomaly.List) (store.Load, error) {
	ctx := r.Context()
	tx, err := h.Store.BeginLoad(ctx, store.LoadInfo{Company: caller.ID, Name: u.name, Path: u.path(),
		Size: int64(len(data)), SHA256: sha256Hex(data), FlowCode: FlowCodeAccise, Original: bytes.NewReader(data)})
	if err != nil {
		return store.Load{}, err
	}
	rejected := 0
	for _, a := range found {
		if a.Code == accise.CodeUnreadableRow {
			rejected++
		}
	}
	if dt, ok := tx.(store.DomainTx); ok {
		dt.AddCounts(len(lines), rejected)
	}
	if err := tx.AddAnomalies(ctx, found); err != nil {
		return store.Load{}, err
	}
	return tx.Commit(ctx)
}

// acciseUploads serves GET /api/v1/accise/uploads: the upload log.
func (h *handler) acciseUploads(w http.ResponseWriter, r *http.Request, caller Principal) {
	p := &params{q: r.URL.Query()}
	f := store.LoadFilter{Company: caller.ID, FlowCode: FlowCodeAccise, Page: p.page()}
	if p.err != nil {
		writeError(w, http.StatusBadRequest, p.err.Error())
		return
	}
	loads, total, err := h.Store.ListLoads(r.Context(), f)
	if err != nil {
		h.storeError(w, r, "list excise uploads", err)
		return
	}
	if loads == nil {
		loads = []store.Load{}
	}
	writeJSON(w, http.StatusOK, listResponse[store.Load]{Items: loads, Total: total, Offset: f.Page.Offset, Limit: f.Page.Limit})
}
