package distributor

import (
	"strings"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Origin is the source of an element name. The official electricity
// XSDs are not public, so no name here is confirmed by the schema itself.
type Origin string

const (
	// OriginSellerCode marks a name seen in public seller code that writes
	// and reads these flows: one implementer's reading of the official
	// XSDs, to be checked against them.
	OriginSellerCode Origin = "seller-code"
	// OriginPackage marks a name that no public source gives and that this
	// package chose; an official XSD will likely name it differently.
	OriginPackage Origin = "package"
)

// kind is the value type of a field, which decides its checks and format.
type kind uint8

const (
	kindText kind = iota
	kindPOD
	kindVAT
	kindFiscalCode
	kindISTAT
	kindPostCode
	kindProvince
	kindPhone
	kindCount
	kindDate
	kindFlag
	kindDecimal
	kindCode
)

// field is one element of a request, in the order the XML writes it.
type field struct {
	// path is the element path below Prestazione, such as
	// "ClienteFinale/Anagrafica/cf".
	path   string
	kind   kind
	origin Origin
	// codes is the code list of a kindCode field; open marks a list known
	// to be incomplete, whose other values only get a warning.
	codes []string
	open  bool
	// ref returns a pointer to the field in the request: *string, *Flag,
	// *civil.Date or *decimal.NullDecimal.
	ref func(r *Request) any
}

// name returns the element name, the last part of the path.
func (f *field) name() string { return f.path[strings.LastIndexByte(f.path, '/')+1:] }

// column returns the CSV column name: the parent element and the element
// joined by "_", which is unique in the catalogue where leaf names are not
// (via appears in three addresses).
func (f *field) column() string {
	parts := strings.Split(f.path, "/")
	if len(parts) == 1 {
		return parts[0]
	}
	return parts[len(parts)-2] + "_" + parts[len(parts)-1]
}

// extraPath is the element that holds the profile-declared fields of
// Request.Extra, one Dato element with a nome attribute each. The name is
// this package's choice.
const extraPath = "AltriDati"

// fields is the catalogue of request elements in document order. The order
// is the one of the XSDs under testdata/xsd.
var fields = buildFields()

func buildFields() []field {
	var fs []field
	add := func(path string, k kind, o Origin, ref func(r *Request) any) {
		fs = append(fs, field{path: path, kind: k, origin: o, ref: ref})
	}
	code := func(path string, codes []string, open bool, ref func(r *Request) any) {
		fs = append(fs, field{path: path, kind: kindCode, origin: OriginSellerCode, codes: codes, open: open, ref: ref})
	}
	addAddress := func(prefix string, withCountry bool, o Origin, a func(r *Request) *Address) {
		add(prefix+"/toponimo", kindText, o, func(r *Request) any { return &a(r).Toponym })
		add(prefix+"/via", kindText, o, func(r *Request) any { return &a(r).Street })
		add(prefix+"/civ", kindText, o, func(r *Request) any { return &a(r).Number })
		add(prefix+"/cap", kindPostCode, o, func(r *Request) any { return &a(r).PostCode })
		add(prefix+"/istat", kindISTAT, o, func(r *Request) any { return &a(r).ISTAT })
		add(prefix+"/comune", kindText, o, func(r *Request) any { return &a(r).Municipality })
		add(prefix+"/prov", kindProvince, o, func(r *Request) any { return &a(r).Province })
		if withCountry {
			add(prefix+"/nazione", kindText, o, func(r *Request) any { return &a(r).Country })
		}
	}
	s := OriginSellerCode

	add("IdentificativiRichiesta/piva_utente", kindVAT, s, func(r *Request) any { return &r.IDs.SellerVAT })
	add("IdentificativiRichiesta/piva_distr", kindVAT, s, func(r *Request) any { return &r.IDs.DistributorVAT })
	add("IdentificativiRichiesta/cod_prat_utente", kindText, s, func(r *Request) any { return &r.IDs.CaseNumber })
	add("IdentificativiRichiesta/cod_prat_distr", kindText, s, func(r *Request) any { return &r.IDs.DistributorCase })
	add("IdentificativiRichiesta/cod_contr_disp", kindText, s, func(r *Request) any { return &r.IDs.DispatchingContract })
	// data_ricenzione is spelled so in public seller code; the official
	// name may be data_ricezione.
	add("IdentificativiRichiesta/data_ricenzione", kindDate, s, func(r *Request) any { return &r.IDs.ReceivedOn })

	add("ClienteFinale/residente", kindFlag, s, func(r *Request) any { return &r.Customer.Resident })
	add("ClienteFinale/Anagrafica/cognome", kindText, s, func(r *Request) any { return &r.Customer.Surname })
	add("ClienteFinale/Anagrafica/nome", kindText, s, func(r *Request) any { return &r.Customer.Name })
	add("ClienteFinale/Anagrafica/rag_soc", kindText, s, func(r *Request) any { return &r.Customer.BusinessName })
	add("ClienteFinale/Anagrafica/cf", kindFiscalCode, s, func(r *Request) any { return &r.Customer.FiscalCode })
	add("ClienteFinale/Anagrafica/piva", kindVAT, s, func(r *Request) any { return &r.Customer.VAT })
	add("ClienteFinale/Anagrafica/tel", kindPhone, s, func(r *Request) any { return &r.Customer.Phone })
	add("ClienteFinale/Anagrafica/diritto_salvaguardia", kindFlag, s, func(r *Request) any { return &r.Customer.SafeguardRight })
	addAddress("ClienteFinale/Recapito", true, s, func(r *Request) *Address { return &r.Customer.Address })
	add("ClienteFinale/dati_fatt", kindFlag, s, func(r *Request) any { return &r.Customer.SeparateBilling })
	add("ClienteFinale/AnagraficaFatt/cognome", kindText, s, func(r *Request) any { return &r.Customer.BillingSurname })
	add("ClienteFinale/AnagraficaFatt/nome", kindText, s, func(r *Request) any { return &r.Customer.BillingName })
	add("ClienteFinale/AnagraficaFatt/rag_soc", kindText, OriginPackage, func(r *Request) any { return &r.Customer.BillingBusinessName })
	addAddress("ClienteFinale/RecapitoFatt", true, s, func(r *Request) *Address { return &r.Customer.BillingAddress })

	addAddress("Fornitura/UbicazionePod", false, s, func(r *Request) *Address { return &r.Supply })

	add("DatiTecnici/cod_pod", kindPOD, s, func(r *Request) any { return &r.Technical.POD })
	add("DatiTecnici/n_pod", kindCount, s, func(r *Request) any { return &r.Technical.PODCount })
	add("DatiTecnici/pot_ric_contratto", kindDecimal, s, func(r *Request) any { return &r.Technical.ContractPower })
	add("DatiTecnici/pot_tot_util", kindDecimal, s, func(r *Request) any { return &r.Technical.TotalPower })
	add("DatiTecnici/tensione", kindCount, s, func(r *Request) any { return &r.Technical.Voltage })
	code("DatiTecnici/tp_tensione", []string{"B", "M", "A"}, false, func(r *Request) any { return &r.Technical.VoltageLevel })
	code("DatiTecnici/fase", []string{"M", "T"}, false, func(r *Request) any { return &r.Technical.Phase })
	add("DatiTecnici/tp_mercato", kindText, s, func(r *Request) any { return &r.Technical.Market })
	// Public seller code shows D, A and V and more values after them, so
	// the list is open.
	code("DatiTecnici/tp_uso", []string{"D", "A", "V"}, true, func(r *Request) any { return &r.Technical.Use })
	add("DatiTecnici/interrompibilita", kindFlag, s, func(r *Request) any { return &r.Technical.Interruptible })
	add("DatiTecnici/apparato_medicale", kindFlag, s, func(r *Request) any { return &r.Technical.MedicalEquipment })
	add("DatiTecnici/categoria_merceologica", kindText, s, func(r *Request) any { return &r.Technical.Category })

	add("PresenzaCliente/Presenza_Cliente_No_Telegestito", kindFlag, s, func(r *Request) any { return &r.CustomerPresent })
	add("FuoriOrario/Disatt_Fuori_Orario", kindFlag, s, func(r *Request) any { return &r.OutOfHours })
	add("Da_Eseguire_Non_Prima_Del", kindDate, s, func(r *Request) any { return &r.NotBefore })
	add("note", kindText, s, func(r *Request) any { return &r.Note })
	return fs
}

// fieldIndex maps a path to its position in fields.
var fieldIndex = func() map[string]int {
	m := make(map[string]int, len(fields))
	for i := range fields {
		m[fields[i].path] = i
	}
	return m
}()

// lookupField returns the catalogue field of a path.
func lookupField(path string) (*field, bool) {
	i, ok := fieldIndex[path]
	if !ok {
		return nil, false
	}
	return &fields[i], true
}

// isSet reports whether the field has a value in r.
func (f *field) isSet(r *Request) bool {
	switch p := f.ref(r).(type) {
	case *string:
		return *p != ""
	case *Flag:
		return *p != ""
	case *civil.Date:
		return !p.IsZero()
	case *decimal.NullDecimal:
		return p.Valid
	}
	return false
}

// FieldPaths returns the element paths that a request can carry, in
// document order, as used in Service.Fields and Profile.Required.
func FieldPaths() []string {
	out := make([]string, len(fields))
	for i := range fields {
		out[i] = fields[i].path
	}
	return out
}

// FieldOrigin returns where the element name of a path comes from, and
// false for a path outside the catalogue.
func FieldOrigin(path string) (Origin, bool) {
	f, ok := lookupField(path)
	if !ok {
		return "", false
	}
	return f.origin, true
}
