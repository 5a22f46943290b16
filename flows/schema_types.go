package flows

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/internal/itnum"
)

// SimpleType is the XSD simple type of a text element or attribute.
type SimpleType uint8

// The simple types of the metering-flow schemas
// (FlussiDatiMisuraPrelievoEE-DefSimpleTypes.xsd) plus the markers for
// elements with children or attributes.
const (
	TypeString              SimpleType = iota // free text, no restriction
	TypeNumeric6v3                            // Numerico6v3Type: up to 6 digits, comma, 3 decimals
	TypeNumeric7v3                            // Numerico7v3Type: up to 7 digits, comma, 3 decimals
	TypeNumeric12v3                           // Numerico12v3Type: up to 12 digits, comma, 3 decimals
	TypeDate                                  // DataItaType: dd/MM/yyyy, years 1900–2099 (Check also rejects days a month lacks)
	TypeMonthYear                             // MeseAnnoItaType: MM/yyyy, years 1900–2099
	TypeDay                                   // GiornoType: 01..31
	TypeInt3                                  // Intero3Type: up to 3 digits, no leading zero
	TypeInt10                                 // Intero10Type: up to 10 digits, no leading zero
	TypePOD                                   // CodicePodType: 14 or 15 characters
	TypePracticeCode                          // CodPratAttType: 15 letters or digits
	TypeVAT                                   // PIVAType_AlfNmr: up to 16 characters
	TypeDispatchingContract                   // CodContrDispType: up to 6 characters
	TypeMeterSerial                           // MatrMisType: up to 17 characters
	TypeTariffCode                            // CodiceTariffaType: up to 30 characters
	TypeOnOff                                 // OnOffType: SI, NO
	TypeTreatment                             // TrattamentoType: M, F, O, C
	TypeCollectionV2                          // RaccoltaV2Type: P, S, V, T
	TypeCollection                            // RaccoltaType (legacy): P, T
	TypeDataTypeV2                            // TipoDatoV2Type: E, S, A
	TypeDataType                              // TipoDatoType (legacy): E, S
	TypeValidated                             // ValidatoType: S, N
	TypeCorrectionType                        // TipoRettificaType: P, S, V, T
	TypeReason                                // MotivazioneType: 1..6
	TypeProtectionService                     // ServizioTutelaType: MT, S
	TypeMeterType                             // TipoMisuratoreType: O, G
	TypeDispatchPoint                         // PuntoDispacciamentoType: market zones
	TypeDst                                   // DstType: 0..3
	TypeFlowCodePeriodic                      // TipoCodFlussoPType: Flusso 1 codes
	TypeFlowCodeCorrection                    // TipoCodFlussoRType: Flusso 2 codes
	TypeComplex                               // an element with child elements
	TypeEnergy                                // EnergiaType: a curve day with Dst and E1..E96
	TypeEnergy2G                              // Energia2GType: a legacy 2G curve day with E1..E96 and S1..S4
)

type typeInfo struct {
	xsd    string
	values []string
}

var typeInfos = [...]typeInfo{
	TypeString:              {"xs:string", nil},
	TypeNumeric6v3:          {"Numerico6v3Type", nil},
	TypeNumeric7v3:          {"Numerico7v3Type", nil},
	TypeNumeric12v3:         {"Numerico12v3Type", nil},
	TypeDate:                {"DataItaType", nil},
	TypeMonthYear:           {"MeseAnnoItaType", nil},
	TypeDay:                 {"GiornoType", nil},
	TypeInt3:                {"Intero3Type", nil},
	TypeInt10:               {"Intero10Type", nil},
	TypePOD:                 {"CodicePodType", nil},
	TypePracticeCode:        {"CodPratAttType", nil},
	TypeVAT:                 {"PIVAType_AlfNmr", nil},
	TypeDispatchingContract: {"CodContrDispType", nil},
	TypeMeterSerial:         {"MatrMisType", nil},
	TypeTariffCode:          {"CodiceTariffaType", nil},
	TypeOnOff:               {"OnOffType", []string{"SI", "NO"}},
	TypeTreatment:           {"TrattamentoType", []string{"M", "F", "O", "C"}},
	TypeCollectionV2:        {"RaccoltaV2Type", []string{"P", "S", "V", "T"}},
	TypeCollection:          {"RaccoltaType", []string{"P", "T"}},
	TypeDataTypeV2:          {"TipoDatoV2Type", []string{"E", "S", "A"}},
	TypeDataType:            {"TipoDatoType", []string{"E", "S"}},
	TypeValidated:           {"ValidatoType", []string{"S", "N"}},
	TypeCorrectionType:      {"TipoRettificaType", []string{"P", "S", "V", "T"}},
	TypeReason:              {"MotivazioneType", []string{"1", "2", "3", "4", "5", "6"}},
	TypeProtectionService:   {"ServizioTutelaType", []string{"MT", "S"}},
	TypeMeterType:           {"TipoMisuratoreType", []string{"O", "G"}},
	TypeDispatchPoint:       {"PuntoDispacciamentoType", []string{"NORD", "CNOR", "CSUD", "SUD", "SICI", "SARD", "NORE"}},
	TypeDst:                 {"DstType", []string{"0", "1", "2", "3"}},
	TypeFlowCodePeriodic:    {"TipoCodFlussoPType", []string{"PDO", "PDO2G", "PNO", "PNO2G", "VNO", "VNO2G", "SNM", "SNM2G"}},
	TypeFlowCodeCorrection:  {"TipoCodFlussoRType", []string{"RFO", "RFO2G", "RNO", "RNO2G", "RNV", "RNV2G", "RSN", "RSN2G"}},
	TypeComplex:             {"complex", nil},
	TypeEnergy:              {"EnergiaType", nil},
	TypeEnergy2G:            {"Energia2GType", nil},
}

// XSDName returns the name of the type in the official schema, such as
// "Numerico12v3Type".
func (t SimpleType) XSDName() string {
	if int(t) < len(typeInfos) {
		return typeInfos[t].xsd
	}
	return fmt.Sprintf("SimpleType(%d)", t)
}

// String returns XSDName.
func (t SimpleType) String() string { return t.XSDName() }

// Values returns the allowed values of an enumeration, or nil for types
// that are not enumerations.
func (t SimpleType) Values() []string {
	if int(t) < len(typeInfos) {
		return typeInfos[t].values
	}
	return nil
}

// ErrInvalidValue is wrapped by every error that SimpleType.Check returns.
var ErrInvalidValue = errors.New("invalid value")

// ValueError describes a text that does not match its simple type.
type ValueError struct {
	Type   SimpleType
	Text   string
	Reason string
}

// Error names the type, the text and what is wrong.
func (e *ValueError) Error() string {
	return fmt.Sprintf("invalid %s %q: %s", e.Type.XSDName(), e.Text, e.Reason)
}

// Unwrap returns ErrInvalidValue.
func (e *ValueError) Unwrap() error { return ErrInvalidValue }

// Check reports whether text matches the type exactly as the schema
// patterns and facets require; it returns a *ValueError otherwise. The
// empty string matches no type except TypeString and the length-limited
// string types. Complex types accept any text.
func (t SimpleType) Check(text string) error {
	fail := func(reason string) error { return &ValueError{Type: t, Text: text, Reason: reason} }
	if vals := t.Values(); vals != nil {
		if !slices.Contains(vals, text) {
			return fail("want one of " + strings.Join(vals, ", "))
		}
		return nil
	}
	switch t {
	case TypeNumeric6v3, TypeNumeric7v3, TypeNumeric12v3:
		f := map[SimpleType]itnum.Format{TypeNumeric6v3: itnum.Numeric6v3, TypeNumeric7v3: itnum.Numeric7v3, TypeNumeric12v3: itnum.Numeric12v3}[t]
		if err := itnum.Check(text, f); err != nil {
			var se *itnum.SyntaxError
			if errors.As(err, &se) {
				return fail(se.Reason)
			}
			return fail(err.Error())
		}
	case TypeDate:
		d, err := civil.ParseDate(text)
		if err != nil || len(text) != 10 || d.Year < 1900 || d.Year > 2099 {
			return fail("want a calendar date dd/MM/yyyy between 1900 and 2099")
		}
	case TypeMonthYear:
		m, err := civil.ParseMonthYear(text)
		if err != nil || len(text) != 7 || m.Year < 1900 || m.Year > 2099 {
			return fail("want a month MM/yyyy between 1900 and 2099")
		}
	case TypeDay:
		if len(text) != 2 || !isDigits(text) || text < "01" || text > "31" {
			return fail("want a two-digit day 01..31")
		}
	case TypeInt3, TypeInt10:
		max := 3
		if t == TypeInt10 {
			max = 10
		}
		if text == "" || len(text) > max || !isDigits(text) || (len(text) > 1 && text[0] == '0') {
			return fail(fmt.Sprintf("want an integer of at most %d digits without leading zeros", max))
		}
	case TypePOD:
		if n := utf8.RuneCountInString(text); n < 14 || n > 15 {
			return fail("want 14 or 15 characters")
		}
	case TypePracticeCode:
		if len(text) != 15 || !isAlnum(text) {
			return fail("want 15 letters or digits")
		}
	case TypeVAT, TypeDispatchingContract, TypeMeterSerial, TypeTariffCode:
		max := map[SimpleType]int{TypeVAT: 16, TypeDispatchingContract: 6, TypeMeterSerial: 17, TypeTariffCode: 30}[t]
		if utf8.RuneCountInString(text) > max {
			return fail(fmt.Sprintf("want at most %d characters", max))
		}
	}
	return nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}
