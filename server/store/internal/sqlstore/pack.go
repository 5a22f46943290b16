package sqlstore

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/server/store"
)

// packVersion is the first byte of every packed slot list.
const packVersion = 1

// errPacked reports a packed slot list that cannot be decoded.
var errPacked = errors.New("invalid packed curve slots")

// packSlots encodes attributes 1..n of a curve element. After the version
// byte, each slot is a uvarint: 0 for an absent attribute, otherwise the
// text length plus one, followed by the text. So absent, empty ("") and
// "0,000" stay distinct and every text comes back byte for byte.
func packSlots(n int, get func(int) (string, bool)) []byte {
	buf := make([]byte, 1, 1+n*7)
	buf[0] = packVersion
	for i := 1; i <= n; i++ {
		text, ok := get(i)
		if !ok {
			buf = binary.AppendUvarint(buf, 0)
			continue
		}
		buf = binary.AppendUvarint(buf, uint64(len(text))+1)
		buf = append(buf, text...)
	}
	return buf
}

// unpackSlots decodes a packed slot list into slots numbered from 1.
func unpackSlots(b []byte) ([]store.Slot, error) {
	if len(b) == 0 || b[0] != packVersion {
		return nil, errPacked
	}
	b = b[1:]
	var out []store.Slot
	for n := 1; len(b) > 0; n++ {
		size, k := binary.Uvarint(b)
		if k <= 0 || size > uint64(len(b)-k)+1 {
			return nil, fmt.Errorf("%w: slot %d", errPacked, n)
		}
		b = b[k:]
		if size == 0 {
			out = append(out, store.Slot{N: n})
			continue
		}
		text := string(b[:size-1])
		b = b[size-1:]
		out = append(out, store.Slot{N: n, Text: text, Set: true})
	}
	return out, nil
}

// packCurve returns the packed E slots and, when any S attribute is
// present, the packed S1..S4.
func packCurve(c *flows.Curve) (slots, s []byte) {
	slots = packSlots(c.MaxE(), c.E)
	for i := 1; i <= 4; i++ {
		if _, ok := c.S(i); ok {
			return slots, packSlots(4, c.S)
		}
	}
	return slots, nil
}
