package soap

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// Namespaces of the envelope and of the WS-Security header.
const (
	envNS11 = "http://schemas.xmlsoap.org/soap/envelope/"
	envNS12 = "http://www.w3.org/2003/05/soap-envelope"
	wsseNS  = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
)

// envelope is a parsed request: the credentials of its header and the
// decoder positioned on the first element of its body.
type envelope struct {
	security *usernameToken
	name     xml.Name
	body     *bodyDecoder
}

// usernameToken is the WS-Security UsernameToken of a request header.
type usernameToken struct {
	Username string `xml:"UsernameToken>Username"`
	Password string `xml:"UsernameToken>Password"`
}

// bodyDecoder decodes the request element of the body.
type bodyDecoder struct {
	dec   *xml.Decoder
	start xml.StartElement
}

// decode decodes the request element into v and reports a decoding error
// as a Client fault naming the element.
func (b *bodyDecoder) decode(v any) error {
	if err := b.dec.DecodeElement(v, &b.start); err != nil {
		return clientFault(b.start.Name.Local, "", "invalid request: "+err.Error())
	}
	return nil
}

// readEnvelope reads a bounded request body, rejects document type and
// entity declarations before any decoding, and walks the envelope to the
// request element.
func readEnvelope(w http.ResponseWriter, r *http.Request) (*envelope, error) {
	if r.ContentLength > MaxRequestBody {
		return nil, clientFault("Envelope", fmt.Sprint(r.ContentLength), fmt.Sprintf("request larger than %d bytes", MaxRequestBody))
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxRequestBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, clientFault("Envelope", "", fmt.Sprintf("request larger than %d bytes", MaxRequestBody))
	}
	if err != nil {
		return nil, clientFault("Envelope", "", "reading the request failed: "+err.Error())
	}
	if err := rejectDeclarations(raw); err != nil {
		return nil, err
	}
	return parseEnvelope(raw)
}

// rejectDeclarations rejects a DOCTYPE or ENTITY declaration anywhere in
// the request, so no entity is ever defined or expanded.
func rejectDeclarations(raw []byte) error {
	for _, mark := range []string{"<!DOCTYPE", "<!ENTITY"} {
		if bytes.Contains(bytes.ToUpper(raw), []byte(mark)) {
			return clientFault("Envelope", mark, "document type and entity declarations are not accepted")
		}
	}
	return nil
}

// checkDepth rejects a request whose elements nest deeper than MaxDepth
// anywhere, Header and Body included. It reads raw tokens only, so it
// stops at the first level beyond the limit without decoding the rest.
func checkDepth(raw []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(raw))
	depth := 0
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return clientFault("Envelope", "", "malformed XML: "+err.Error())
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
			if depth > MaxDepth {
				return clientFault("Envelope", fmt.Sprint(depth), fmt.Sprintf("elements nesting deeper than %d levels are not accepted", MaxDepth))
			}
		case xml.EndElement:
			depth--
		}
	}
}

// parseEnvelope checks the nesting depth of the whole request, then walks
// the envelope to the request element.
func parseEnvelope(raw []byte) (*envelope, error) {
	if err := checkDepth(raw); err != nil {
		return nil, err
	}
	dec := xml.NewDecoder(bytes.NewReader(raw))
	env := &envelope{}
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, clientFault("Envelope", "", "malformed XML: "+err.Error())
		}
		switch t := tok.(type) {
		case xml.Directive:
			return nil, clientFault("Envelope", "<!"+string(t)+">", "document type and entity declarations are not accepted")
		case xml.StartElement:
			depth++
			done, err := env.start(dec, t, depth)
			if err != nil || done {
				return env, err
			}
			if t.Name.Local == "Header" && depth == 2 {
				depth-- // start consumed the whole header
			}
		case xml.EndElement:
			depth--
			if depth == 0 {
				return nil, clientFault("Body", "", "the body has no request element")
			}
		}
	}
}

// start handles one start tag of the envelope; done reports that the
// request element was found.
func (env *envelope) start(dec *xml.Decoder, t xml.StartElement, depth int) (bool, error) {
	switch depth {
	case 1:
		if t.Name.Space == envNS12 {
			return false, &Fault{Code: FaultVersionMismatch, Message: "SOAP 1.2 is not served; send a SOAP 1.1 envelope",
				Detail: FaultInfo{Element: "Envelope", Value: t.Name.Space}}
		}
		if t.Name.Space != envNS11 || t.Name.Local != "Envelope" {
			return false, clientFault("Envelope", t.Name.Space+" "+t.Name.Local, "the root element is not a SOAP 1.1 Envelope")
		}
	case 2:
		switch {
		case t.Name.Space == envNS11 && t.Name.Local == "Header":
			return false, env.readHeader(dec)
		case t.Name.Space == envNS11 && t.Name.Local == "Body":
		default:
			return false, clientFault("Envelope", t.Name.Local, "unexpected element in the Envelope")
		}
	case 3:
		env.name = t.Name
		env.body = &bodyDecoder{dec: dec, start: t}
		return true, nil
	}
	return false, nil
}

// readHeader reads the header entries, keeping the WS-Security token.
func (env *envelope) readHeader(dec *xml.Decoder) error {
	for {
		tok, err := dec.Token()
		if err != nil {
			return clientFault("Header", "", "malformed XML: "+err.Error())
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space == wsseNS && t.Name.Local == "Security" {
				env.security = &usernameToken{}
				if err := dec.DecodeElement(env.security, &t); err != nil {
					return clientFault("Security", "", "invalid WS-Security header: "+err.Error())
				}
				continue
			}
			if err := dec.Skip(); err != nil {
				return clientFault("Header", "", "malformed XML: "+err.Error())
			}
		case xml.EndElement:
			return nil
		}
	}
}

// responseEnvelope is the envelope of every response. The prefixed names
// make encoding/xml write the soapenv prefix declared by NS.
type responseEnvelope struct {
	XMLName xml.Name `xml:"soapenv:Envelope"`
	NS      string   `xml:"xmlns:soapenv,attr"`
	Body    struct {
		Content any
	} `xml:"soapenv:Body"`
}

// writeResponse writes a successful response.
func writeResponse(w http.ResponseWriter, content any) {
	writeEnvelope(w, http.StatusOK, content)
}

func writeEnvelope(w http.ResponseWriter, status int, content any) {
	env := responseEnvelope{NS: envNS11}
	env.Body.Content = content
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	if err := xml.NewEncoder(&buf).Encode(env); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(xml.Header)
		_ = xml.NewEncoder(&buf).Encode(responseEnvelope{NS: envNS11,
			Body: struct{ Content any }{faultBody(&Fault{Code: FaultServer, Message: "encoding the response failed"})}})
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
