package soap

import (
	"context"
	"fmt"
	"strconv"

	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/store"
)

// pageLimit checks a requested page size: 0 means DefaultPage.
func pageLimit(limit int32) (int, error) {
	switch {
	case limit == 0:
		return DefaultPage, nil
	case limit < 0 || limit > MaxPage:
		return 0, clientFault("Limit", strconv.Itoa(int(limit)), fmt.Sprintf("must be 1 to %d", MaxPage))
	}
	return int(limit), nil
}

// checkSequences rejects an empty, oversized or non-positive list.
func checkSequences(seqs []int64, maxCount int) error {
	if len(seqs) == 0 {
		return clientFault("Sequence", "", "at least one is required")
	}
	if len(seqs) > maxCount {
		return clientFault("Sequence", strconv.Itoa(len(seqs)), fmt.Sprintf("at most %d per request", maxCount))
	}
	for _, s := range seqs {
		if s <= 0 {
			return clientFault("Sequence", strconv.FormatInt(s, 10), "must be a positive export sequence")
		}
	}
	return nil
}

func (h *Handler) listPendingExport(ctx context.Context, c *call, d *bodyDecoder) (any, error) {
	var req client.ListPendingExportRequest
	if err := d.decode(&req); err != nil {
		return nil, err
	}
	limit, err := pageLimit(req.Limit)
	if err != nil {
		return nil, err
	}
	if req.AfterSequence < 0 {
		return nil, clientFault("AfterSequence", strconv.FormatInt(req.AfterSequence, 10), "must not be negative")
	}
	f := store.ExportFilter{Company: c.company.ID, After: req.AfterSequence, Limit: limit}
	for _, k := range req.Kind {
		kind := store.ExportKind(str(k))
		if !validKind(kind) {
			return nil, clientFault("Kind", string(kind), "is not an export kind")
		}
		f.Kinds = append(f.Kinds, kind)
	}
	items, err := h.opts.Store.PendingExport(ctx, f)
	if err != nil {
		return nil, err
	}
	resp := &client.ListPendingExportResponse{}
	for _, it := range items {
		resp.Item = append(resp.Item, exportItem(it))
	}
	return resp, nil
}

func validKind(k store.ExportKind) bool {
	for _, known := range store.ExportKinds {
		if k == known {
			return true
		}
	}
	return false
}

func (h *Handler) fetchExport(ctx context.Context, c *call, d *bodyDecoder) (any, error) {
	var req client.FetchExportRequest
	if err := d.decode(&req); err != nil {
		return nil, err
	}
	if err := checkSequences(req.Sequence, MaxFetch); err != nil {
		return nil, err
	}
	ents, err := h.opts.Store.ExportEntities(ctx, c.company.ID, req.Sequence)
	if err != nil {
		return nil, err
	}
	resp := &client.FetchExportResponse{}
	for _, e := range ents {
		resp.Entity = append(resp.Entity, exportEntity(e))
	}
	return resp, nil
}

func (h *Handler) acknowledgeExport(ctx context.Context, c *call, d *bodyDecoder) (any, error) {
	var req client.AcknowledgeExportRequest
	if err := d.decode(&req); err != nil {
		return nil, err
	}
	if err := checkSequences(req.Sequence, MaxBatchItems); err != nil {
		return nil, err
	}
	res, err := h.opts.Store.AcknowledgeExport(ctx, c.company.ID, req.Sequence, c.caller)
	if err != nil {
		return nil, err
	}
	return &client.AcknowledgeExportResponse{Result: exportResults(res)}, nil
}

func (h *Handler) reexport(ctx context.Context, c *call, d *bodyDecoder) (any, error) {
	var req client.ReexportRequest
	if err := d.decode(&req); err != nil {
		return nil, err
	}
	if err := checkSequences(req.Sequence, MaxBatchItems); err != nil {
		return nil, err
	}
	res, err := h.opts.Store.Reexport(ctx, c.company.ID, req.Sequence, c.caller)
	if err != nil {
		return nil, err
	}
	return &client.ReexportResponse{Result: exportResults(res)}, nil
}

func exportResults(res []store.ExportResult) []*client.ExportResult {
	out := make([]*client.ExportResult, len(res))
	for i, r := range res {
		outcome := client.ExportOutcome(r.Outcome)
		out[i] = &client.ExportResult{Sequence: r.Seq, Outcome: &outcome}
	}
	return out
}

func (h *Handler) getExportLog(ctx context.Context, c *call, d *bodyDecoder) (any, error) {
	var req client.GetExportLogRequest
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
	f := store.ExportLogFilter{Company: c.company.ID, Seq: req.Sequence,
		At:   store.TimeRange{From: instant(req.From), To: instant(req.To)},
		Page: store.Page{Offset: int(req.Offset), Limit: limit}}
	if req.Action != nil {
		f.Action = store.ExportAction(*req.Action)
		if f.Action != store.ExportActionAcknowledge && f.Action != store.ExportActionReexport {
			return nil, clientFault("Action", string(f.Action), "must be acknowledge or reexport")
		}
	}
	entries, total, err := h.opts.Store.ExportLog(ctx, f)
	if err != nil {
		return nil, err
	}
	resp := &client.GetExportLogResponse{Total: int32(total)}
	for _, e := range entries {
		kind, action := client.ExportKind(e.Kind), client.ExportAction(e.Action)
		resp.Entry = append(resp.Entry, &client.ExportLogEntry{Id: e.ID, Sequence: e.Seq, Kind: &kind,
			Action: &action, At: dateTime(e.At), Caller: e.Caller})
	}
	return resp, nil
}
