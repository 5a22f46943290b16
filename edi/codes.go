package edi

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

//go:embed data/fatturapa_codes.json
var fatturaPACodesJSON []byte

// FatturaPACodes are the code lists of the FatturaPA schema that the checks
// use, with their source.
type FatturaPACodes struct {
	Source        string            `json:"source"`
	ValidFrom     string            `json:"validFrom"`
	DocumentTypes map[string]string `json:"documentTypes"` // TipoDocumento → Italian description
	Natures       []string          `json:"natures"`       // Natura
	Versions      []string          `json:"versions"`      // versione of the root
}

// DefaultFatturaPACodes returns the embedded code lists of schema 1.2.2.
func DefaultFatturaPACodes() FatturaPACodes {
	var c FatturaPACodes
	if err := json.Unmarshal(fatturaPACodesJSON, &c); err != nil {
		panic(fmt.Sprintf("edi: embedded data/fatturapa_codes.json is invalid: %v", err))
	}
	return c
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
