package soap

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/bludispatcher/dispatcher/server/siireport"
	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/workbook"
	"github.com/bludispatcher/dispatcher/sii"
)

// compareRegistryExtract returns siireport.Compare of the requested month,
// the comparison the JSON API serves, with its workbook.
func (h *Handler) compareRegistryExtract(ctx context.Context, c *call, d *bodyDecoder) (any, error) {
	var req client.CompareRegistryExtractRequest
	if err := d.decode(&req); err != nil {
		return nil, err
	}
	text := str(req.Month)
	month, err := workbook.ParseMonth(text)
	if err != nil {
		return nil, clientFault("Month", text, "must be yyyy-mm")
	}
	ok, err := siireport.HasExtract(ctx, h.opts.Store, c.company.ID, month)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, clientFault("Month", text, "no RCU extract of the company is loaded for this month")
	}
	cmp, err := siireport.Compare(ctx, h.opts.Store, c.company.ID, month, str(req.Distributor))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := sii.WriteComparisonXLSX(&buf, cmp); err != nil {
		return nil, fmt.Errorf("write comparison workbook: %w", err)
	}
	if err := h.checkWorkbookSize(buf.Len()); err != nil {
		return nil, err
	}
	m := client.Month(month.String())
	resp := &client.CompareRegistryExtractResponse{Month: &m, WorkbookName: "rcu-comparison-" + month.String() + ".xlsx",
		Workbook: base64Text(buf.Bytes())}
	for _, g := range cmp.Distributors {
		resp.Distributor = append(resp.Distributor, distributorComparison(g))
	}
	for _, rec := range cmp.CRPP {
		resp.CrppPod = append(resp.CrppPod, rec.Key())
	}
	return resp, nil
}

func distributorComparison(g sii.DistributorComparison) *client.DistributorComparison {
	out := &client.DistributorComparison{DistributorVat: g.DistributorVAT, DistributorName: g.DistributorName,
		SiiCount: int32(g.SIICount), BillingCount: int32(g.BillingCount)}
	for _, rec := range g.OnlyInSII {
		out.OnlyInSii = append(out.OnlyInSii, rec.Key())
	}
	for _, p := range g.OnlyInBilling {
		out.OnlyInBilling = append(out.OnlyInBilling, sii.PODKey(p.POD))
	}
	for _, diff := range g.Differences {
		out.Difference = append(out.Difference, &client.FieldDifference{Pod: diff.POD, Field: diff.Field,
			SiiValue: diff.SII, BillingValue: diff.Billing})
	}
	return out
}

// getBonusReport returns siireport.ComputeBenefitsIn, the report the JSON
// API serves, for the extract in force on the requested date. Relief is
// checked from Date to To, which must lie in the month of Date because
// a later month may have a newer extract.
func (h *Handler) getBonusReport(ctx context.Context, c *call, d *bodyDecoder) (any, error) {
	var req client.GetBonusReportRequest
	if err := d.decode(&req); err != nil {
		return nil, err
	}
	at := date(req.Date)
	if at.IsZero() {
		return nil, clientFault("Date", "", "is required")
	}
	to := date(req.To)
	switch {
	case to.IsZero():
		to = at
	case to.Before(at):
		return nil, clientFault("To", to.String(), "is before Date "+at.String()+"; give a day from Date to the end of its month")
	case !at.MonthOf().Contains(to):
		return nil, clientFault("To", to.String(), "is after the month of Date "+at.String()+"; request each month separately")
	}
	month, err := siireport.ExtractMonthAt(ctx, h.opts.Store, c.company.ID, at)
	if errors.Is(err, siireport.ErrNoExtract) {
		return nil, clientFault("Date", at.String(), "no RCU extract of the company is loaded for this month or an earlier one")
	}
	if err != nil {
		return nil, err
	}
	b, err := siireport.ComputeBenefitsIn(ctx, h.opts.Store, c.company.ID, month, at, at, to)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := sii.WriteBenefitsXLSX(&buf, at, b.Bonuses, b.Relief); err != nil {
		return nil, fmt.Errorf("write benefits workbook: %w", err)
	}
	if err := h.checkWorkbookSize(buf.Len()); err != nil {
		return nil, err
	}
	m := client.Month(month.String())
	resp := &client.GetBonusReportResponse{Month: &m, Date: xsdDate(at), Relief: reliefReport(b.Relief),
		WorkbookName: "rcu-benefits-" + at.String() + ".xlsx", Workbook: base64Text(buf.Bytes())}
	for _, e := range b.Bonuses {
		resp.Bonus = append(resp.Bonus, &client.BonusPoint{Pod: e.POD, DistributorVat: e.Record.DistributorVAT,
			Economic: e.Economic, Physical: e.Physical, Communication: e.Communication})
	}
	return resp, nil
}

func reliefReport(r *sii.ReliefResult) *client.ReliefReport {
	l := r.List
	out := &client.ReliefReport{Measure: l.Measure, LegalSource: l.LegalSource, ValidFrom: l.ValidFrom,
		ValidTo: l.ValidTo, Complete: l.Complete, Active: r.Active, Unlocated: r.Unlocated,
		From: xsdDate(r.From), To: xsdDate(r.To)}
	for _, p := range r.Points {
		matchedBy := client.ReliefMatch(p.MatchedBy)
		out.Point = append(out.Point, &client.ReliefPoint{Pod: p.POD, Municipality: p.Municipality.Name,
			Province: p.Municipality.Province, SiteMunicipalityCode: p.Municipality.ISTATCode,
			IstatCode: p.Entry.ISTATCode, Annex: p.Entry.Annex, MatchedBy: &matchedBy,
			CoveredFrom: xsdDate(p.CoveredFrom), CoveredTo: xsdDate(p.CoveredTo)})
	}
	return out
}

// checkWorkbookSize rejects a workbook larger than Options.MaxOriginal.
func (h *Handler) checkWorkbookSize(n int) error {
	if int64(n) > h.opts.MaxOriginal {
		return clientFault("Body", fmt.Sprint(n), fmt.Sprintf("the workbook is %d bytes, more than the %d returned over SOAP; use the JSON API", n, h.opts.MaxOriginal))
	}
	return nil
}
