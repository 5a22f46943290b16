package distributor

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/transform"
)

// CSV column names of the attributes of Prestazione.
const (
	columnService = "cod_servizio"
	columnFlow    = "cod_flusso"
)

// CSVColumns returns the column names of a service's CSV variant: the
// service and flow codes, each element the service sends (parent element
// and element joined by "_", such as "UbicazionePod_via") and each declared
// extra field, in that order.
func CSVColumns(svc *Service, p *Profile) []string {
	cols := []string{columnService, columnFlow}
	use := usage(standard, svc, p.requiredFor(svc.Code))
	for i := range fields {
		if _, ok := use[fields[i].path]; ok {
			cols = append(cols, fields[i].column())
		}
	}
	for _, e := range svc.Extra {
		cols = append(cols, e.Name)
	}
	if p != nil && p.CSV.UpperColumns {
		for i := range cols {
			cols[i] = strings.ToUpper(cols[i])
		}
	}
	return cols
}

// EncodeCSV writes requests of one service as the profile's CSV variant:
// one row per request, with the profile's delimiter, encoding, header and
// date format. Dates default to dd/mm/yyyy in CSV. Like EncodeXML it does
// not validate.
func EncodeCSV(w io.Writer, reqs []*Request, p *Profile) error {
	if len(reqs) == 0 {
		return fmt.Errorf("distributor: no requests to write")
	}
	svc, ok := p.Service(reqs[0].Service)
	if !ok {
		return fmt.Errorf("%w %q", ErrUnknownService, reqs[0].Service)
	}
	layout := CSVLayout{}
	if p != nil {
		layout = p.CSV
	}

	cw, closeEncoding, err := newCSVWriter(w, layout)
	if err != nil {
		return err
	}
	if layout.Header {
		if err := cw.Write(CSVColumns(svc, p)); err != nil {
			return err
		}
	}

	vf := p.valueFormat()
	vf.italianDates = layout.DateFormat != "iso"
	for i, r := range reqs {
		if r.Service != svc.Code {
			return fmt.Errorf("distributor: request %d is service %q but the file is service %s: write one CSV file per service", i+1, r.Service, svc.Code)
		}
		if err := cw.Write(csvRow(r, svc, p, vf)); err != nil {
			return err
		}
	}

	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return closeEncoding()
}

// newCSVWriter returns a csv.Writer for the layout and a function that
// flushes the encoder below it.
func newCSVWriter(w io.Writer, layout CSVLayout) (*csv.Writer, func() error, error) {
	enc, err := encodingByName(layout.Encoding)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: csv: %v", ErrProfile, err)
	}
	closer := func() error { return nil }
	if enc != nil {
		ew := transform.NewWriter(w, enc.NewEncoder())
		w = ew
		closer = ew.Close
	}
	cw := csv.NewWriter(w)
	if layout.Delimiter != "" {
		d, size := utf8.DecodeRuneInString(layout.Delimiter)
		if size != len(layout.Delimiter) {
			return nil, nil, fmt.Errorf("%w: csv delimiter %q: want one character", ErrProfile, layout.Delimiter)
		}
		cw.Comma = d
	}
	cw.UseCRLF = layout.CRLF
	return cw, closer, nil
}

func csvRow(r *Request, svc *Service, p *Profile, vf valueFormat) []string {
	req := *r
	if req.IDs.DistributorVAT == "" && p != nil {
		req.IDs.DistributorVAT = p.DistributorVAT
	}
	flow, _ := svc.Flow(PhaseRequest)
	row := []string{svc.Code, flow}
	use := usage(standard, svc, p.requiredFor(svc.Code))
	for i := range fields {
		if _, ok := use[fields[i].path]; ok {
			value, _ := fields[i].text(&req, vf)
			row = append(row, value)
		}
	}
	for _, e := range svc.Extra {
		row = append(row, req.Extra[e.Name])
	}
	return row
}
