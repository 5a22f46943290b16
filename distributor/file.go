package distributor

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// File is one upload to a distributor, ready to be written into the
// delivery folder.
type File struct {
	// Folder is the delivery folder, relative to the outbox.
	Folder string
	// Name is the file name: the request file, or the zip archive that
	// contains it.
	Name string
	// Inner is the name of the request file inside the zip archive, or ""
	// when the file is not zipped.
	Inner string
	// Data is the file's content.
	Data []byte
	// Service is the service code of the requests in the file.
	Service string
	// Flow is the request flow code.
	Flow string
	// CaseNumbers are the seller case numbers of the requests, in file
	// order.
	CaseNumbers []string
	// Warnings are the non-blocking anomalies of the requests.
	Warnings Anomalies
}

// FileOptions are the settings of BuildFile.
type FileOptions struct {
	// Seq is the upload's progressive number; see NameData.Seq.
	Seq int64
	// Day is the upload day for the name; zero means today in Europe/Rome.
	Day civil.Date
	// Names, when set, rejects a name used before; nil skips the check.
	Names NameRegistry
	// Validate holds the validation settings; its Profile is set to the
	// profile of the file.
	Validate ValidateOptions
}

// InvalidRequestError is returned by BuildFile when requests have blocking
// anomalies. It wraps ErrInvalidRequest.
type InvalidRequestError struct {
	// Anomalies are every finding of the requests, blocking or not.
	Anomalies Anomalies
}

func (e *InvalidRequestError) Error() string {
	var first Anomaly
	n := 0
	for _, a := range e.Anomalies {
		if a.Blocking() {
			if n == 0 {
				first = a
			}
			n++
		}
	}
	if n == 1 {
		return fmt.Sprintf("%v: %s", ErrInvalidRequest, first)
	}
	return fmt.Sprintf("%v: %s, and %d more blocking anomalies", ErrInvalidRequest, first, n-1)
}

// Unwrap returns ErrInvalidRequest.
func (e *InvalidRequestError) Unwrap() error { return ErrInvalidRequest }

// BuildFile validates requests and writes them as one upload under the
// profile: one request per XML file, or requests of one service per CSV
// file. It names the file from the template, reserves the name, and zips
// the file when the profile sets Zip. A request with a blocking anomaly
// fails the whole file with an *InvalidRequestError.
func BuildFile(p *Profile, reqs []*Request, o FileOptions) (*File, error) {
	if p == nil {
		return nil, fmt.Errorf("%w: BuildFile needs a profile", ErrProfile)
	}
	if len(reqs) == 0 {
		return nil, fmt.Errorf("distributor: no requests to write")
	}
	if p.Format == "xml" && len(reqs) > 1 {
		return nil, fmt.Errorf("distributor: profile %s sends one request per XML file, got %d", p.ID, len(reqs))
	}
	svc, ok := p.Service(reqs[0].Service)
	if !ok {
		return nil, fmt.Errorf("%w %q (profile %s)", ErrUnknownService, reqs[0].Service, p.ID)
	}
	f := &File{Service: svc.Code}
	f.Flow, _ = svc.Flow(PhaseRequest)
	if err := validateAll(f, p, reqs, o.Validate); err != nil {
		return nil, err
	}

	var body bytes.Buffer
	var err error
	if p.Format == "csv" {
		err = EncodeCSV(&body, reqs, p)
	} else {
		err = EncodeXML(&body, reqs[0], p)
	}
	if err != nil {
		return nil, err
	}

	nd := nameData(p, svc.Code, f.Flow, reqs[0], o)
	name := p.FileName(nd)
	f.Folder = p.FolderName(nd)
	f.Name, f.Data = name, body.Bytes()
	if p.Zip {
		f.Inner = name
		f.Name = strings.TrimSuffix(name, pathExt(name)) + ".zip"
		if f.Data, err = zipOne(name, body.Bytes(), nd.Day); err != nil {
			return nil, err
		}
	}
	if o.Names != nil {
		if err := o.Names.Reserve(p.ID, f.Name); err != nil {
			return nil, err
		}
	}
	return f, nil
}

func validateAll(f *File, p *Profile, reqs []*Request, vo ValidateOptions) error {
	vo.Profile = p
	var all anomaly.List
	for _, r := range reqs {
		all = append(all, Validate(r, vo)...)
		f.CaseNumbers = append(f.CaseNumbers, r.IDs.CaseNumber)
	}
	if all.HasBlocking() {
		return &InvalidRequestError{Anomalies: all}
	}
	f.Warnings = all
	return nil
}

func nameData(p *Profile, service, flow string, r *Request, o FileOptions) NameData {
	day := o.Day
	if day.IsZero() {
		day = civil.DateOf(time.Now().In(civil.Rome))
	}
	vat := r.IDs.DistributorVAT
	if vat == "" {
		vat = p.DistributorVAT
	}
	return NameData{
		Service: service, Flow: flow, CaseNumber: r.IDs.CaseNumber,
		SellerVAT: r.IDs.SellerVAT, DistributorVAT: vat, Day: day, Seq: o.Seq,
	}
}

func pathExt(name string) string {
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		return name[i:]
	}
	return ""
}

// zipOne returns a zip archive with one file, dated at noon of day so that
// the same input gives the same bytes.
func zipOne(name string, data []byte, day civil.Date) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	h := &zip.FileHeader{Name: name, Method: zip.Deflate,
		Modified: time.Date(day.Year, day.Month, day.Day, 12, 0, 0, 0, time.UTC)}
	w, err := zw.CreateHeader(h)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
