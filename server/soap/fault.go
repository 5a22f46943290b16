package soap

import (
	"encoding/xml"
	"errors"
	"net/http"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/server/soap/client"
	"github.com/bludispatcher/dispatcher/server/store"
)

// The SOAP 1.1 fault codes used.
const (
	// FaultClient is an error of the request: invalid, unauthorized or
	// naming something that does not exist.
	FaultClient = "Client"
	// FaultServer is every other error; the server log has the cause.
	FaultServer = "Server"
	// FaultVersionMismatch is an envelope of another SOAP version.
	FaultVersionMismatch = "VersionMismatch"
)

// Fault is a SOAP fault: its code, its faultstring and the element and
// value it is about. Every fault is sent with HTTP 500.
type Fault struct {
	Code    string
	Message string
	Detail  FaultInfo
	// Anomalies, when set, are the findings of an invalid distributor
	// request. The detail is then InvalidRequestDetail, not FaultDetail.
	Anomalies []anomaly.Anomaly
}

// FaultInfo is the FaultDetail element of the WSDL.
type FaultInfo struct {
	Item    string `xml:"Item,omitempty"`
	Element string `xml:"Element"`
	Value   string `xml:"Value,omitempty"`
	Message string `xml:"Message"`
}

func (f *Fault) Error() string { return f.Code + ": " + f.Message }

// clientFault returns a Client fault about element and its value.
func clientFault(element, value, message string) *Fault {
	return &Fault{Code: FaultClient, Message: element + " " + quote(value) + ": " + message,
		Detail: FaultInfo{Element: element, Value: value, Message: message}}
}

// quote returns value in double quotes, or "(empty)".
func quote(value string) string {
	if value == "" {
		return "(empty)"
	}
	return `"` + value + `"`
}

// errUnauthorized marks missing or unknown credentials.
var errUnauthorized = errors.New("unauthorized")

// storeFault converts a store error: not found, invalid arguments and
// ambiguous codes are Client faults, anything else a Server fault with no
// internal detail.
func storeFault(err error) *Fault {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return &Fault{Code: FaultClient, Message: "not found", Detail: FaultInfo{Element: "Body", Message: "not found"}}
	case errors.Is(err, store.ErrInvalid), errors.Is(err, store.ErrAmbiguous):
		return &Fault{Code: FaultClient, Message: err.Error(), Detail: FaultInfo{Element: "Body", Message: err.Error()}}
	}
	msg := "internal error; the server log has the details"
	return &Fault{Code: FaultServer, Message: msg, Detail: FaultInfo{Element: "Body", Message: msg}}
}

// faultXML is the SOAP 1.1 Fault element. Its children are unqualified.
type faultXML struct {
	XMLName xml.Name `xml:"soapenv:Fault"`
	Code    string   `xml:"faultcode"`
	String  string   `xml:"faultstring"`
	Detail  struct {
		// Info is a detailXML or an invalidRequestXML.
		Info any
	} `xml:"detail"`
}

// detailXML is FaultDetail in the service namespace.
type detailXML struct {
	XMLName xml.Name `xml:"urn:bludispatcher:dispatcher:v1 FaultDetail"`
	FaultInfo
}

// invalidRequestXML is InvalidRequestDetail in the service namespace.
type invalidRequestXML struct {
	XMLName xml.Name `xml:"urn:bludispatcher:dispatcher:v1 InvalidRequestDetail"`
	FaultInfo
	Anomaly []*client.Anomaly `xml:"Anomaly"`
}

func faultBody(f *Fault) faultXML {
	out := faultXML{Code: "soapenv:" + f.Code, String: f.Message}
	if len(f.Anomalies) == 0 {
		out.Detail.Info = detailXML{FaultInfo: f.Detail}
		return out
	}
	detail := invalidRequestXML{FaultInfo: f.Detail}
	for _, a := range f.Anomalies {
		detail.Anomaly = append(detail.Anomaly, anomalyOf(a))
	}
	out.Detail.Info = detail
	return out
}

// writeFault writes f with HTTP 500, as SOAP 1.1 over HTTP requires.
func writeFault(w http.ResponseWriter, f *Fault) {
	writeEnvelope(w, http.StatusInternalServerError, faultBody(f))
}
