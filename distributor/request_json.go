package distributor

import (
	"encoding/json"
	"fmt"
	"io"
)

// DecodeRequestJSON reads one request in the JSON form of Request. Unknown
// keys are an error, so that a misspelt field is not silently dropped.
func DecodeRequestJSON(r io.Reader) (*Request, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var req Request
	if err := dec.Decode(&req); err != nil {
		return nil, fmt.Errorf("%w: request JSON: %v", ErrSyntax, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: request JSON: more than one value; send one request per document", ErrSyntax)
	}
	return &req, nil
}
