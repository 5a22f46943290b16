package soap

import (
	"testing"

	"github.com/bludispatcher/dispatcher/server/soap/client"
)

func FuzzParseEnvelope(f *testing.F) {
	f.Add([]byte(`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>` +
		`<FetchExportRequest xmlns="urn:bludispatcher:dispatcher:v1"><Sequence>1</Sequence></FetchExportRequest>` +
		`</soapenv:Body></soapenv:Envelope>`))
	f.Add([]byte(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header>` +
		`<wsse:Security xmlns:wsse="` + wsseNS + `"><wsse:UsernameToken><wsse:Username>u</wsse:Username>` +
		`<wsse:Password>p</wsse:Password></wsse:UsernameToken></wsse:Security></s:Header><s:Body>` +
		`<ListLoadsRequest xmlns="urn:bludispatcher:dispatcher:v1"/></s:Body></s:Envelope>`))
	f.Add([]byte(`<!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>`))
	f.Add([]byte(`<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body/></env:Envelope>`))
	f.Add([]byte(`<a><b><c><d></d></c></b></a>`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		if len(raw) > 64<<10 {
			return
		}
		if rejectDeclarations(raw) != nil {
			return
		}
		env, err := parseEnvelope(raw)
		if err != nil {
			return
		}
		if env.body == nil {
			t.Fatal("an envelope without error must have a request element")
		}
		var req client.FetchExportRequest
		_ = env.body.decode(&req)
	})
}
