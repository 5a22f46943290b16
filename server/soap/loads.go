package soap

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/workbook"
)

// maxLoadAnomalies is the number of anomalies ListLoads returns with each
// load when WithAnomalies is set.
const maxLoadAnomalies = 100

func (h *Handler) listLoads(ctx context.Context, c *call, d *bodyDecoder) (any, error) {
	var req client.ListLoadsRequest
	if err := d.decode(&req); err != nil {
		return nil, err
	}
	limit, err := pageLimit(req.Limit)
	if err != nil {
		return nil, err
	}
	if req.Offset < 0 {
		return nil, clientFault("Offset", strconv.Itoa(int(req.Offset)), "must not be negative")
	}
	f := store.LoadFilter{Company: c.company.ID, FlowCode: str(req.FlowCode),
		Started: store.TimeRange{From: instant(req.From), To: instant(req.To)},
		Page:    store.Page{Offset: int(req.Offset), Limit: limit}}
	for _, s := range req.Status {
		st := store.LoadStatus(str(s))
		if !st.Valid() {
			return nil, clientFault("Status", string(st), "must be loaded, loaded_with_anomalies, rejected or duplicate")
		}
		// A repeated status is passed once, so the store query stays
		// within the driver's limit on query parameters.
		if !slices.Contains(f.Statuses, st) {
			f.Statuses = append(f.Statuses, st)
		}
	}
	loads, total, err := h.opts.Store.ListLoads(ctx, f)
	if err != nil {
		return nil, err
	}
	resp := &client.ListLoadsResponse{Total: int32(total)}
	for _, l := range loads {
		e := loadEntry(l)
		if req.WithAnomalies && l.AnomalyCount > 0 {
			list, _, err := h.opts.Store.Anomalies(ctx, c.company.ID, l.ID, store.Page{Limit: maxLoadAnomalies})
			if err != nil {
				return nil, err
			}
			for _, a := range list {
				e.Anomaly = append(e.Anomaly, anomalyOf(a))
			}
		}
		resp.Load = append(resp.Load, e)
	}
	return resp, nil
}

func loadEntry(l store.Load) *client.LoadEntry {
	status := client.LoadStatus(l.Status)
	return &client.LoadEntry{LoadId: int64(l.ID), Name: l.Name, Path: l.Path, Size: l.Size, Sha256: l.SHA256,
		FlowCode: l.FlowCode, Status: &status, DuplicateOf: int64(l.DuplicateOf), StartedAt: dateTime(l.StartedAt),
		FinishedAt: dateTime(l.FinishedAt), RecordsLoaded: int32(l.RecordsLoaded),
		RecordsRejected: int32(l.RecordsRejected), AnomalyCount: int32(l.AnomalyCount),
		BlockingCount: int32(l.BlockingCount)}
}

func anomalyOf(a anomaly.Anomaly) *client.Anomaly {
	return &client.Anomaly{Code: a.Code, Rule: a.Rule, Severity: a.Severity.String(), Level: a.Level.String(),
		File: a.File, Line: int32(a.Line), Key: a.Key, Field: a.Field, Value: a.Value, Message: a.Message}
}

func (h *Handler) getOriginal(ctx context.Context, c *call, d *bodyDecoder) (any, error) {
	var req client.GetOriginalRequest
	if err := d.decode(&req); err != nil {
		return nil, err
	}
	id := strconv.FormatInt(req.LoadId, 10)
	if req.LoadId <= 0 {
		return nil, clientFault("LoadId", id, "must be a positive load id")
	}
	orig, body, err := h.opts.Store.OpenOriginal(ctx, c.company.ID, store.LoadID(req.LoadId))
	if err != nil {
		return nil, notFoundAs(err, "LoadId", id, "names no load of the company")
	}
	defer body.Close()
	if orig.Size > h.opts.MaxOriginal {
		return nil, clientFault("LoadId", id, fmt.Sprintf("the original is %d bytes, more than the %d returned over SOAP; use the JSON API",
			orig.Size, h.opts.MaxOriginal))
	}
	content, err := io.ReadAll(io.LimitReader(body, h.opts.MaxOriginal+1))
	if err != nil {
		return nil, err
	}
	return &client.GetOriginalResponse{Name: orig.Name, Size: orig.Size, Sha256: orig.SHA256, Content: base64Text(content)}, nil
}

// notFoundAs turns ErrNotFound into a Client fault about element.
func notFoundAs(err error, element, value, message string) error {
	if f := storeFault(err); f.Code == FaultClient && f.Message == "not found" {
		return clientFault(element, value, message)
	}
	return err
}

func (h *Handler) getWorkbook(ctx context.Context, c *call, d *bodyDecoder) (any, error) {
	var req client.GetWorkbookRequest
	if err := d.decode(&req); err != nil {
		return nil, err
	}
	sel := workbook.Selection{Company: c.company.ID, Load: store.LoadID(req.LoadId)}
	if req.Month != nil {
		m, err := workbook.ParseMonth(string(*req.Month))
		if err != nil {
			return nil, clientFault("Month", string(*req.Month), "must be yyyy-mm")
		}
		sel.Month = m
	}
	if (sel.Load == 0) == sel.Month.IsZero() {
		return nil, clientFault("GetWorkbookRequest", "", "give exactly one of LoadId and Month")
	}
	var buf bytes.Buffer
	name, err := workbook.Write(ctx, h.workbookSource(), sel, &buf)
	if err != nil {
		return nil, notFoundAs(err, "LoadId", strconv.FormatInt(req.LoadId, 10), "names no load of the company")
	}
	if err := h.checkWorkbookSize(buf.Len()); err != nil {
		return nil, err
	}
	return &client.GetWorkbookResponse{Name: name, Content: base64Text(buf.Bytes())}, nil
}

// base64Text returns b encoded for an xsd:base64Binary element. The
// generated types hold base64Binary as []byte, which encoding/xml writes
// as plain text, so the field must carry the base64 text itself.
func base64Text(b []byte) []byte {
	out := make([]byte, base64.StdEncoding.EncodedLen(len(b)))
	base64.StdEncoding.Encode(out, b)
	return out
}
