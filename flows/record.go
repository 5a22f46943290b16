package flows

// Header is the start of every flow file: the root element and its
// IdentificativiFlusso block.
type Header struct {
	// Root is the root element name: "FlussoMisure" in current files, "FM"
	// in some legacy pipelines.
	Root string
	// RootNamespace is the default namespace declared on the root (its
	// xmlns attribute), unset when there is none. The official schemas
	// have no target namespace, so only an empty value conforms. The
	// Writer does not write it.
	RootNamespace Value `json:",omitzero"`
	// FlowCode is the CodFlusso attribute of the root, such as "PDO2G".
	FlowCode Value
	// SellerVAT is PIvaUtente: the VAT number of the seller (dispatching
	// user, UdD). It stays a string: leading zeros and foreign numbers of up
	// to 16 characters are kept.
	SellerVAT Value
	// DistributorVAT is PIvaDistributore: the VAT number of the distributor.
	DistributorVAT Value
	// DispatchingContract is CodContrDisp: the Terna dispatching contract,
	// such as "DP0001".
	DispatchingContract Value
	// IdentifiersMissing is set by the Decoder when the root has no
	// IdentificativiFlusso element before the first DatiPod. It is the
	// inverse of presence so that a Header built in code, with the zero
	// value, counts as having one.
	IdentifiersMissing bool `json:",omitempty"`
	// Extra holds elements of IdentificativiFlusso that the standard does not
	// define, kept so they are reported and written back.
	Extra []Element
	// RootExtra holds elements directly under the root, other than
	// IdentificativiFlusso and DatiPod, that come before the first DatiPod.
	// A writer puts them back after IdentificativiFlusso.
	RootExtra []Element
}

// Record is one DatiPod element: the data of one POD for one competence.
// Every field keeps its text exactly as read; typed access goes through the
// Value methods.
type Record struct {
	// Line and Column locate the DatiPod start tag (1-based).
	Line, Column int
	// POD is Pod: the 14 or 15 character point of delivery code.
	POD Value
	// MonthYear is MeseAnno (MM/yyyy): the month of an hourly curve.
	MonthYear Value
	// MeasureDate is DataMisura (dd/MM/yyyy): the date of a non-hourly reading.
	MeasureDate Value
	// CorrectionType is TipoRettifica (P, S, V, T), corrections only: the
	// kind of measure corrected.
	CorrectionType Value
	// DetectionDate is DataRilevazione (dd/MM/yyyy), corrections only.
	DetectionDate Value
	// Reason is Motivazione (1–6) in corrections, or the replacement reason
	// in SMIS files.
	Reason Value
	// ServiceDate is DataPrest (dd/MM/yyyy): the switching, voltura or
	// technical service date.
	ServiceDate Value
	// PracticeCode is CodPrat_SII: the 15-character SII practice code.
	PracticeCode Value
	// StartDate is DataInizio (dd/MM/yyyy) of the switching functional flows.
	StartDate Value
	// Pdp is DatiPdp: the technical data of the point.
	Pdp Pdp
	// Measure is Misura (current flows) or Curva (legacy flows); nil when absent.
	Measure *Measure
	// Consumption is Consumo: a consumption instead of a measure (forfait,
	// no meter, reconstructions) or the monthly block of historical
	// switching flows; nil when absent.
	Consumption *Measure
	// ConsumptionStD is Consumo_StD of the 2G historical flow (EaF1_StD,
	// EaF2_StD, EaF3_StD); nil when absent.
	ConsumptionStD *StDConsumption
	// Removal is Smontaggio of a meter replacement (SMIS); nil otherwise.
	Removal *MeterChange
	// Installation is Montaggio of a meter replacement (SMIS); nil otherwise.
	Installation *MeterChange
	// Extra holds child elements the standard does not define for DatiPod.
	Extra []Element
}

// Pdp is DatiPdp, the technical data of a point. It is the union of every
// DatiPdp shape of current, legacy and switching flows; each shape uses a
// subset of the fields.
type Pdp struct {
	// Set reports whether DatiPdp was present.
	Set bool
	// Line is the line of the DatiPdp start tag.
	Line int32
	// Index is the position of DatiPdp among the children of DatiPod.
	Index uint16

	DispatchPoint      Value // PuntoDispacciamento: market zone (NORD, CNOR, …)
	MeterType          Value // TipoMisuratore
	Regime2G           Value // MessaRegime (S2G): SI or NO
	Regime2GDate       Value // DataMessaRegime2G (F2G, SMIS)
	Operation2GDate    Value // DataOperatMisur2G (legacy 2G switching data)
	Treatment          Value // Trattamento: M, F, O or C
	Voltage            Value // Tensione, in volts
	ContractPower      Value // PotContrImp, kW (legacy)
	CommittedPower     Value // PotImp, kW (switching functional data)
	AvailablePower     Value // PotDisp, kW
	Flat               Value // Forfait: SI or NO
	MeterGroup         Value // GruppoMis: SI or NO
	Ka                 Value // Ka: active energy constant
	Kr                 Value // Kr: reactive energy constant
	Kp                 Value // Kp: power constant
	ActiveMeter        Value // MatrAtt: active energy meter serial
	ReactiveMeter      Value // MatrRea: reactive energy meter serial
	PowerMeter         Value // MatrPot: power meter serial
	ActiveMeterDate    Value // DataInstMisAtt: active meter installation date
	ReactiveMeterDate  Value // DataInstMisRea: reactive meter installation date
	PowerMeterDate     Value // DataInstMisPot: power meter installation date
	ActiveDigits       Value // CifreAtt: digits of the active register
	ReactiveDigits     Value // CifreRea: digits of the reactive register
	PowerDigits        Value // CifrePot: digits of the power register
	TariffCode         Value // CodiceTariffa: distributor tariff code
	Resident           Value // Residenza: SI or NO
	Disconnectable     Value // Disaliment: SI or NO
	ProtectionService  Value // ServizioTutela: MT or S
	Services           Value // Prestazioni: SI or NO
	MeterConfig        Value // ConfMis
	CompensationRegime Value // RegimeComp

	// Extra holds child elements the standard does not define for DatiPdp.
	Extra []Element
}

// Measure is a Misura, Curva or Consumo element: the quality attributes,
// the quarter-hour curves and the band registers. The concrete Misura type
// is in XSIType; which fields it allows is checked by the validator.
type Measure struct {
	// Element is the element name: "Misura", "Curva" or "Consumo".
	Element string
	// XSIType is the xsi:type attribute exactly as read (odd spacing trimmed),
	// such as "DettaglioMisuraPDOv2Type"; empty for Curva and Consumo.
	XSIType string
	// Line is the line of the start tag.
	Line int32
	// Index is the position of the element among the children of DatiPod.
	Index uint16

	PeriodStart   Value // DataInizioPeriodo (Consumo): start of the period
	Collection    Value // Raccolta: P, S, V or T
	DataType      Value // TipoDato: E, S or A
	ObstacleCause Value // CausaOstativa: SI or NO
	Validated     Value // Validato: S or N
	PotMax        Value // PotMax, kW

	// Curves are the Ea, Er, Erc and Eri day elements in document order.
	Curves []Curve
	// Registers are the band and single-rate registers (EaF1…EriM).
	Registers Registers

	// Extra holds child elements the standard does not define here.
	Extra []Element
}

// Band indexes the six bands F1..F6 of Registers (0 is F1).
type Band int

// Registers are the band registers of a measure. For each quantity, index
// 0..5 is band F1..F6 (F4..F6 exist on 2G meters only); the M fields are the
// single-rate (monorario) registers.
type Registers struct {
	Ea   [6]Value // EaF1..EaF6: active energy, kWh
	Er   [6]Value // ErF1..ErF6: reactive inductive withdrawn energy, kvarh
	Pot  [6]Value // PotF1..PotF6: maximum power, kW
	Erc  [6]Value // ErcF1..ErcF6: reactive capacitive injected energy, kvarh
	Eri  [6]Value // EriF1..EriF6: reactive inductive injected energy, kvarh
	EaM  Value    // EaM: single-rate active energy, kWh
	ErM  Value    // ErM: single-rate reactive energy, kvarh
	PotM Value    // PotM: single-rate maximum power, kW
	ErcM Value    // ErcM: single-rate reactive capacitive injected energy
	EriM Value    // EriM: single-rate reactive inductive injected energy
}

// StDConsumption is Consumo_StD of the 2G historical switching flow: the
// monthly consumption of a reconfigured hourly POD in the standard bands.
type StDConsumption struct {
	Line  int32
	Index uint16
	Ea    [3]Value // EaF1_StD, EaF2_StD, EaF3_StD
	Extra []Element
}

// MeterChange is Smontaggio (removal) or Montaggio (installation) of a
// meter replacement (SMIS): the meter's data and its registers at the change.
type MeterChange struct {
	Line  int32
	Index uint16

	MeterType      Value // TipoMisuratore
	MeasureDate    Value // DataMisura
	DataType       Value // TipoDato
	Regime2GDate   Value // DataMessaRegime2G
	Voltage        Value // Tensione
	Ka, Kr, Kp     Value // Ka, Kr, Kp
	ActiveMeter    Value // MatrAtt
	ReactiveMeter  Value // MatrRea
	PowerMeter     Value // MatrPot
	ActiveDigits   Value // CifreAtt
	ReactiveDigits Value // CifreRea
	PowerDigits    Value // CifrePot
	Registers      Registers
	Extra          []Element
}

// Element is an element this package does not know, kept with its markup so
// it can be reported and written back.
type Element struct {
	// Name is the element name.
	Name string
	// Line is the line of its start tag.
	Line int32
	// Index is its position among the children of its parent.
	Index uint16
	// XML is the element's markup exactly as read, from "<" to the end tag.
	XML string
}
