package edi

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"sort"
)

// ReadDetail reads a transport detail flow of either commodity: the gas
// flow when the root is FlussoFattureTrasportoGas, the electricity detail
// otherwise. The error wraps ErrNotTransportDetail when the input is
// neither.
func ReadDetail(r io.Reader, codes *TransportCodes) ([]*TransportInvoice, error) {
	br := bufio.NewReaderSize(r, 4096)
	head, _ := br.Peek(2048)
	if bytes.Contains(head, []byte(GasRoot)) {
		inv, err := ReadGas(br, codes)
		if inv == nil {
			return nil, err
		}
		return []*TransportInvoice{inv}, err
	}
	return ReadElectricity(br, codes)
}

func isNotDetail(err error) bool { return errors.Is(err, ErrNotTransportDetail) }

func sortStrings(s []string) { sort.Strings(s) }
