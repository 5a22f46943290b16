package distributor

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"
)

func TestEncodeCSVLayout(t *testing.T) {
	p := &Profile{ID: "t", CSV: CSVLayout{Delimiter: ";", Encoding: "windows-1252", Header: true, CRLF: true}}
	r := loadRequest(t, "D01")
	r.Note = "perché"
	var buf bytes.Buffer
	require.NoError(t, EncodeCSV(&buf, []*Request{r, r}, p))

	text, err := charmap.Windows1252.NewDecoder().Bytes(buf.Bytes())
	require.NoError(t, err)
	lines := bytes.Split(bytes.TrimSuffix(text, []byte("\r\n")), []byte("\r\n"))
	require.Len(t, lines, 3)
	assert.Equal(t, "cod_servizio;cod_flusso;IdentificativiRichiesta_piva_utente;IdentificativiRichiesta_piva_distr;"+
		"IdentificativiRichiesta_cod_prat_utente;IdentificativiRichiesta_cod_contr_disp;Anagrafica_cf;Anagrafica_piva;Anagrafica_tel;"+
		"DatiTecnici_cod_pod;PresenzaCliente_Presenza_Cliente_No_Telegestito;FuoriOrario_Disatt_Fuori_Orario;Da_Eseguire_Non_Prima_Del;note", string(lines[0]))
	assert.Equal(t, "D01;E050;01234567897;12345678903;CASE-D01-0001;DC0001;RSSMRA80A01H501U;;3331234567;IT001E12345678;NO;NO;15/12/2026;perché", string(lines[1]))
	assert.Contains(t, string(buf.Bytes()), "perch\xe9", "é is one windows-1252 byte")
}

func TestEncodeCSVErrors(t *testing.T) {
	d01 := loadRequest(t, "D01")
	m01 := loadRequest(t, "M01")
	assert.Error(t, EncodeCSV(&bytes.Buffer{}, nil, nil))
	assert.ErrorContains(t, EncodeCSV(&bytes.Buffer{}, []*Request{d01, m01}, nil), "write one CSV file per service")
	assert.ErrorIs(t, EncodeCSV(&bytes.Buffer{}, []*Request{d01}, &Profile{CSV: CSVLayout{Delimiter: ";;"}}), ErrProfile)
	assert.ErrorIs(t, EncodeCSV(&bytes.Buffer{}, []*Request{d01}, &Profile{CSV: CSVLayout{Encoding: "ebcdic"}}), ErrProfile)
}
