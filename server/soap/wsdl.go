package soap

import (
	_ "embed"
	"net/http"
	"regexp"
	"strings"
)

//go:generate go tool gowsdl -p client -o client.go wsdl/dispatcher-v1.wsdl

// WSDL is the service description, version 1, as committed under wsdl/.
//
//go:embed wsdl/dispatcher-v1.wsdl
var WSDL []byte

// Namespace is the target namespace of the WSDL and of its schema.
const Namespace = "urn:bludispatcher:dispatcher:v1"

// schemaPattern matches the schema embedded in the WSDL's types section.
var schemaPattern = regexp.MustCompile(`(?s)<xsd:schema .*?</xsd:schema>`)

// Schema returns the XML Schema of the messages, taken from the WSDL as a
// standalone document. Tools such as xmllint validate message bodies
// against it.
func Schema() []byte {
	body := schemaPattern.Find(WSDL)
	// The schema uses the xsd prefix that the WSDL root element declares.
	body = []byte(strings.Replace(string(body), "<xsd:schema ",
		`<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" `, 1))
	return append([]byte("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"), body...)
}

// defaultAddress is the soap:address of the committed WSDL; serveWSDL
// replaces it with the address the request came to.
const defaultAddress = "http://localhost:8080/soap/v1"

// serveWSDL writes the WSDL (?wsdl) or its schema (?xsd).
func serveWSDL(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if r.URL.Query().Has("xsd") {
		_, _ = w.Write(Schema())
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	addr := scheme + "://" + r.Host + r.URL.Path
	_, _ = w.Write([]byte(strings.Replace(string(WSDL), defaultAddress, xmlEscape(addr), 1)))
}

// xmlEscape escapes the characters that may not appear in an attribute.
func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
