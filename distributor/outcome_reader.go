package distributor

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
)

// OutcomeReader reads the outcomes of a file one Prestazione at a time. A
// file usually holds one outcome; a file that wraps several Prestazione
// elements in another root reads the same way.
type OutcomeReader struct {
	tr      *treeReader
	file    string
	profile *Profile
	read    int
}

// NewOutcomeReader returns a reader of the outcomes in r. file is the file
// name written into outcomes, errors and anomalies. The profile resolves
// the distributor's own services, and nil means the standard ones only.
func NewOutcomeReader(r io.Reader, file string, p *Profile) *OutcomeReader {
	return &OutcomeReader{tr: newTreeReader(r, file), file: file, profile: p}
}

// Next returns the next outcome with the anomalies of its values, or io.EOF
// after the last one. Values that do not parse become anomalies and leave
// the outcome readable. Broken XML ends the reading with a *ParseError, and
// so does a file without any Prestazione element.
func (o *OutcomeReader) Next() (*Outcome, Anomalies, error) {
	root, err := o.tr.next()
	if errors.Is(err, io.EOF) && o.read == 0 {
		o.read = -1
		return nil, nil, &ParseError{File: o.file, Err: errors.New("no Prestazione element: not an outcome file")}
	}
	if err != nil {
		return nil, nil, err
	}
	o.read++
	p := outcomeParser{file: o.file, out: &Outcome{File: o.file, Line: root.line}}
	p.parse(root, o.profile)
	return p.out, p.anomalies, nil
}

// ReadOutcomes reads every outcome of r. It returns the outcomes read
// before a syntax error together with that error.
func ReadOutcomes(r io.Reader, file string, p *Profile) ([]*Outcome, Anomalies, error) {
	rd := NewOutcomeReader(r, file, p)
	var outs []*Outcome
	var all anomaly.List
	for {
		o, as, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return outs, all, nil
		}
		if err != nil {
			return outs, all, err
		}
		outs = append(outs, o)
		all = append(all, as...)
	}
}

type outcomeParser struct {
	file      string
	out       *Outcome
	anomalies anomaly.List
}

func (p *outcomeParser) add(code string, line int, path, value, msg string) {
	p.anomalies = append(p.anomalies, Anomaly{
		Code: code, Rule: "outcome", Severity: anomaly.Blocking, Level: anomaly.RecordLevel,
		File: p.file, Line: line, Key: p.out.IDs.CaseNumber, Field: path, Value: value, Message: msg,
	})
}

func (p *outcomeParser) parse(root *node, prof *Profile) {
	o := p.out
	o.Service = root.attr("cod_servizio")
	o.Flow = root.attr("cod_flusso")
	if ids := root.child("IdentificativiRichiesta"); ids != nil {
		p.identifiers(ids)
	}
	for _, c := range root.children {
		switch strings.ToLower(c.name) {
		case "identificativirichiesta":
		case "ammissibilita":
			p.admissibility(c)
		case "esito":
			o.Result = p.result(c, "Esito")
		case "causale":
			o.Reasons = append(o.Reasons, reason(c))
		case "note":
			o.Note = c.text
		case "datitecnici":
			p.data(c, "")
		default:
			p.other(c, "")
		}
	}
	o.Phase = p.phase(root, prof)
	if o.IDs.CaseNumber == "" {
		p.add(CodeMissing, root.line, "IdentificativiRichiesta/cod_prat_utente", "",
			"missing cod_prat_utente: the outcome cannot be matched to a request")
	}
}

func (p *outcomeParser) identifiers(n *node) {
	for _, c := range n.children {
		path := "IdentificativiRichiesta/" + c.name
		f, ok := lookupField(path)
		if !ok {
			p.other(c, "IdentificativiRichiesta/")
			continue
		}
		var r Request
		if err := f.setText(&r, c.text); err != nil {
			p.add(CodeOutcome, c.line, path, c.text, err.Error())
			continue
		}
		p.out.IDs.copyField(&r.IDs, c.name)
	}
}

// copyField copies one element of IdentificativiRichiesta from src.
func (ids *Identifiers) copyField(src *Identifiers, name string) {
	switch name {
	case "piva_utente":
		ids.SellerVAT = src.SellerVAT
	case "piva_distr":
		ids.DistributorVAT = src.DistributorVAT
	case "cod_prat_utente":
		ids.CaseNumber = src.CaseNumber
	case "cod_prat_distr":
		ids.DistributorCase = src.DistributorCase
	case "cod_contr_disp":
		ids.DispatchingContract = src.DispatchingContract
	case "data_ricenzione":
		ids.ReceivedOn = src.ReceivedOn
	}
}

func (p *outcomeParser) admissibility(n *node) {
	for _, c := range n.children {
		switch strings.ToLower(c.name) {
		case "verifica_amm":
			p.out.Result = p.result(c, "Ammissibilita/verifica_amm")
		case "causale":
			p.out.Reasons = append(p.out.Reasons, reason(c))
		default:
			p.other(c, "Ammissibilita/")
		}
	}
}

// result reads 1 or 0; SI and NO are accepted too.
func (p *outcomeParser) result(n *node, path string) Result {
	p.out.ResultText = n.text
	switch strings.ToUpper(n.text) {
	case "1", "SI":
		return ResultPositive
	case "0", "NO":
		return ResultNegative
	}
	p.add(CodeOutcome, n.line, path, n.text, fmt.Sprintf("invalid %s %q: want 1 (positive) or 0 (negative)", n.name, n.text))
	return ResultNone
}

func reason(n *node) Reason {
	var r Reason
	if c := n.child("cod_causale"); c != nil {
		r.Code = c.text
	} else {
		r.Code = n.text
	}
	if c := n.child("des_causale"); c != nil {
		r.Description = c.text
	}
	return r
}

// other keeps an element outside the known ones, by path, in Data.Other.
func (p *outcomeParser) other(n *node, prefix string) {
	path := prefix + n.name
	if len(n.children) == 0 {
		if p.out.Data.Other == nil {
			p.out.Data.Other = map[string]string{}
		}
		p.out.Data.Other[path] = n.text
		return
	}
	for _, c := range n.children {
		p.other(c, path+"/")
	}
}

// phase returns the phase of the flow code for a known service, or guesses
// it from the content for a service the profile does not declare.
func (p *outcomeParser) phase(root *node, prof *Profile) Phase {
	o := p.out
	if svc, ok := prof.Service(o.Service); ok {
		ph, ok := svc.PhaseOf(o.Flow)
		switch {
		case !ok:
			p.add(CodeOutcome, root.line, "cod_flusso", o.Flow,
				fmt.Sprintf("flow %q is not a flow of service %s", o.Flow, o.Service))
		case ph == PhaseRequest:
			p.add(CodeOutcome, root.line, "cod_flusso", o.Flow,
				fmt.Sprintf("flow %s is the request flow of service %s, not an outcome", o.Flow, o.Service))
		default:
			return ph
		}
		return ""
	}
	p.add(CodeService, root.line, "cod_servizio", o.Service,
		fmt.Sprintf("unknown service %q: the phase is read from the content; add the service to the distributor's profile", o.Service))
	switch {
	case root.child("Ammissibilita") != nil:
		return PhaseAdmissibility
	case root.child("Esito") != nil:
		return PhaseOutcome
	case root.child("DatiTecnici") != nil:
		return PhaseMeterData
	}
	return ""
}
