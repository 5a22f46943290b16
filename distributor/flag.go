package distributor

import (
	"encoding/json"
	"fmt"
)

// Flag is a yes/no value as the standard writes it: "SI" or "NO". The empty
// Flag is absent. Any other text is kept as read, so that validation can
// report it.
type Flag string

// The two valid flag values.
const (
	Yes Flag = "SI"
	No  Flag = "NO"
)

// FlagOf returns Yes for true and No for false.
func FlagOf(b bool) Flag {
	if b {
		return Yes
	}
	return No
}

// Valid reports whether the flag is Yes or No.
func (f Flag) Valid() bool { return f == Yes || f == No }

// UnmarshalJSON accepts "SI", "NO", true, false and null.
func (f *Flag) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case nil:
		*f = ""
	case bool:
		*f = FlagOf(x)
	case string:
		*f = Flag(x)
	default:
		return fmt.Errorf("distributor: invalid flag %s: want \"SI\", \"NO\", true or false", b)
	}
	return nil
}
