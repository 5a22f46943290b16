package soap

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hooklift/gowsdl/soap"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/store"
)

// Code shapes of supply points. A POD is "IT", three digits of
// distributor code, "E", eight digits and optionally one more letter or
// digit. A PDR is fourteen digits.
var (
	podPattern = regexp.MustCompile(`^IT[0-9]{3}E[0-9]{8}[0-9A-Z]?$`)
	pdrPattern = regexp.MustCompile(`^[0-9]{14}$`)
)

// istatCodePattern is the shape of the ISTAT code of a municipality:
// three digits of province and three of municipality within it.
var istatCodePattern = regexp.MustCompile(`^[0-9]{6}$`)

// itemError is the failure of one batch item.
type itemError struct {
	element, value, message string
}

func (e *itemError) Error() string { return e.element + " " + quote(e.value) + ": " + e.message }

func itemFault(element, value, message string) error {
	return &itemError{element: element, value: value, message: message}
}

// updateRegistry applies a registry batch: the company first, then the
// customers, the sites and the supply points, so an item may refer to
// one created earlier in the same batch. Each item has its own result.
func (h *Handler) updateRegistry(ctx context.Context, c *call, d *bodyDecoder) (any, error) {
	var req client.UpdateRegistryRequest
	if err := d.decode(&req); err != nil {
		return nil, err
	}
	n := len(req.Customer) + len(req.Site) + len(req.SupplyPoint)
	if req.Company != nil {
		n++
	}
	if n > MaxBatchItems {
		return nil, clientFault("UpdateRegistryRequest", fmt.Sprint(n), fmt.Sprintf("more than %d items in one batch", MaxBatchItems))
	}
	resp := &client.UpdateRegistryResponse{}
	add := func(entity string, id, code *client.Code, err error) error {
		r, err := h.itemResult(c, entity, str(id), str(code), err)
		resp.Result = append(resp.Result, r)
		return err
	}
	if it := req.Company; it != nil {
		if err := add("company", it.ItemId, it.Code, h.putCompany(ctx, c, it)); err != nil {
			return nil, err
		}
	}
	for _, it := range req.Customer {
		if err := add("customer", it.ItemId, it.Code, h.putCustomer(ctx, c, it)); err != nil {
			return nil, err
		}
	}
	for _, it := range req.Site {
		if err := add("site", it.ItemId, it.Code, h.putSite(ctx, c, it)); err != nil {
			return nil, err
		}
	}
	for _, it := range req.SupplyPoint {
		if err := add("supplyPoint", it.ItemId, it.Code, h.putSupplyPoint(ctx, c, it)); err != nil {
			return nil, err
		}
	}
	return resp, nil
}

// itemResult converts the outcome of one item. An error that is not the
// item's own fails the whole call.
func (h *Handler) itemResult(c *call, entity, id, code string, err error) (*client.ItemResult, error) {
	ok, failed := client.ItemStatus("ok"), client.ItemStatus("error")
	r := &client.ItemResult{ItemId: id, Entity: entity, Code: code, Status: &ok}
	if err == nil {
		return r, nil
	}
	var ie *itemError
	switch {
	case errors.As(err, &ie):
	case errors.Is(err, store.ErrNotFound):
		ie = &itemError{element: "Code", value: code, message: "refers to something that does not exist: " + err.Error()}
	case errors.Is(err, store.ErrInvalid):
		ie = &itemError{element: "Code", value: code, message: err.Error()}
	default:
		return r, err
	}
	r.Status = &failed
	r.Fault = &client.FaultInfo{Item: id, Element: ie.element, Value: ie.value, Message: ie.message}
	return r, nil
}

func str[T ~string](p *T) string {
	if p == nil {
		return ""
	}
	return string(*p)
}

// setStr replaces *dst with the value of p when the element was present.
func setStr[T ~string](dst *string, p *T) {
	if p != nil {
		*dst = string(*p)
	}
}

// date converts an xsd:date; a zero value is an absent element.
func date(d soap.XSDDate) civil.Date {
	t := d.ToGoTime()
	if t.IsZero() || t.Year() <= 1 {
		return civil.Date{}
	}
	return civil.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
}

// applyValidity sets the validity of an item by its operation: create and
// update take ValidFrom and ValidTo when present; close requires ValidTo.
func applyValidity(op string, v *store.Validity, from, to soap.XSDDate) error {
	f, t := date(from), date(to)
	if op == "close" {
		if t.IsZero() {
			return itemFault("ValidTo", "", "is required to close")
		}
		v.To = t
		return checkValidTo(*v)
	}
	if !f.IsZero() {
		v.From = f
	}
	if !t.IsZero() {
		v.To = t
	}
	if v.From.IsZero() {
		return itemFault("ValidFrom", "", "is required")
	}
	return checkValidTo(*v)
}

// checkValidTo rejects a validity that ends before it starts.
func checkValidTo(v store.Validity) error {
	if !v.To.IsZero() && v.To.Before(v.From) {
		return itemFault("ValidTo", v.To.String(), "is before ValidFrom "+v.From.String())
	}
	return nil
}

// checkOperation validates the operation against whether the entity
// exists.
func checkOperation(op *client.Operation, exists bool) (string, error) {
	o := str(op)
	switch {
	case o != "create" && o != "update" && o != "close":
		return "", itemFault("Operation", o, "must be create, update or close")
	case o == "create" && exists:
		return "", itemFault("Code", "", "already exists; use update")
	case o != "create" && !exists:
		return "", itemFault("Code", "", "does not exist; use create")
	}
	return o, nil
}

// found reports whether err is nil, false for ErrNotFound, and returns
// any other error.
func found(err error) (bool, error) {
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// withCode fills the value of a Code fault.
func withCode(err error, code string) error {
	var ie *itemError
	if errors.As(err, &ie) && ie.element == "Code" && ie.value == "" {
		ie.value = code
	}
	return err
}

func (h *Handler) putCompany(ctx context.Context, c *call, it *client.CompanyItem) error {
	code := str(it.Code)
	if code != c.company.Code {
		return itemFault("Code", code, "is not the company of the credentials ("+c.company.Code+")")
	}
	d, err := h.opts.Store.CompanyDetails(ctx, c.company.ID)
	if err != nil {
		return err
	}
	exists := !d.Validity.From.IsZero()
	op, err := checkOperation(it.Operation, exists)
	if err != nil {
		return withCode(err, code)
	}
	setStr(&d.Name, it.Name)
	setStr(&d.VAT, it.VatNumber)
	setStr(&d.BillingKey, it.BillingKey)
	if err := applyValidity(op, &d.Validity, it.ValidFrom, it.ValidTo); err != nil {
		return err
	}
	if d.Name == "" {
		return itemFault("Name", "", "is required")
	}
	d.UpdatedAt = time.Time{}
	return h.opts.Store.UpdateCompanyDetails(ctx, d)
}

func (h *Handler) putCustomer(ctx context.Context, c *call, it *client.CustomerItem) error {
	code := str(it.Code)
	cust, err := h.opts.Store.Customer(ctx, c.company.ID, code)
	exists, err := found(err)
	if err != nil {
		return err
	}
	op, err := checkOperation(it.Operation, exists)
	if err != nil {
		return withCode(err, code)
	}
	cust.Company, cust.Code = c.company.ID, code
	setStr(&cust.Name, it.Name)
	setStr(&cust.TaxCode, it.TaxCode)
	setStr(&cust.VAT, it.VatNumber)
	if err := applyValidity(op, &cust.Validity, it.ValidFrom, it.ValidTo); err != nil {
		return err
	}
	if code == "" {
		return itemFault("Code", "", "is required")
	}
	if cust.Name == "" {
		return itemFault("Name", "", "is required")
	}
	cust.UpdatedAt = time.Time{}
	return h.opts.Store.PutCustomer(ctx, cust)
}

func (h *Handler) putSite(ctx context.Context, c *call, it *client.SiteItem) error {
	code := str(it.Code)
	site, err := h.opts.Store.Site(ctx, c.company.ID, code)
	exists, err := found(err)
	if err != nil {
		return err
	}
	op, err := checkOperation(it.Operation, exists)
	if err != nil {
		return withCode(err, code)
	}
	site.Company, site.Code = c.company.ID, code
	before := site
	setStr(&site.Customer, it.CustomerCode)
	setStr(&site.Name, it.Name)
	setStr(&site.Address, it.Address)
	setStr(&site.Municipality, it.Municipality)
	setStr(&site.Province, it.Province)
	if err := applyMunicipalityCode(&site, it.MunicipalityCode); err != nil {
		return err
	}
	if err := checkKeptMunicipalityCode(before, site, it.MunicipalityCode); err != nil {
		return err
	}
	if err := applyValidity(op, &site.Validity, it.ValidFrom, it.ValidTo); err != nil {
		return err
	}
	if code == "" {
		return itemFault("Code", "", "is required")
	}
	if site.Customer == "" {
		return itemFault("CustomerCode", "", "is required")
	}
	if _, err := h.opts.Store.Customer(ctx, c.company.ID, site.Customer); errors.Is(err, store.ErrNotFound) {
		return itemFault("CustomerCode", site.Customer, "names no customer of the company")
	}
	site.UpdatedAt = time.Time{}
	return h.opts.Store.PutSite(ctx, site)
}

func (h *Handler) putSupplyPoint(ctx context.Context, c *call, it *client.SupplyPointItem) error {
	// Billing may send a POD in lower case, so the code is upper-cased
	// before the lookup and the pattern check, as the store keeps it.
	code := store.CanonicalPOD(str(it.Code))
	p, err := h.opts.Store.SupplyPoint(ctx, c.company.ID, code)
	exists, err := found(err)
	if err != nil {
		return err
	}
	op, err := checkOperation(it.Operation, exists)
	if err != nil {
		return withCode(err, code)
	}
	p.Company, p.Code = c.company.ID, code
	if it.Commodity != nil {
		p.Commodity = store.Commodity(*it.Commodity)
	}
	setStr(&p.Site, it.SiteCode)
	setStr(&p.DistributorVAT, it.DistributorVat)
	setStr(&p.DistributorName, it.DistributorName)
	setStr(&p.BillingContractKey, it.BillingContractKey)
	setStr(&p.BillingSupplyKey, it.BillingSupplyKey)
	if err := applyTechnical(&p.Technical, it); err != nil {
		return err
	}
	if err := applyDispatching(&p, it); err != nil {
		return err
	}
	if err := applyValidity(op, &p.Validity, it.ValidFrom, it.ValidTo); err != nil {
		return err
	}
	if err := checkSupplyCode(p); err != nil {
		return err
	}
	if err := checkTechnicalCommodity(p); err != nil {
		return err
	}
	if err := checkDispatchingCommodity(p); err != nil {
		return err
	}
	if p.Site == "" {
		return itemFault("SiteCode", "", "is required")
	}
	if _, err := h.opts.Store.Site(ctx, c.company.ID, p.Site); errors.Is(err, store.ErrNotFound) {
		return itemFault("SiteCode", p.Site, "names no site of the company")
	}
	p.UpdatedAt = time.Time{}
	return h.opts.Store.PutSupplyPoint(ctx, p)
}

// applyMunicipalityCode validates the ISTAT code of the site's
// municipality, when the element is present, and copies it into site.
func applyMunicipalityCode(site *store.Site, code *client.IstatCode) error {
	if code == nil {
		return nil
	}
	if !istatCodePattern.MatchString(string(*code)) {
		return itemFault("MunicipalityCode", string(*code), "of site "+quote(site.Code)+
			" is not the ISTAT code of a municipality: want six digits, such as 066016")
	}
	site.MunicipalityCode = string(*code)
	return nil
}

// checkKeptMunicipalityCode rejects an update that moves a site to
// another municipality or province but leaves out the MunicipalityCode
// element, which would keep the ISTAT code of the old one. Relief matching trusts the
// code before the name, so the old code would keep deciding the relief.
// Setting a name or province where there was none, clearing one, or
// changing only its case or spacing is no move.
func checkKeptMunicipalityCode(before, after store.Site, code *client.IstatCode) error {
	if code != nil || after.MunicipalityCode == "" {
		return nil
	}
	if !changedWords(before.Municipality, after.Municipality) && !changedWords(before.Province, after.Province) {
		return nil
	}
	return itemFault("MunicipalityCode", "", "of site "+quote(after.Code)+" is missing: the update moves the site from "+
		quote(before.Municipality+" "+before.Province)+" to "+quote(after.Municipality+" "+after.Province)+
		" but would keep ISTAT code "+after.MunicipalityCode+". Send the code of the new municipality")
}

// changedWords reports whether both a and b are set and their words
// differ in more than case.
func changedWords(a, b string) bool {
	a, b = strings.Join(strings.Fields(a), " "), strings.Join(strings.Fields(b), " ")
	return a != "" && b != "" && !strings.EqualFold(a, b)
}

// checkSupplyCode checks the commodity and the shape of the code.
func checkSupplyCode(p store.SupplyPoint) error {
	switch p.Commodity {
	case store.Electricity:
		if !podPattern.MatchString(p.Code) {
			return itemFault("Code", p.Code, "is not a POD: want IT, three digits, E, eight digits")
		}
	case store.Gas:
		if !pdrPattern.MatchString(p.Code) {
			return itemFault("Code", p.Code, "is not a PDR: want fourteen digits")
		}
	default:
		return itemFault("Commodity", string(p.Commodity), "must be electricity or gas")
	}
	return nil
}
