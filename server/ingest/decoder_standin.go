package ingest

import (
	"errors"
	"io"

	"github.com/bludispatcher/dispatcher/flows"
)

// TODO: replace with flows.NewDecoder once the decoder is in the flows package.
func newFlowDecoder(r io.Reader) flowDecoder { return standinDecoder{} }

type standinDecoder struct{}

var errNoDecoder = errors.New("metering-flow decoder not built yet")

func (standinDecoder) Header() (*flows.Header, error) { return nil, errNoDecoder }
func (standinDecoder) Next() (*flows.Record, error)   { return nil, errNoDecoder }
