package flows

// This file maps element names to the Value fields of the model, so the
// decoder, the writer and the validator share one mapping.

// Field returns the Value that holds the IdentificativiFlusso child name,
// or nil when the header has no such field.
func (h *Header) Field(name string) *Value {
	switch name {
	case "PIvaUtente":
		return &h.SellerVAT
	case "PIvaDistributore":
		return &h.DistributorVAT
	case "CodContrDisp":
		return &h.DispatchingContract
	}
	return nil
}

var recordFields = map[string]func(*Record) *Value{
	"Pod":             func(r *Record) *Value { return &r.POD },
	"MeseAnno":        func(r *Record) *Value { return &r.MonthYear },
	"DataMisura":      func(r *Record) *Value { return &r.MeasureDate },
	"TipoRettifica":   func(r *Record) *Value { return &r.CorrectionType },
	"DataRilevazione": func(r *Record) *Value { return &r.DetectionDate },
	"Motivazione":     func(r *Record) *Value { return &r.Reason },
	"DataPrest":       func(r *Record) *Value { return &r.ServiceDate },
	"CodPrat_SII":     func(r *Record) *Value { return &r.PracticeCode },
	"DataInizio":      func(r *Record) *Value { return &r.StartDate },
}

// Field returns the Value that holds the text child name of DatiPod, or nil
// for container children (DatiPdp, Misura, …) and unknown names.
func (r *Record) Field(name string) *Value {
	if f, ok := recordFields[name]; ok {
		return f(r)
	}
	return nil
}

var pdpFields = map[string]func(*Pdp) *Value{
	"PuntoDispacciamento": func(p *Pdp) *Value { return &p.DispatchPoint },
	"TipoMisuratore":      func(p *Pdp) *Value { return &p.MeterType },
	"MessaRegime":         func(p *Pdp) *Value { return &p.Regime2G },
	"DataMessaRegime2G":   func(p *Pdp) *Value { return &p.Regime2GDate },
	"DataOperatMisur2G":   func(p *Pdp) *Value { return &p.Operation2GDate },
	"Trattamento":         func(p *Pdp) *Value { return &p.Treatment },
	"Tensione":            func(p *Pdp) *Value { return &p.Voltage },
	"PotContrImp":         func(p *Pdp) *Value { return &p.ContractPower },
	"PotImp":              func(p *Pdp) *Value { return &p.CommittedPower },
	"PotDisp":             func(p *Pdp) *Value { return &p.AvailablePower },
	"Forfait":             func(p *Pdp) *Value { return &p.Flat },
	"GruppoMis":           func(p *Pdp) *Value { return &p.MeterGroup },
	"Ka":                  func(p *Pdp) *Value { return &p.Ka },
	"Kr":                  func(p *Pdp) *Value { return &p.Kr },
	"Kp":                  func(p *Pdp) *Value { return &p.Kp },
	"MatrAtt":             func(p *Pdp) *Value { return &p.ActiveMeter },
	"MatrRea":             func(p *Pdp) *Value { return &p.ReactiveMeter },
	"MatrPot":             func(p *Pdp) *Value { return &p.PowerMeter },
	"DataInstMisAtt":      func(p *Pdp) *Value { return &p.ActiveMeterDate },
	"DataInstMisRea":      func(p *Pdp) *Value { return &p.ReactiveMeterDate },
	"DataInstMisPot":      func(p *Pdp) *Value { return &p.PowerMeterDate },
	"CifreAtt":            func(p *Pdp) *Value { return &p.ActiveDigits },
	"CifreRea":            func(p *Pdp) *Value { return &p.ReactiveDigits },
	"CifrePot":            func(p *Pdp) *Value { return &p.PowerDigits },
	"CodiceTariffa":       func(p *Pdp) *Value { return &p.TariffCode },
	"Residenza":           func(p *Pdp) *Value { return &p.Resident },
	"Disaliment":          func(p *Pdp) *Value { return &p.Disconnectable },
	"ServizioTutela":      func(p *Pdp) *Value { return &p.ProtectionService },
	"Prestazioni":         func(p *Pdp) *Value { return &p.Services },
	"ConfMis":             func(p *Pdp) *Value { return &p.MeterConfig },
	"RegimeComp":          func(p *Pdp) *Value { return &p.CompensationRegime },
}

// Field returns the Value that holds the DatiPdp child name, or nil when
// the model has no field for it.
func (p *Pdp) Field(name string) *Value {
	if f, ok := pdpFields[name]; ok {
		return f(p)
	}
	return nil
}

// Field returns the Value that holds the text child name of a Misura,
// Curva or Consumo, or nil for curve elements (Ea, Er, Erc, Eri) and
// unknown names.
func (m *Measure) Field(name string) *Value {
	switch name {
	case "DataInizioPeriodo":
		return &m.PeriodStart
	case "Raccolta":
		return &m.Collection
	case "TipoDato":
		return &m.DataType
	case "CausaOstativa":
		return &m.ObstacleCause
	case "Validato":
		return &m.Validated
	case "PotMax":
		return &m.PotMax
	}
	return m.Registers.Field(name)
}

// Field returns the register named name (EaF1..EaF6, ErF1.., PotF1..,
// ErcF1.., EriF1.., EaM, ErM, PotM, ErcM, EriM), or nil.
func (r *Registers) Field(name string) *Value {
	var bands *[6]Value
	var single *Value
	var rest string
	switch {
	case len(name) > 3 && name[:3] == "Erc":
		bands, single, rest = &r.Erc, &r.ErcM, name[3:]
	case len(name) > 3 && name[:3] == "Eri":
		bands, single, rest = &r.Eri, &r.EriM, name[3:]
	case len(name) > 3 && name[:3] == "Pot":
		bands, single, rest = &r.Pot, &r.PotM, name[3:]
	case len(name) > 2 && name[:2] == "Ea":
		bands, single, rest = &r.Ea, &r.EaM, name[2:]
	case len(name) > 2 && name[:2] == "Er":
		bands, single, rest = &r.Er, &r.ErM, name[2:]
	default:
		return nil
	}
	switch {
	case rest == "M":
		return single
	case len(rest) == 2 && rest[0] == 'F' && rest[1] >= '1' && rest[1] <= '6':
		return &bands[rest[1]-'1']
	}
	return nil
}

// Field returns the Value that holds the Consumo_StD child name
// (EaF1_StD, EaF2_StD, EaF3_StD), or nil.
func (s *StDConsumption) Field(name string) *Value {
	if len(name) == 8 && name[:3] == "EaF" && name[4:] == "_StD" && name[3] >= '1' && name[3] <= '3' {
		return &s.Ea[name[3]-'1']
	}
	return nil
}

// Field returns the Value that holds the Smontaggio or Montaggio child
// name, or nil.
func (c *MeterChange) Field(name string) *Value {
	switch name {
	case "TipoMisuratore":
		return &c.MeterType
	case "DataMisura":
		return &c.MeasureDate
	case "TipoDato":
		return &c.DataType
	case "DataMessaRegime2G":
		return &c.Regime2GDate
	case "Tensione":
		return &c.Voltage
	case "Ka":
		return &c.Ka
	case "Kr":
		return &c.Kr
	case "Kp":
		return &c.Kp
	case "MatrAtt":
		return &c.ActiveMeter
	case "MatrRea":
		return &c.ReactiveMeter
	case "MatrPot":
		return &c.PowerMeter
	case "CifreAtt":
		return &c.ActiveDigits
	case "CifreRea":
		return &c.ReactiveDigits
	case "CifrePot":
		return &c.PowerDigits
	}
	return c.Registers.Field(name)
}

// RecordShapes are the shapes that apply to the containers of one record.
// A nil shape means the container is absent or its shape is unknown
// (for example a Misura whose xsi:type is unknown).
type RecordShapes struct {
	Pod            *Shape
	Pdp            *Shape
	Measure        *Shape
	Consumption    *Shape
	ConsumptionStD *Shape
	Removal        *Shape
	Installation   *Shape
}

// IsLegacy reports whether a record follows the pre-2020 layout: a Curva
// element, or a DatiPdp with PuntoDispacciamento in a periodic or
// correction flow (or in a file whose CodFlusso is not a known code).
func IsLegacy(flowCode string, r *Record) bool {
	if r.Measure != nil && r.Measure.Element == "Curva" {
		return true
	}
	info, _ := LookupFlow(flowCode)
	switch info.Family {
	case Periodic, Correction, UnknownFamily:
		return r.Pdp.DispatchPoint.Set || r.Pdp.ContractPower.Set
	}
	return false
}

// ShapesFor returns the shapes that apply to record r of a file whose
// CodFlusso is flowCode: the DatiPod sequence of the flow's family, the
// DatiPdp shape, and the shapes of its Misura (by xsi:type), Curva and
// Consumo.
func ShapesFor(flowCode string, r *Record) RecordShapes {
	info, _ := LookupFlow(flowCode)
	var out RecordShapes
	if IsLegacy(flowCode, r) {
		out = legacyShapes(info, r)
	} else {
		out = currentShapes(info, r)
	}
	if r.Removal != nil {
		out.Removal = shapes[ShapeRemoval]
	}
	if r.Installation != nil {
		out.Installation = shapes[ShapeInstallation]
	}
	if r.ConsumptionStD != nil {
		out.ConsumptionStD = shapes[ShapeConsumptionStD]
	}
	return out
}

func currentShapes(info FlowInfo, r *Record) RecordShapes {
	var out RecordShapes
	switch info.Family {
	case Periodic:
		out.Pod, out.Pdp = shapes[ShapePodPeriodic], shapes["DatiPdp2GType"]
		out.Consumption = shapes["DettaglioConsumoV2Type"]
	case Correction:
		out.Pod, out.Pdp = shapes[ShapePodCorrection], shapes["DatiPdp2GType"]
		out.Consumption = shapes["DettaglioConsumoRv2Type"]
	case SwitchingFunctional:
		out.Pod = shapes[ShapePodFunctional]
		out.Pdp = shapes["DatiPdp"+info.Code+"Type"]
	case SwitchingHistorical:
		out.Pod, out.Pdp = shapes[ShapePodHistorical], shapes["DatiPdpSOSType"]
		if info.Is2G {
			out.Pdp = shapes["DatiPdpS2GType"]
		}
		out.Consumption = shapes[ShapeConsumptionHist]
	case MeterReplacement:
		out.Pod = shapes[ShapePodReplacement]
	}
	if r.Measure != nil {
		out.Measure, _ = MeasureSchema(r.Measure.XSIType)
	}
	if r.Consumption == nil {
		out.Consumption = nil
	}
	if !r.Pdp.Set {
		out.Pdp = nil
	}
	return out
}

// legacyShapes picks the pre-2020 shapes from what the record carries,
// because legacy files do not name their types.
func legacyShapes(info FlowInfo, r *Record) RecordShapes {
	out := RecordShapes{Pod: shapes[ShapePodLegacy]}
	switch {
	case !r.Pdp.Set:
	case r.Pdp.DispatchPoint.Set:
		out.Pdp = shapes["DatiPdpOPType"]
	default:
		out.Pdp = shapes["DatiPdpNPType"]
	}
	if m := r.Measure; m != nil {
		out.Measure = legacyMeasureShape(info, m)
	}
	if c := r.Consumption; c != nil {
		switch {
		case c.DataType.Set:
			out.Consumption = shapes["DettaglioConsumiSType"]
		case info.Family == Correction:
			out.Consumption = shapes["DettaglioConsumiRType"]
		default:
			out.Consumption = shapes["DettaglioConsumiFType"]
		}
	}
	return out
}

func legacyMeasureShape(info FlowInfo, m *Measure) *Shape {
	if m.Element != "Curva" {
		if m.Collection.Set {
			return shapes["DettaglioMisuraType"]
		}
		return shapes["DettaglioMisuraRType"]
	}
	has2G := false
	for i := range m.Curves {
		if m.Curves[i].sSet != 0 {
			has2G = true
			break
		}
	}
	switch {
	case m.Collection.Set:
		return shapes["DettaglioCurvaType"]
	case m.DataType.Set && has2G:
		return shapes["DettaglioCurvaS2GType"]
	case m.DataType.Set:
		return shapes["DettaglioCurvaSType"]
	case has2G || info.Is2G:
		return shapes["DettaglioCurvaR2GType"]
	}
	return shapes["DettaglioCurvaRType"]
}
