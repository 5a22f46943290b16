package switching

import (
	"context"
	"strings"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
)

// historyDepth is how many months before the switch month the historical
// data may cover: the SII sends the 12 months from 13 to 2 months before
// the switch, and one more month is accepted for hourly points.
const historyDepth = 14

// nearbyDays bounds the search for another reading of the meter, on both
// sides of the switching reading, for the consumption check.
const nearbyDays = 400

// Inputs are the stored data of one switch-in.
type Inputs struct {
	PracticeCode string
	POD          string
	// SwitchDate is DataInizio of the functional data, else DataPrest of
	// the reading; zero when neither is known.
	SwitchDate civil.Date
	// Reading is the switching reading (SNM or SNM2G) with its record.
	Reading    *store.Reading
	ReadingRow *store.RecordRow
	// ReadingTechnical is the DatiPdp of the reading's record.
	ReadingTechnical map[string]string
	// Correction is the current switching correction (RSN or RSN2G) of
	// the reading, with its record.
	Correction    *store.Reading
	CorrectionRow *store.RecordRow
	// Functional is the functional data (SOF, SNF or F2G).
	Functional *store.Technical
	// History holds one Consumo per month of the historical data, the
	// newest load's version of each month, oldest month first.
	History []store.Reading
	// Nearby are other register readings of the POD around the switch, for
	// the consumption check.
	Nearby []store.Reading
	// Registry holds the POD's billing registry entries.
	Registry []store.RegistryEntry
	// RegistryFacts are the technical data the billing registry records
	// for the POD on the switch date, by regulated name (Trattamento,
	// Tensione, PotImp, PotDisp). They are nil when it records none.
	RegistryFacts map[string]string
}

// Is2G reports whether the switch is of a second-generation meter.
func (in *Inputs) Is2G() bool {
	if in.ReadingRow != nil {
		return strings.HasSuffix(in.ReadingRow.FlowCode, "2G")
	}
	return in.Functional != nil && in.Functional.Record.FlowCode == "F2G"
}

// gather reads from the store everything known about the switch of
// practiceCode on pod.
func gather(ctx context.Context, st store.Store, company store.CompanyID, practiceCode, pod string) (*Inputs, error) {
	in := &Inputs{PracticeCode: practiceCode, POD: pod}
	switching, err := st.Switching(ctx, company, pod)
	if err != nil {
		return nil, err
	}
	technical, err := st.Technical(ctx, company, pod)
	if err != nil {
		return nil, err
	}
	techByRef := map[store.RecordRef]store.Technical{}
	for _, t := range technical {
		techByRef[t.Record.RecordRef] = t
	}

	for _, sw := range switching {
		if sw.Kind != store.SwitchingFunctional || text(sw.Record.PracticeCode) != practiceCode {
			continue
		}
		if in.Functional == nil || newer(sw.Record.RecordRef, in.Functional.Record.RecordRef) {
			t, ok := techByRef[sw.Record.RecordRef]
			if !ok {
				t = store.Technical{Record: sw.Record, Fields: map[string]string{}}
			}
			in.Functional = &t
		}
	}
	if err := in.findReadingRow(ctx, st, company); err != nil {
		return nil, err
	}
	in.SwitchDate = in.switchDate()
	if in.SwitchDate.IsZero() {
		return in, nil
	}
	if in.ReadingRow != nil {
		in.ReadingTechnical = techByRef[in.ReadingRow.RecordRef].Fields
	}

	if err := in.findReadings(ctx, st, company); err != nil {
		return nil, err
	}
	if err := in.findHistory(ctx, st, company, switching); err != nil {
		return nil, err
	}
	in.Registry, err = st.RegistryEntries(ctx, company, pod)
	return in, err
}

// findReadingRow finds the newest SNM or SNM2G record of the practice.
func (in *Inputs) findReadingRow(ctx context.Context, st store.Store, company store.CompanyID) error {
	for _, code := range []string{"SNM", "SNM2G"} {
		f := store.RecordFilter{Company: company, POD: in.POD, FlowCode: code, Page: store.Page{Limit: store.MaxLimit}}
		rows, _, err := st.SearchRecords(ctx, f)
		if err != nil {
			return err
		}
		for i := range rows {
			if text(rows[i].PracticeCode) != in.PracticeCode {
				continue
			}
			if in.ReadingRow == nil || newer(rows[i].RecordRef, in.ReadingRow.RecordRef) {
				in.ReadingRow = &rows[i]
			}
		}
	}
	return nil
}

// switchDate returns DataInizio of the functional data, else DataPrest of
// the reading.
func (in *Inputs) switchDate() civil.Date {
	if in.Functional != nil {
		if d, err := civil.ParseDate(text(in.Functional.Record.StartDate)); err == nil {
			return d
		}
	}
	if in.ReadingRow != nil {
		if d, err := civil.ParseDate(text(in.ReadingRow.ServiceDate)); err == nil {
			return d
		}
	}
	return civil.Date{}
}

// findReadings picks the switching reading, its current correction and
// the other register readings of the POD around the switch.
func (in *Inputs) findReadings(ctx context.Context, st store.Store, company store.CompanyID) error {
	around := store.DateRange{From: in.SwitchDate.AddDays(-nearbyDays), To: in.SwitchDate.AddDays(nearbyDays)}
	readings, err := st.Readings(ctx, company, in.POD, around)
	if err != nil {
		return err
	}
	corrections, err := st.Corrections(ctx, company, in.POD, true)
	if err != nil {
		return err
	}
	readingDate := in.SwitchDate.AddDays(-1)
	for i := range corrections {
		c := &corrections[i]
		if c.Type != "S" || !isSwitchingCorrection(c.Record.FlowCode) {
			continue
		}
		samePractice := text(c.Record.PracticeCode) == in.PracticeCode
		if !samePractice && c.Competence != readingDate.String() {
			continue
		}
		if in.CorrectionRow == nil || newer(c.Record.RecordRef, in.CorrectionRow.RecordRef) {
			in.CorrectionRow = &c.Record
		}
	}

	for i := range readings {
		r := &readings[i]
		if r.Kind != store.ReadingMeasure {
			continue
		}
		switch {
		case in.ReadingRow != nil && r.RecordRef == in.ReadingRow.RecordRef:
			in.Reading = r
		case in.CorrectionRow != nil && r.RecordRef == in.CorrectionRow.RecordRef:
			in.Correction = r
		case !isSwitchingReading(r.FlowCode) && !isSwitchingCorrection(r.FlowCode) && hasActiveRegisters(r):
			in.Nearby = append(in.Nearby, *r)
		}
	}
	return nil
}

// findHistory keeps the Consumo of each historical month in the window
// before the switch, the newest load's version of each month.
func (in *Inputs) findHistory(ctx context.Context, st store.Store, company store.CompanyID, switching []store.Switching) error {
	historical := map[store.RecordRef]bool{}
	for _, sw := range switching {
		if sw.Kind == store.SwitchingHistorical {
			historical[sw.Record.RecordRef] = true
		}
	}
	if len(historical) == 0 {
		return nil
	}
	month := in.SwitchDate.MonthOf()
	window := store.DateRange{From: month.AddMonths(-historyDepth).First(), To: month.AddMonths(-1).Last()}
	consumptions, err := st.Consumptions(ctx, company, in.POD, window)
	if err != nil {
		return err
	}
	byMonth := map[civil.Month]int{}
	for _, c := range consumptions {
		if c.Kind != store.ReadingConsumption || !historical[c.RecordRef] {
			continue
		}
		m := c.Date.MonthOf()
		if i, ok := byMonth[m]; ok {
			if newer(c.RecordRef, in.History[i].RecordRef) {
				in.History[i] = c
			}
			continue
		}
		byMonth[m] = len(in.History)
		in.History = append(in.History, c)
	}
	return nil
}

// newer reports whether a was stored after b.
func newer(a, b store.RecordRef) bool {
	return a.Load > b.Load || a.Load == b.Load && a.Seq > b.Seq
}

func text(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func isSwitchingReading(code string) bool    { return code == "SNM" || code == "SNM2G" }
func isSwitchingCorrection(code string) bool { return code == "RSN" || code == "RSN2G" }

// hasActiveRegisters reports whether a reading has an active energy band
// or single-rate register with a value.
func hasActiveRegisters(r *store.Reading) bool {
	for _, name := range []string{"EaF1", "EaM"} {
		if v, ok := r.Registers[name]; ok && v != "" {
			return true
		}
	}
	return false
}

// flowFamily returns the family of a flow code.
func flowFamily(code string) flows.Family {
	info, _ := flows.LookupFlow(code)
	return info.Family
}
