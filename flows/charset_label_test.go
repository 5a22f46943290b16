package flows

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// .NET writers often label UTF-8 output encoding="utf-16". Without a byte
// order mark the file cannot be UTF-16, since its declaration was read as
// 8-bit text, and the error used to be "text before the root element".
func TestDecodeUTF16LabelOnEightBitText(t *testing.T) {
	for _, label := range []string{"utf-16", "UTF-16LE", "utf-16be"} {
		in := `<?xml version="1.0" encoding="` + label + `"?><FlussoMisure CodFlusso="PNO"></FlussoMisure>`
		_, _, err := decodeAll([]byte(in))
		require.Error(t, err, label)
		assert.ErrorIs(t, err, ErrCharset, label)
		assert.Contains(t, err.Error(), "byte order mark", label)
	}
}
