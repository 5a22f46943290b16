package flows

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
)

// Report is the outcome of ValidateFile for one file.
type Report struct {
	// File is the base name of the file.
	File string
	// FlowCode is the CodFlusso of the header, as read.
	FlowCode string
	// Records is the number of DatiPod records read.
	Records int
	// RecordsBlocked counts the records with a blocking record-level
	// anomaly; RecordsOK the others.
	RecordsBlocked, RecordsOK int
	// FileBlocked reports a blocking file-level anomaly, which keeps the
	// whole file from loading.
	FileBlocked bool
	// Anomalies are every finding, in the order the checks ran: the name
	// and header first, then each record, then the file-wide checks.
	Anomalies Anomalies
}

// ValidateFile decodes a flow file from r and validates it with a new
// Validator. Malformed or truncated XML becomes a blocking file-level
// anomaly (rule "xml") after the anomalies of the records read before it,
// and the error is nil. The error is non-nil when r fails, when a
// Registry lookup or the AlreadyLoaded hook fails; the Report then holds
// what was found so far. It is also non-nil, before r is read, when opts
// name an unknown rule (see ValidateOptions.Check). Rule 11 runs only on a
// file read to its end.
func ValidateFile(name string, r io.Reader, opts ValidateOptions) (Report, error) {
	if err := opts.Check(); err != nil {
		return Report{File: baseName(name)}, err
	}
	// Hash the bytes only when rule 11 needs the digest.
	hash := sha256.New()
	if opts.AlreadyLoaded != nil {
		r = io.TeeReader(r, hash)
	}
	d := NewDecoderOptions(r, DecoderOptions{ReuseRecord: true})
	v := NewValidator(opts)
	rep := Report{File: baseName(name)}

	h, err := d.Header()
	if err != nil {
		return rep, v.reportDecodeError(&rep, err)
	}
	rep.FlowCode = h.FlowCode.Text
	start, err := v.Start(name, h)
	rep.Anomalies = append(rep.Anomalies, start...)
	if err != nil {
		return rep, err
	}
	complete := true
	for {
		rec, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if err := v.reportDecodeError(&rep, err); err != nil {
				return rep, err
			}
			complete = false
			break
		}
		rep.Anomalies = append(rep.Anomalies, v.Record(rec)...)
	}
	rep.Anomalies = append(rep.Anomalies, v.RootElements(d.TrailingExtra())...)
	rep.Anomalies = append(rep.Anomalies, v.Finish()...)
	if complete && opts.AlreadyLoaded != nil {
		var sum [32]byte
		hash.Sum(sum[:0])
		loaded, err := v.CheckDigest(sum)
		rep.Anomalies = append(rep.Anomalies, loaded...)
		if err != nil {
			return rep, err
		}
	}
	v.fillReport(&rep)
	return rep, nil
}

// reportDecodeError turns a syntax error of the decoder into a blocking
// file-level anomaly and returns any other error.
func (v *Validator) reportDecodeError(rep *Report, err error) error {
	var se *SyntaxError
	if !errors.As(err, &se) {
		v.fillReport(rep)
		return err
	}
	if v.file == "" {
		v.file = rep.File
	}
	v.add(&rep.Anomalies, RuleMalformed, int32(se.Line), "", se.Element, "",
		fmt.Sprintf("the file is not a well-formed flow at line %d, column %d: %v", se.Line, se.Column, se.Err))
	v.fillReport(rep)
	return nil
}

func (v *Validator) fillReport(rep *Report) {
	rep.Records, rep.RecordsBlocked = v.Stats()
	rep.RecordsOK = rep.Records - rep.RecordsBlocked
	for _, a := range rep.Anomalies {
		if a.Blocking() && a.Level == FileLevel {
			rep.FileBlocked = true
			break
		}
	}
}

// RootElements reports elements found directly under the root element
// that the schema does not define, such as those the decoder returns from
// TrailingExtra after the last DatiPod.
func (v *Validator) RootElements(extra []Element) Anomalies {
	var out Anomalies
	v.startCapping()
	for _, e := range extra {
		msg := fmt.Sprintf("element %s is not allowed under the root element", e.Name)
		if e.Name == "IdentificativiFlusso" {
			msg = "element IdentificativiFlusso must come before the first DatiPod"
		}
		v.addSchema(&out, RuleStructure, FileLevel, e.Line, "", e.Name, "", msg)
	}
	v.summariseDropped(&out, FileLevel, 0, "")
	return out
}
