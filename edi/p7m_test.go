package edi

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// CMS structures of RFC 5652, enough to build a SignedData in tests.
type testContentInfo struct {
	Type    asn1.ObjectIdentifier
	Content asn1.RawValue // [0] EXPLICIT, built by hand
}

type testEncapContent struct {
	Type    asn1.ObjectIdentifier
	Content []byte `asn1:"explicit,optional,tag:0"`
}

type testIssuerSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

type testSignerInfo struct {
	Version   int
	SID       testIssuerSerial
	Digest    pkix.AlgorithmIdentifier
	Algorithm pkix.AlgorithmIdentifier
	Signature []byte
}

type testSignedData struct {
	Version      int
	Digests      []pkix.AlgorithmIdentifier `asn1:"set"`
	Encap        testEncapContent
	Certificates asn1.RawValue    `asn1:"optional,tag:0"`
	Signers      []testSignerInfo `asn1:"set"`
}

var (
	oidData      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSHA256    = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidECDSA256  = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	testDocument = []byte(`<?xml version="1.0"?><FatturaElettronica versione="FPR12"><FatturaElettronicaHeader/>` +
		`<FatturaElettronicaBody><DatiGenerali><DatiGeneraliDocumento><TipoDocumento>TD01</TipoDocumento>` +
		`<Numero>P7M-1</Numero></DatiGeneraliDocumento></DatiGenerali></FatturaElettronicaBody></FatturaElettronica>`)
)

// signCMS returns a DER CMS SignedData of content, signed with a throwaway
// ECDSA key and self-signed certificate. detached leaves eContent out.
func signCMS(t testing.TB, content []byte, detached bool) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(42),
		Subject:      pkix.Name{CommonName: "Firma di prova"},
		NotBefore:    time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2035, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	certDER, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(certDER)
	require.NoError(t, err)
	digest := sha256.Sum256(content)
	sig, err := key.Sign(rand.Reader, digest[:], crypto.SHA256)
	require.NoError(t, err)

	sd := testSignedData{
		Version: 1,
		Digests: []pkix.AlgorithmIdentifier{{Algorithm: oidSHA256}},
		Encap:   testEncapContent{Type: oidData},
		Certificates: asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true,
			Bytes: cert.Raw},
		Signers: []testSignerInfo{{
			Version:   1,
			SID:       testIssuerSerial{Issuer: asn1.RawValue{FullBytes: cert.RawIssuer}, Serial: cert.SerialNumber},
			Digest:    pkix.AlgorithmIdentifier{Algorithm: oidSHA256},
			Algorithm: pkix.AlgorithmIdentifier{Algorithm: oidECDSA256},
			Signature: sig,
		}},
	}
	if !detached {
		sd.Encap.Content = content
	}
	sdDER, err := asn1.Marshal(sd)
	require.NoError(t, err)
	ci, err := asn1.Marshal(testContentInfo{Type: oidSignedData, Content: explicit0(sdDER)})
	require.NoError(t, err)
	return ci
}

func explicit0(inner []byte) asn1.RawValue {
	return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: inner}
}

// berSigned returns the same structure in BER with indefinite lengths and
// eContent split into OCTET STRING segments of 16 bytes, as some signing
// tools write it.
func berSigned(t testing.TB, content []byte) []byte {
	t.Helper()
	oid := func(o asn1.ObjectIdentifier) []byte {
		b, err := asn1.Marshal(o)
		require.NoError(t, err)
		return b
	}
	indefinite := func(tag byte, parts ...[]byte) []byte {
		out := []byte{tag, 0x80}
		for _, p := range parts {
			out = append(out, p...)
		}
		return append(out, 0, 0)
	}
	var segments [][]byte
	for len(content) > 0 {
		n := min(16, len(content))
		seg, err := asn1.Marshal(content[:n])
		require.NoError(t, err)
		segments = append(segments, seg)
		content = content[n:]
	}
	octets := indefinite(0x24, segments...)
	encap := indefinite(0x30, oid(oidData), indefinite(0xA0, octets))
	version, _ := asn1.Marshal(1)
	digests := indefinite(0x31, indefinite(0x30, oid(oidSHA256)))
	signers := indefinite(0x31)
	signedData := indefinite(0x30, version, digests, encap, signers)
	return indefinite(0x30, oid(oidSignedData), indefinite(0xA0, signedData))
}

func TestUnwrapForms(t *testing.T) {
	der := signCMS(t, testDocument, false)
	b64 := base64.StdEncoding.EncodeToString(der)
	twice := base64.StdEncoding.EncodeToString([]byte(b64))
	var wrapped strings.Builder
	for s := twice; len(s) > 0; {
		n := min(76, len(s))
		wrapped.WriteString(s[:n] + "\r\n")
		s = s[n:]
	}
	pemText := pem.EncodeToMemory(&pem.Block{Type: "PKCS7", Bytes: der})

	tests := map[string]struct {
		input  []byte
		signed bool
	}{
		"DER":                {der, true},
		"base64":             {[]byte(b64), true},
		"base64 twice":       {[]byte(twice), true},
		"base64 with breaks": {[]byte(wrapped.String()), true},
		"PEM":                {pemText, true},
		"BER indefinite":     {berSigned(t, testDocument), true},
		"trailing newline":   {append(append([]byte{}, der...), '\n'), true},
		"plain XML":          {testDocument, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, signed, err := Unwrap(tc.input)
			require.NoError(t, err)
			assert.Equal(t, tc.signed, signed)
			assert.Equal(t, string(testDocument), string(got))
		})
	}
}

func TestUnwrapErrors(t *testing.T) {
	der := signCMS(t, testDocument, false)
	otherType, err := asn1.Marshal(testContentInfo{Type: oidData, Content: explicit0([]byte{0x04, 0x01, 'x'})})
	require.NoError(t, err)
	tests := map[string][]byte{
		"detached":        signCMS(t, testDocument, true),
		"truncated":       der[:len(der)/2],
		"not signed data": otherType,
		"bare sequence":   {0x30, 0x03, 0x02, 0x01, 0x01},
		"huge length":     {0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x00},
		"deep nesting":    bytes.Repeat([]byte{0x30, 0x80}, 100),
	}
	for name, input := range tests {
		t.Run(name, func(t *testing.T) {
			_, _, err := Unwrap(input)
			require.Error(t, err)
			assert.True(t, errors.Is(err, ErrSigned), err.Error())
		})
	}
}

func TestReadInvoiceFileBase64P7M(t *testing.T) {
	signedFile := base64.StdEncoding.EncodeToString(signCMS(t, handMade(t), false))
	inv, signed, err := ReadInvoiceFile(strings.NewReader(signedFile))
	require.NoError(t, err)
	assert.True(t, signed)
	require.Len(t, inv.Bodies, 2)
	assert.Equal(t, "R-7/2025", inv.Bodies[0].Document.Number)
	assertDec(t, "-122.00", inv.Bodies[0].GrandTotal(), "total")
}
