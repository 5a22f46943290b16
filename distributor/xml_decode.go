package distributor

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// DecodeRequestXML reads the first Prestazione of a request flow into a
// Request. Elements are matched by name and path, so the attribute case and
// the date and number format of any profile read back. An element outside
// the catalogue is an error that names its path, so that no value is lost
// unnoticed. file is used in errors only.
func DecodeRequestXML(r io.Reader, file string) (*Request, error) {
	tr := newTreeReader(r, file)
	root, err := tr.next()
	if errors.Is(err, io.EOF) {
		return nil, &ParseError{File: file, Err: errors.New("no Prestazione element")}
	}
	if err != nil {
		return nil, err
	}
	req := &Request{Service: root.attr("cod_servizio")}
	if err := checkRequestFlow(req.Service, root.attr("cod_flusso")); err != nil {
		return nil, &ParseError{File: file, Line: root.line, Path: "cod_flusso", Err: err}
	}
	for _, c := range root.children {
		if err := decodeRequestNode(req, c, "", file); err != nil {
			return nil, err
		}
	}
	return req, nil
}

// checkRequestFlow rejects a flow code that is not the request flow of a
// standard service, such as an outcome read as a request. Services of
// profiles are not known here and pass.
func checkRequestFlow(service, flow string) error {
	svc, ok := StandardService(service)
	if !ok || flow == "" {
		return nil
	}
	want, _ := svc.Flow(PhaseRequest)
	if flow != want {
		return fmt.Errorf("flow %q is not the request flow %s of service %s", flow, want, service)
	}
	return nil
}

func decodeRequestNode(req *Request, n *node, prefix, file string) error {
	path := prefix + n.name
	if path == extraPath {
		return decodeExtra(req, n, file)
	}
	if len(n.children) > 0 {
		for _, c := range n.children {
			if err := decodeRequestNode(req, c, path+"/", file); err != nil {
				return err
			}
		}
		return nil
	}
	f, ok := lookupField(path)
	if !ok {
		return &ParseError{File: file, Line: n.line, Path: path, Err: errors.New("unknown element: not in the request catalogue")}
	}
	if err := f.setText(req, n.text); err != nil {
		return &ParseError{File: file, Line: n.line, Path: path, Err: err}
	}
	return nil
}

func decodeExtra(req *Request, n *node, file string) error {
	for _, d := range n.children {
		name := d.attr("nome")
		if !strings.EqualFold(d.name, "Dato") || name == "" {
			return &ParseError{File: file, Line: d.line, Path: extraPath + "/" + d.name,
				Err: fmt.Errorf("want Dato elements with a nome attribute")}
		}
		if req.Extra == nil {
			req.Extra = map[string]string{}
		}
		req.Extra[name] = d.text
	}
	return nil
}
