package flows

import (
	"fmt"
	"strings"
)

// Unbounded is the Max of an element that may repeat without limit.
const Unbounded = -1

// ElementSpec is one child element of a container shape, in canonical order.
type ElementSpec struct {
	// Name is the element name, such as "EaF1".
	Name string
	// Min and Max are minOccurs and maxOccurs; Max is Unbounded for
	// maxOccurs="unbounded".
	Min, Max int
	// Type is the simple type of a text element, or TypeComplex,
	// TypeEnergy or TypeEnergy2G for elements with children or attributes.
	Type SimpleType
	// Complex names the shape of a TypeComplex element, such as
	// "DatiPdp2GType"; empty otherwise.
	Complex string
	// Default is the schema default of the element, such as "NO" for Forfait.
	Default string
	// Choice groups alternatives: elements of one shape with the same
	// non-zero Choice exclude each other, and Min of each member is the
	// minimum of the group (1: exactly one of them, 0: at most one).
	Choice uint8
	// EmptyAllowed reports that an empty element (<EaF1/>) is expected
	// instead of a value; the historical switching flows write negative
	// monthly sums that way.
	EmptyAllowed bool
}

// Shape is the content model of a container element: its children in
// canonical order.
type Shape struct {
	// Name is the XSD complex type name, such as "DettaglioMisuraRRType",
	// or for shapes without an official schema a descriptive name ending in
	// "Type" that is marked Reconstructed.
	Name string
	// Base is the abstract base type of a concrete Misura type, whose
	// elements come first in Elements.
	Base string
	// Reconstructed reports that no official XSD defines the shape: it
	// follows the generator and consumer code of the switching and meter
	// replacement flows, and unknown children are expected.
	Reconstructed bool
	// Elements are the children in canonical order.
	Elements []ElementSpec

	index      map[string]int
	writeOrder []ElementSpec
}

// Element returns the spec of the child with the given name, its position
// in Elements and whether the shape has it.
func (s *Shape) Element(name string) (ElementSpec, int, bool) {
	i, ok := s.index[name]
	if !ok {
		return ElementSpec{}, -1, false
	}
	return s.Elements[i], i, true
}

// WriteOrder returns Elements followed by every other child the model can
// hold for this kind of container, so a writer emits fields outside the
// shape too instead of losing them.
func (s *Shape) WriteOrder() []ElementSpec { return s.writeOrder }

// seq builds an element list in order; its methods return the list
// extended with more elements.
type seq []ElementSpec

func (s seq) req(t SimpleType, names ...string) seq {
	for _, n := range names {
		s = append(s, ElementSpec{Name: n, Min: 1, Max: 1, Type: t})
	}
	return s
}

func (s seq) opt(t SimpleType, names ...string) seq {
	for _, n := range names {
		s = append(s, ElementSpec{Name: n, Min: 0, Max: 1, Type: t})
	}
	return s
}

func (s seq) def(t SimpleType, name, value string) seq {
	return append(s, ElementSpec{Name: name, Min: 1, Max: 1, Type: t, Default: value})
}

func (s seq) complex(name, shape string, min, max int, choice uint8) seq {
	return append(s, ElementSpec{Name: name, Min: min, Max: max, Type: TypeComplex, Complex: shape, Choice: choice})
}

func (s seq) curve(name string, min, max int) seq {
	return append(s, ElementSpec{Name: name, Min: min, Max: max, Type: TypeEnergy})
}

func (s seq) curve2G(name string, min, max int) seq {
	return append(s, ElementSpec{Name: name, Min: min, Max: max, Type: TypeEnergy2G})
}

// bands appends registers prefix+"F"+n for n in from..to, required up to
// band reqTo and optional after it, all of type Numerico12v3Type.
func (s seq) bands(prefix string, from, to, reqTo int) seq {
	for n := from; n <= to; n++ {
		min := 0
		if n <= reqTo {
			min = 1
		}
		s = append(s, ElementSpec{Name: fmt.Sprintf("%sF%d", prefix, n), Min: min, Max: 1, Type: TypeNumeric12v3})
	}
	return s
}

func (s seq) empty() seq {
	for i := range s {
		if s[i].Type != TypeComplex && s[i].Type != TypeEnergy {
			s[i].EmptyAllowed = true
		}
	}
	return s
}

// Names of the shapes that the decoder, the writer and the validator pick.
const (
	ShapeHeader          = "IdentificativiFlussoType"
	ShapePodPeriodic     = "DatiPodFlusso1"
	ShapePodCorrection   = "DatiPodFlusso2"
	ShapePodLegacy       = "DatiPodLegacyType"
	ShapePodFunctional   = "DatiPodSwitchingFunctionalType"
	ShapePodHistorical   = "DatiPodSwitchingHistoricalType"
	ShapePodReplacement  = "DatiPodSMISType"
	ShapeConsumptionHist = "ConsumoSwitchingHistoricalType"
	ShapeConsumptionStD  = "ConsumoStDType"
	ShapeRemoval         = "SmontaggioType"
	ShapeInstallation    = "MontaggioType"
	ShapeMisuraBase      = "DettaglioMisuraGenericoType"
	ShapeMisuraBaseR     = "DettaglioMisuraGenericoRType"
)

var shapes = map[string]*Shape{}

// concreteMisura lists the xsi:type values of Misura in the official
// complex-types schema.
var concreteMisura = map[string]bool{}

func define(name string, reconstructed bool, elems seq) {
	shapes[name] = &Shape{Name: name, Reconstructed: reconstructed, Elements: elems}
}

// misura defines a concrete Misura type: the elements of its abstract base
// first, then its own.
func misura(name, base string, own seq) {
	elems := append(seq{}, shapes[base].Elements...)
	shapes[name] = &Shape{Name: name, Base: base, Elements: append(elems, own...)}
	concreteMisura[name] = true
}

func init() {
	defineCommon()
	definePdp()
	defineMisura()
	defineLegacy()
	defineSwitching()
	finishShapes()
}

func defineCommon() {
	define(ShapeHeader, false, seq{}.
		req(TypeVAT, "PIvaUtente", "PIvaDistributore").
		req(TypeDispatchingContract, "CodContrDisp"))

	// Flusso 1 (FlussiDatiMisuraPrelievoEE-Flusso1-Periodico.xsd).
	define(ShapePodPeriodic, false, seq{}.
		req(TypePOD, "Pod").
		opt(TypeMonthYear, "MeseAnno").
		opt(TypeDate, "DataMisura", "DataPrest").
		opt(TypePracticeCode, "CodPrat_SII").
		complex("DatiPdp", "DatiPdp2GType", 1, 1, 0).
		complex("Misura", ShapeMisuraBase, 1, 1, 1).
		complex("Consumo", "DettaglioConsumoV2Type", 1, 1, 1))

	// Flusso 2 (FlussiDatiMisuraPrelievoEE-Flusso2-Rettifica.xsd).
	define(ShapePodCorrection, false, seq{}.
		req(TypePOD, "Pod").
		opt(TypeMonthYear, "MeseAnno").
		opt(TypeDate, "DataMisura").
		req(TypeCorrectionType, "TipoRettifica").
		opt(TypeDate, "DataRilevazione").
		req(TypeReason, "Motivazione").
		opt(TypeDate, "DataPrest").
		opt(TypePracticeCode, "CodPrat_SII").
		complex("DatiPdp", "DatiPdp2GType", 1, 1, 0).
		complex("Misura", ShapeMisuraBaseR, 0, 1, 1).
		complex("Consumo", "DettaglioConsumoRv2Type", 0, 1, 1))
}

func definePdp() {
	define("DatiPdp2GType", false, seq{}.
		req(TypeTreatment, "Trattamento").
		req(TypeInt10, "Tensione").
		def(TypeOnOff, "Forfait", "NO").
		def(TypeOnOff, "GruppoMis", "SI").
		opt(TypeNumeric12v3, "Ka", "Kr", "Kp"))
	define("DatiPdpOPType", false, seq{}.
		req(TypeDispatchPoint, "PuntoDispacciamento").
		req(TypeTreatment, "Trattamento").
		req(TypeInt10, "Tensione").
		opt(TypeNumeric6v3, "PotContrImp", "PotDisp").
		opt(TypeInt3, "CifreAtt", "CifreRea"))
	define("DatiPdp2GoldType", false, seq{}.
		req(TypeDispatchPoint, "PuntoDispacciamento").
		req(TypeTreatment, "Trattamento").
		req(TypeInt10, "Tensione"))
	define("DatiPdpOSType", false, seq{}.
		req(TypeDispatchPoint, "PuntoDispacciamento").
		req(TypeTreatment, "Trattamento").
		req(TypeInt10, "Tensione").
		opt(TypeNumeric6v3, "PotImp", "PotDisp").
		opt(TypeInt3, "CifreAtt", "CifreRea").
		req(TypeTariffCode, "CodiceTariffa").
		req(TypeProtectionService, "ServizioTutela").
		req(TypeOnOff, "Prestazioni"))
	define("DatiPdpOS2GType", false, seq{}.
		req(TypeDispatchPoint, "PuntoDispacciamento").
		req(TypeTreatment, "Trattamento").
		req(TypeInt10, "Tensione").
		req(TypeMeterType, "TipoMisuratore").
		req(TypeDate, "DataOperatMisur2G").
		opt(TypeNumeric6v3, "PotImp", "PotDisp").
		opt(TypeInt3, "CifreAtt", "CifreRea").
		req(TypeTariffCode, "CodiceTariffa").
		req(TypeProtectionService, "ServizioTutela").
		req(TypeOnOff, "Prestazioni"))
	meters := seq{}.
		opt(TypeNumeric12v3, "Ka", "Kr", "Kp").
		opt(TypeMeterSerial, "MatrAtt", "MatrRea", "MatrPot").
		opt(TypeDate, "DataInstMisAtt", "DataInstMisRea", "DataInstMisPot").
		opt(TypeInt3, "CifreAtt", "CifreRea", "CifrePot").
		def(TypeOnOff, "GruppoMis", "SI").
		def(TypeOnOff, "Forfait", "NO")
	define("DatiPdpNPType", false, append(seq{}.
		req(TypeTreatment, "Trattamento").
		req(TypeInt10, "Tensione").
		opt(TypeNumeric6v3, "PotContrImp", "PotDisp"), meters...))
	define("DatiPdpNSType", false, append(append(seq{}.
		req(TypeTreatment, "Trattamento").
		req(TypeInt10, "Tensione").
		opt(TypeNumeric6v3, "PotImp", "PotDisp"), meters...), seq{}.
		req(TypeTariffCode, "CodiceTariffa").
		req(TypeProtectionService, "ServizioTutela").
		req(TypeOnOff, "Prestazioni")...))
}

func defineMisura() {
	define(ShapeMisuraBase, false, seq{}.
		req(TypeCollectionV2, "Raccolta").
		req(TypeDataTypeV2, "TipoDato").
		opt(TypeOnOff, "CausaOstativa").
		req(TypeValidated, "Validato").
		opt(TypeNumeric7v3, "PotMax"))
	define(ShapeMisuraBaseR, false, seq{}.
		opt(TypeOnOff, "CausaOstativa").
		opt(TypeNumeric12v3, "PotMax"))

	// Flusso 1 concrete types.
	misura("DettaglioMisuraNOv2Type", ShapeMisuraBase, seq{}.
		bands("Ea", 1, 3, 0).bands("Er", 1, 3, 0).bands("Pot", 1, 3, 0).
		opt(TypeNumeric12v3, "EaM", "ErM", "PotM").
		bands("Erc", 1, 3, 0).opt(TypeNumeric12v3, "ErcM").
		bands("Eri", 1, 3, 0).opt(TypeNumeric12v3, "EriM"))
	misura("DettaglioMisuraPDOv2Type", ShapeMisuraBase, seq{}.
		curve("Ea", 1, 32).curve("Er", 1, 32).curve("Erc", 0, 32).curve("Eri", 0, 32))
	misura("DettaglioMisuraPeriodico2GNRType", ShapeMisuraBase, seq{}.
		curve("Ea", 0, 32).curve("Er", 0, 32).
		bands("Ea", 1, 6, 3).bands("Er", 1, 6, 3).bands("Pot", 1, 6, 3).
		curve("Erc", 0, 32).bands("Erc", 1, 6, 0).
		curve("Eri", 0, 32).bands("Eri", 1, 6, 0))
	misura("DettaglioMisuraPeriodico2GORType", ShapeMisuraBase, seq{}.
		curve("Ea", 1, 2).curve("Er", 1, 2).
		bands("Ea", 1, 6, 6).bands("Er", 1, 6, 6).bands("Pot", 1, 6, 6).
		curve("Erc", 0, 2).bands("Erc", 1, 6, 0).
		curve("Eri", 0, 2).bands("Eri", 1, 6, 0))
	misura("DettaglioMisuraPeriodico2GRType", ShapeMisuraBase, seq{}.
		curve("Ea", 1, 2).curve("Er", 1, 2).
		bands("Ea", 1, 6, 3).bands("Er", 1, 6, 3).bands("Pot", 1, 6, 3).
		curve("Erc", 0, 2).bands("Erc", 1, 6, 0).
		curve("Eri", 0, 2).bands("Eri", 1, 6, 0))
	misura("DettaglioMisuraSNM2GType", ShapeMisuraBase, seq{}.
		bands("Ea", 1, 6, 6).bands("Er", 1, 6, 6).bands("Pot", 1, 6, 6).
		bands("Erc", 1, 6, 0).bands("Eri", 1, 6, 0))

	// Flusso 2 concrete types.
	misura("DettaglioMisuraRFOv2Type", ShapeMisuraBaseR, seq{}.
		curve("Ea", 1, 32).curve("Er", 1, 32).curve("Erc", 0, 32).curve("Eri", 0, 32))
	misura("DettaglioMisuraRNOv2Type", ShapeMisuraBaseR, seq{}.
		bands("Ea", 1, 3, 0).bands("Er", 1, 3, 0).bands("Pot", 1, 3, 0).
		opt(TypeNumeric12v3, "EaM", "ErM", "PotM").
		bands("Erc", 1, 3, 0).opt(TypeNumeric12v3, "ErcM").
		bands("Eri", 1, 3, 0).opt(TypeNumeric12v3, "EriM"))
	misura("DettaglioMisuraRSNRType", ShapeMisuraBaseR, seq{}.
		bands("Ea", 1, 6, 0).bands("Er", 1, 6, 0).bands("Pot", 1, 6, 0).
		opt(TypeNumeric12v3, "EaM", "ErM", "PotM").
		bands("Erc", 1, 6, 0).opt(TypeNumeric12v3, "ErcM").
		bands("Eri", 1, 6, 0).opt(TypeNumeric12v3, "EriM"))
	misura("DettaglioMisuraRNRType", ShapeMisuraBaseR, seq{}.
		curve("Ea", 0, 32).curve("Er", 0, 32).
		bands("Ea", 1, 6, 0).bands("Er", 1, 6, 0).bands("Pot", 1, 6, 0).
		opt(TypeNumeric12v3, "EaM", "ErM", "PotM").
		curve("Erc", 0, 32).bands("Erc", 1, 6, 0).opt(TypeNumeric12v3, "ErcM").
		curve("Eri", 0, 32).bands("Eri", 1, 6, 0).opt(TypeNumeric12v3, "EriM"))
	misura("DettaglioMisuraRORType", ShapeMisuraBaseR, seq{}.
		curve("Ea", 1, 32).curve("Er", 1, 32).
		bands("Ea", 1, 6, 6).bands("Er", 1, 6, 6).bands("Pot", 1, 6, 6).
		opt(TypeNumeric12v3, "EaM", "ErM", "PotM").
		curve("Erc", 0, 32).bands("Erc", 1, 6, 0).opt(TypeNumeric12v3, "ErcM").
		curve("Eri", 0, 32).bands("Eri", 1, 6, 0).opt(TypeNumeric12v3, "EriM"))
	misura("DettaglioMisuraRRType", ShapeMisuraBaseR, seq{}.
		curve("Ea", 1, 32).curve("Er", 1, 32).
		bands("Ea", 1, 6, 3).bands("Er", 1, 6, 3).bands("Pot", 1, 6, 3).
		opt(TypeNumeric12v3, "EaM", "ErM", "PotM").
		curve("Erc", 0, 32).bands("Erc", 1, 6, 0).opt(TypeNumeric12v3, "ErcM").
		curve("Eri", 0, 32).bands("Eri", 1, 6, 0).opt(TypeNumeric12v3, "EriM"))

	define("DettaglioConsumoV2Type", false, seq{}.
		req(TypeDate, "DataInizioPeriodo").
		req(TypeNumeric12v3, "EaM").
		opt(TypeNumeric12v3, "PotM"))
	define("DettaglioConsumoRv2Type", false, seq{}.
		req(TypeDate, "DataInizioPeriodo").
		opt(TypeNumeric12v3, "EaM", "PotM").
		bands("Ea", 1, 3, 0).bands("Er", 1, 3, 0).bands("Pot", 1, 3, 0).
		bands("Erc", 1, 3, 0).opt(TypeNumeric12v3, "ErcM").
		bands("Eri", 1, 3, 0).opt(TypeNumeric12v3, "EriM"))
}

// defineLegacy defines the pre-2020 shapes that the complex-types schema
// still carries: Curva types, non-hourly Misura and Consumo types.
func defineLegacy() {
	define(ShapePodLegacy, true, seq{}.
		req(TypePOD, "Pod").
		opt(TypeMonthYear, "MeseAnno").
		opt(TypeDate, "DataMisura").
		complex("DatiPdp", "DatiPdpOPType", 1, 1, 0).
		complex("Curva", "DettaglioCurvaType", 1, 1, 1).
		complex("Misura", "DettaglioMisuraType", 1, 1, 1).
		complex("Consumo", "DettaglioConsumiFType", 1, 1, 1))

	define("DettaglioMisuraNO2GType", false, seq{}.
		bands("Ea", 1, 6, 0).bands("Er", 1, 6, 0))
	define("DettaglioConsumiFType", false, seq{}.
		req(TypeDate, "DataInizioPeriodo").
		req(TypeNumeric12v3, "EaM"))
	define("DettaglioConsumiRType", false, seq{}.
		req(TypeDate, "DataInizioPeriodo").
		opt(TypeNumeric12v3, "EaM", "ErM").
		bands("Ea", 1, 3, 0).bands("Er", 1, 3, 0))
	define("DettaglioConsumiSType", false, seq{}.
		req(TypeDataType, "TipoDato").
		req(TypeValidated, "Validato").
		opt(TypeNumeric12v3, "EaM", "ErM", "PotM").
		bands("Ea", 1, 3, 0).bands("Er", 1, 3, 0).bands("Pot", 1, 3, 0))

	define("DettaglioCurvaType", false, seq{}.
		req(TypeCollection, "Raccolta").
		req(TypeDataType, "TipoDato").
		req(TypeValidated, "Validato").
		req(TypeNumeric7v3, "PotMax").
		curve("Ea", 1, 32).curve("Er", 1, 32))
	define("DettaglioCurvaRType", false, seq{}.
		req(TypeNumeric7v3, "PotMax").
		curve("Ea", 1, 32).curve("Er", 1, 32))
	define("DettaglioCurvaSType", false, seq{}.
		req(TypeDataType, "TipoDato").
		req(TypeValidated, "Validato").
		req(TypeNumeric7v3, "PotMax").
		curve("Ea", 1, 32).curve("Er", 1, 32))
	define("DettaglioCurvaR2GType", false, seq{}.
		req(TypeNumeric7v3, "PotMax").
		curve2G("Ea", 1, 31).curve2G("Er", 1, 31))
	define("DettaglioCurvaS2GType", false, seq{}.
		req(TypeDataType, "TipoDato").
		req(TypeValidated, "Validato").
		req(TypeNumeric7v3, "PotMax").
		curve2G("Ea", 1, 31).curve2G("Er", 1, 31))
	define("DettaglioMisuraType", false, seq{}.
		req(TypeCollection, "Raccolta").
		req(TypeDataType, "TipoDato").
		req(TypeValidated, "Validato").
		opt(TypeNumeric12v3, "EaM", "ErM", "PotM").
		bands("Ea", 1, 3, 0).bands("Er", 1, 3, 0).bands("Pot", 1, 3, 0))
	define("DettaglioMisuraRType", false, seq{}.
		opt(TypeNumeric12v3, "EaM", "ErM", "PotM").
		bands("Ea", 1, 3, 0).bands("Er", 1, 3, 0).bands("Pot", 1, 3, 0))
}

// defineSwitching defines the switching and meter replacement shapes.
// No official XSD of SOF, SNF, F2G, SOS, SNS, S2G or SMIS is public. The
// element order follows the SII generator of the switching flows
// (it.au.misure.ee_switching) and the meter replacement model of the
// Vendita.HubMisureEE consumer.
// NOTE: the minimum occurrences are guesses, kept lenient: only the
// identifying elements are required.
func defineSwitching() {
	define(ShapePodFunctional, true, seq{}.
		req(TypePOD, "Pod").
		opt(TypePracticeCode, "CodPrat_SII").
		opt(TypeDate, "DataInizio").
		complex("DatiPdp", "DatiPdpSOFType", 1, 1, 0))
	functional := func(name string, meters, regime bool) {
		s := seq{}.opt(TypeDispatchPoint, "PuntoDispacciamento").
			opt(TypeMeterType, "TipoMisuratore")
		if regime {
			s = s.opt(TypeDate, "DataMessaRegime2G")
		}
		s = s.req(TypeTreatment, "Trattamento").
			req(TypeInt10, "Tensione").
			opt(TypeNumeric12v3, "PotImp", "PotDisp")
		if meters {
			s = s.opt(TypeNumeric12v3, "Ka", "Kr", "Kp").
				opt(TypeMeterSerial, "MatrAtt", "MatrRea", "MatrPot").
				opt(TypeDate, "DataInstMisAtt", "DataInstMisRea", "DataInstMisPot").
				opt(TypeInt3, "CifreAtt", "CifreRea", "CifrePot")
		} else {
			s = s.opt(TypeMeterSerial, "MatrAtt", "MatrRea", "MatrPot")
		}
		s = s.opt(TypeOnOff, "GruppoMis", "Forfait").
			opt(TypeTariffCode, "CodiceTariffa").
			opt(TypeOnOff, "Residenza", "Disaliment").
			opt(TypeProtectionService, "ServizioTutela").
			opt(TypeString, "ConfMis", "RegimeComp")
		define(name, true, s)
	}
	functional("DatiPdpSOFType", false, false)
	functional("DatiPdpSNFType", true, false)
	functional("DatiPdpF2GType", true, true)

	define(ShapePodHistorical, true, seq{}.
		req(TypePOD, "Pod").
		req(TypeMonthYear, "MeseAnno").
		complex("DatiPdp", "DatiPdpSOSType", 1, 1, 0).
		complex("Consumo", ShapeConsumptionHist, 1, 1, 0).
		complex("Consumo_StD", ShapeConsumptionStD, 0, 1, 0))
	define("DatiPdpSOSType", true, seq{}.
		opt(TypeTreatment, "Trattamento").
		opt(TypeMeterType, "TipoMisuratore"))
	define("DatiPdpS2GType", true, seq{}.
		opt(TypeOnOff, "MessaRegime").
		opt(TypeTreatment, "Trattamento").
		opt(TypeMeterType, "TipoMisuratore"))
	define(ShapeConsumptionHist, true, seq{}.
		req(TypeDataType, "TipoDato").
		opt(TypeNumeric7v3, "PotMax").
		curve("Ea", 0, 32).
		opt(TypeNumeric12v3, "EaM").
		bands("Ea", 1, 6, 0).
		opt(TypeNumeric12v3, "PotM").
		bands("Pot", 1, 6, 0).empty())
	define(ShapeConsumptionStD, true, seq{}.
		opt(TypeNumeric12v3, "EaF1_StD", "EaF2_StD", "EaF3_StD").empty())

	define(ShapePodReplacement, true, seq{}.
		req(TypePOD, "Pod").
		opt(TypeString, "Motivazione").
		complex("Smontaggio", ShapeRemoval, 0, 1, 0).
		complex("Montaggio", ShapeInstallation, 0, 1, 0))
	registers := seq{}.
		bands("Ea", 1, 6, 0).bands("Er", 1, 6, 0).bands("Pot", 1, 6, 0).
		opt(TypeNumeric12v3, "EaM", "ErM", "PotM")
	define(ShapeRemoval, true, append(seq{}.
		opt(TypeMeterType, "TipoMisuratore").
		opt(TypeDate, "DataMisura").
		opt(TypeDataTypeV2, "TipoDato"), registers...))
	define(ShapeInstallation, true, append(seq{}.
		opt(TypeMeterType, "TipoMisuratore").
		opt(TypeDate, "DataMisura").
		opt(TypeDate, "DataMessaRegime2G").
		opt(TypeInt10, "Tensione").
		opt(TypeNumeric12v3, "Ka", "Kr", "Kp").
		opt(TypeMeterSerial, "MatrAtt", "MatrRea", "MatrPot").
		opt(TypeInt3, "CifreAtt", "CifreRea", "CifrePot"), registers...))
}

// Write orders: every child the model can hold for a kind of container.
var (
	podOrder = seq{}.
			opt(TypePOD, "Pod").
			opt(TypeMonthYear, "MeseAnno").
			opt(TypeDate, "DataMisura").
			opt(TypeCorrectionType, "TipoRettifica").
			opt(TypeDate, "DataRilevazione").
			opt(TypeString, "Motivazione").
			opt(TypeDate, "DataPrest").
			opt(TypePracticeCode, "CodPrat_SII").
			opt(TypeDate, "DataInizio").
			complex("DatiPdp", "", 0, 1, 0).
			complex("Misura", "", 0, 1, 0).
			complex("Curva", "", 0, 1, 0).
			complex("Consumo", "", 0, 1, 0).
			complex("Consumo_StD", "", 0, 1, 0).
			complex("Smontaggio", "", 0, 1, 0).
			complex("Montaggio", "", 0, 1, 0)
	pdpOrder = seq{}.
			opt(TypeOnOff, "MessaRegime").
			opt(TypeDispatchPoint, "PuntoDispacciamento").
			opt(TypeMeterType, "TipoMisuratore").
			opt(TypeDate, "DataMessaRegime2G", "DataOperatMisur2G").
			opt(TypeTreatment, "Trattamento").
			opt(TypeInt10, "Tensione").
			opt(TypeNumeric12v3, "PotContrImp", "PotImp", "PotDisp").
			opt(TypeOnOff, "Forfait", "GruppoMis").
			opt(TypeNumeric12v3, "Ka", "Kr", "Kp").
			opt(TypeMeterSerial, "MatrAtt", "MatrRea", "MatrPot").
			opt(TypeDate, "DataInstMisAtt", "DataInstMisRea", "DataInstMisPot").
			opt(TypeInt3, "CifreAtt", "CifreRea", "CifrePot").
			opt(TypeTariffCode, "CodiceTariffa").
			opt(TypeOnOff, "Residenza", "Disaliment").
			opt(TypeProtectionService, "ServizioTutela").
			opt(TypeOnOff, "Prestazioni").
			opt(TypeString, "ConfMis", "RegimeComp")
	measureOrder = seq{}.
			opt(TypeDate, "DataInizioPeriodo").
			opt(TypeCollectionV2, "Raccolta").
			opt(TypeDataTypeV2, "TipoDato").
			opt(TypeOnOff, "CausaOstativa").
			opt(TypeValidated, "Validato").
			opt(TypeNumeric12v3, "PotMax").
			curve("Ea", 0, Unbounded).curve("Er", 0, Unbounded).
			bands("Ea", 1, 6, 0).bands("Er", 1, 6, 0).bands("Pot", 1, 6, 0).
			opt(TypeNumeric12v3, "EaM", "ErM", "PotM").
			curve("Erc", 0, Unbounded).bands("Erc", 1, 6, 0).opt(TypeNumeric12v3, "ErcM").
			curve("Eri", 0, Unbounded).bands("Eri", 1, 6, 0).opt(TypeNumeric12v3, "EriM")
	meterChangeOrder = append(seq{}.
				opt(TypeMeterType, "TipoMisuratore").
				opt(TypeDate, "DataMisura").
				opt(TypeDataTypeV2, "TipoDato").
				opt(TypeDate, "DataMessaRegime2G").
				opt(TypeInt10, "Tensione").
				opt(TypeNumeric12v3, "Ka", "Kr", "Kp").
				opt(TypeMeterSerial, "MatrAtt", "MatrRea", "MatrPot").
				opt(TypeInt3, "CifreAtt", "CifreRea", "CifrePot"),
		seq{}.bands("Ea", 1, 6, 0).bands("Er", 1, 6, 0).bands("Pot", 1, 6, 0).
			opt(TypeNumeric12v3, "EaM", "ErM", "PotM").
			bands("Erc", 1, 6, 0).opt(TypeNumeric12v3, "ErcM").
			bands("Eri", 1, 6, 0).opt(TypeNumeric12v3, "EriM")...)
	stdOrder = seq{}.opt(TypeNumeric12v3, "EaF1_StD", "EaF2_StD", "EaF3_StD")
)

// Generic shapes apply when a record's shape is unknown, and they are the
// second half of every write order.
var (
	genericPod         = &Shape{Name: "DatiPod", Reconstructed: true, Elements: podOrder}
	genericPdp         = &Shape{Name: "DatiPdp", Reconstructed: true, Elements: pdpOrder}
	genericMeasure     = &Shape{Name: "Misura", Reconstructed: true, Elements: measureOrder}
	genericMeterChange = &Shape{Name: "MeterChange", Reconstructed: true, Elements: meterChangeOrder}
)

func finishShapes() {
	for _, g := range []*Shape{genericPod, genericPdp, genericMeasure, genericMeterChange} {
		finish(g, g.Elements)
	}
	for name, s := range shapes {
		var rest seq
		switch {
		case name == ShapeHeader:
			rest = nil
		case strings.HasPrefix(name, "DatiPod"):
			rest = podOrder
		case strings.HasPrefix(name, "DatiPdp"):
			rest = pdpOrder
		case name == ShapeRemoval || name == ShapeInstallation:
			rest = meterChangeOrder
		case name == ShapeConsumptionStD:
			rest = stdOrder
		default:
			rest = measureOrder
		}
		finish(s, rest)
	}
}

func finish(s *Shape, rest seq) {
	s.index = make(map[string]int, len(s.Elements))
	for i, e := range s.Elements {
		s.index[e.Name] = i
	}
	s.writeOrder = append([]ElementSpec{}, s.Elements...)
	for _, e := range rest {
		if _, ok := s.index[e.Name]; !ok {
			s.writeOrder = append(s.writeOrder, e)
		}
	}
}

// LookupShape returns a shape by its name: an XSD complex type name such as
// "DatiPdp2GType", or one of the Shape* constants.
func LookupShape(name string) (*Shape, bool) {
	s, ok := shapes[name]
	return s, ok
}

// MeasureSchema returns the shape of a concrete Misura type named by
// xsi:type, such as "DettaglioMisuraPDOv2Type". Surrounding spaces are
// ignored; abstract and unknown types return false.
func MeasureSchema(xsiType string) (*Shape, bool) {
	name := strings.TrimSpace(xsiType)
	if !concreteMisura[name] {
		return nil, false
	}
	return shapes[name], true
}

// MeasureTypes returns the concrete Misura types of the official schema.
func MeasureTypes() []string {
	return []string{
		"DettaglioMisuraNOv2Type", "DettaglioMisuraPDOv2Type",
		"DettaglioMisuraPeriodico2GNRType", "DettaglioMisuraPeriodico2GORType",
		"DettaglioMisuraPeriodico2GRType", "DettaglioMisuraSNM2GType",
		"DettaglioMisuraRFOv2Type", "DettaglioMisuraRNOv2Type",
		"DettaglioMisuraRSNRType", "DettaglioMisuraRNRType",
		"DettaglioMisuraRORType", "DettaglioMisuraRRType",
	}
}
