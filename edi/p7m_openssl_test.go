package edi

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUnwrapOpenSSLOutput unwraps files signed by the openssl command, in
// DER and in the streamed BER form (indefinite lengths, segmented content)
// that "openssl cms -stream" writes. It skips when openssl is missing.
func TestUnwrapOpenSSLOutput(t *testing.T) {
	bin, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl not found")
	}
	dir := t.TempDir()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "Firma di prova"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature}
	certDER, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	certPath, keyPath, docPath := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem"), filepath.Join(dir, "doc.xml")
	require.NoError(t, os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: certDER}), 0o600))
	require.NoError(t, os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600))
	document := handMade(t)
	require.NoError(t, os.WriteFile(docPath, document, 0o600))

	for name, extra := range map[string][]string{"DER": nil, "streamed BER": {"-stream"}, "PEM": {"-outform", "PEM"}} {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(dir, "signed.p7m")
			args := append([]string{"cms", "-sign", "-binary", "-nodetach", "-signer", certPath, "-inkey", keyPath,
				"-in", docPath, "-out", out, "-outform", "DER"}, extra...)
			msg, err := exec.Command(bin, args...).CombinedOutput()
			require.NoError(t, err, string(msg))
			signed, err := os.ReadFile(out)
			require.NoError(t, err)
			content, wasSigned, err := Unwrap(signed)
			require.NoError(t, err)
			assert.True(t, wasSigned)
			assert.Equal(t, string(document), string(content))
		})
	}
}
