package edi

import (
	"bytes"
	"encoding/asn1"
	"errors"
	"fmt"
	"strings"
)

// ErrSigned is wrapped by every error of Unwrap: the input looks like a
// signed CMS file but its content cannot be extracted.
var ErrSigned = errors.New("invalid signed (p7m) file")

var (
	oidSignedData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
)

// maxUnwrapRounds is how many layers Unwrap removes. Files from the
// revenue agency's "cassetto fiscale" come base64-encoded once or twice
// around the DER, so four rounds leave a margin.
const maxUnwrapRounds = 4

// Unwrap returns the document inside a signed FatturaPA file and reports
// whether a signature layer was removed. It accepts CMS SignedData
// (PKCS#7, .p7m) in DER or BER (indefinite lengths and segmented OCTET
// STRINGs, which some signing tools write), PEM armour, and base64 around
// any of them, layer after layer. Input that is none of these, such as plain
// XML, is returned unchanged.
//
// The signature, the certificates and the signing time are not checked.
func Unwrap(data []byte) (content []byte, signed bool, err error) {
	for round := 0; round < maxUnwrapRounds; round++ {
		trimmed := bytes.TrimSpace(data)
		switch {
		case len(trimmed) > 1 && trimmed[0] == 0x30:
			inner, err := signedContent(trimmed)
			if err != nil {
				return nil, signed, err
			}
			data, signed = inner, true
		case bytes.HasPrefix(trimmed, []byte("-----BEGIN")):
			decoded, err := decodeBase64(stripPEM(string(trimmed)))
			if err != nil {
				return nil, signed, fmt.Errorf("%w: PEM armour: %v", ErrSigned, err)
			}
			data = decoded
		case looksLikeBase64(trimmed):
			decoded, err := decodeBase64(string(trimmed))
			if err != nil {
				return data, signed, nil
			}
			data = decoded
		default:
			return data, signed, nil
		}
	}
	return data, signed, nil
}

func stripPEM(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "-----") {
			continue
		}
		b.WriteString(line)
	}
	return b.String()
}

func looksLikeBase64(b []byte) bool {
	if len(b) < 8 {
		return false
	}
	for _, c := range b {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '+' || c == '/' || c == '=' || c == '\r' || c == '\n' || c == ' ' || c == '\t':
		default:
			return false
		}
	}
	return true
}

// signedContent walks ContentInfo → SignedData → EncapsulatedContentInfo
// and returns eContent. RFC 5652 section 5 defines the structure.
func signedContent(der []byte) ([]byte, error) {
	contentInfo, _, err := readTLV(der, 0)
	if err != nil {
		return nil, fmt.Errorf("%w: ContentInfo: %v", ErrSigned, err)
	}
	children, err := contentInfo.children()
	if err != nil || len(children) < 2 {
		return nil, fmt.Errorf("%w: ContentInfo is not a SEQUENCE of type and content", ErrSigned)
	}
	var oid asn1.ObjectIdentifier
	if _, err := asn1.Unmarshal(children[0].full, &oid); err != nil {
		return nil, fmt.Errorf("%w: ContentInfo contentType: %v", ErrSigned, err)
	}
	if !oid.Equal(oidSignedData) {
		return nil, fmt.Errorf("%w: content type %s is not signedData (%s)", ErrSigned, oid, oidSignedData)
	}
	signedData, err := explicitChild(children[1])
	if err != nil {
		return nil, fmt.Errorf("%w: ContentInfo content: %v", ErrSigned, err)
	}
	fields, err := signedData.children()
	if err != nil || len(fields) < 3 {
		return nil, fmt.Errorf("%w: SignedData is not a SEQUENCE of version, digest algorithms and content", ErrSigned)
	}
	encap, err := fields[2].children()
	if err != nil || len(encap) == 0 {
		return nil, fmt.Errorf("%w: EncapsulatedContentInfo is malformed", ErrSigned)
	}
	if len(encap) < 2 {
		return nil, fmt.Errorf("%w: detached signature: the file does not include the signed document", ErrSigned)
	}
	octets, err := explicitChild(encap[1])
	if err != nil {
		return nil, fmt.Errorf("%w: eContent: %v", ErrSigned, err)
	}
	content, err := octets.octetString(0)
	if err != nil {
		return nil, fmt.Errorf("%w: eContent: %v", ErrSigned, err)
	}
	return content, nil
}

// explicitChild returns the single element inside an [0] EXPLICIT tag.
func explicitChild(t tlv) (tlv, error) {
	if t.class != asn1.ClassContextSpecific || t.tag != 0 || !t.constructed {
		return tlv{}, fmt.Errorf("want [0] EXPLICIT, got class %d tag %d", t.class, t.tag)
	}
	inner, err := t.children()
	if err != nil || len(inner) != 1 {
		return tlv{}, errors.New("[0] EXPLICIT does not hold exactly one element")
	}
	return inner[0], nil
}

// tlv is one BER element: identifier, length and content octets.
type tlv struct {
	class, tag  int
	constructed bool
	content     []byte // content octets, end-of-contents excluded
	full        []byte // identifier, length and content
}

// maxDepth bounds the nesting readTLV follows, against hostile input.
const maxDepth = 32

// readTLV reads one element at the start of b and returns it with the bytes
// that follow. Definite and indefinite lengths are accepted, because
// encoding/asn1 reads DER only and signing tools write BER.
func readTLV(b []byte, depth int) (tlv, []byte, error) {
	if depth > maxDepth {
		return tlv{}, nil, errors.New("nesting too deep")
	}
	if len(b) < 2 {
		return tlv{}, nil, errors.New("truncated element")
	}
	t := tlv{class: int(b[0] >> 6), constructed: b[0]&0x20 != 0, tag: int(b[0] & 0x1f)}
	i := 1
	if t.tag == 0x1f {
		t.tag = 0
		for {
			if i >= len(b) || i > 4 {
				return tlv{}, nil, errors.New("invalid tag number")
			}
			c := b[i]
			i++
			t.tag = t.tag<<7 | int(c&0x7f)
			if c&0x80 == 0 {
				break
			}
		}
	}
	if i >= len(b) {
		return tlv{}, nil, errors.New("truncated length")
	}
	first := b[i]
	i++
	if first == 0x80 {
		return readIndefinite(t, b, i, depth)
	}
	length := int(first)
	if first&0x80 != 0 {
		n := int(first & 0x7f)
		if n > 4 || i+n > len(b) {
			return tlv{}, nil, errors.New("invalid length")
		}
		length = 0
		for _, c := range b[i : i+n] {
			length = length<<8 | int(c)
		}
		i += n
	}
	if length < 0 || length > len(b)-i {
		return tlv{}, nil, fmt.Errorf("length %d beyond the end of the input", length)
	}
	t.content = b[i : i+length]
	t.full = b[:i+length]
	return t, b[i+length:], nil
}

func readIndefinite(t tlv, b []byte, start, depth int) (tlv, []byte, error) {
	if !t.constructed {
		return tlv{}, nil, errors.New("indefinite length on a primitive element")
	}
	rest := b[start:]
	for {
		if len(rest) >= 2 && rest[0] == 0 && rest[1] == 0 {
			end := len(b) - len(rest)
			t.content = b[start:end]
			t.full = b[:end+2]
			return t, rest[2:], nil
		}
		_, next, err := readTLV(rest, depth+1)
		if err != nil {
			return tlv{}, nil, err
		}
		rest = next
	}
}

func (t tlv) children() ([]tlv, error) {
	if !t.constructed {
		return nil, errors.New("not a constructed element")
	}
	var out []tlv
	rest := t.content
	for len(rest) > 0 {
		child, next, err := readTLV(rest, 1)
		if err != nil {
			return nil, err
		}
		out = append(out, child)
		rest = next
	}
	return out, nil
}

// octetString returns the bytes of a primitive OCTET STRING, or the
// concatenated segments of a constructed one.
func (t tlv) octetString(depth int) ([]byte, error) {
	if t.class != asn1.ClassUniversal || t.tag != asn1.TagOctetString {
		return nil, fmt.Errorf("want OCTET STRING, got class %d tag %d", t.class, t.tag)
	}
	if !t.constructed {
		return t.content, nil
	}
	if depth > maxDepth {
		return nil, errors.New("nesting too deep")
	}
	parts, err := t.children()
	if err != nil {
		return nil, err
	}
	var out []byte
	for _, p := range parts {
		seg, err := p.octetString(depth + 1)
		if err != nil {
			return nil, err
		}
		out = append(out, seg...)
	}
	return out, nil
}
