package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/bludispatcher/dispatcher/gme"
	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/sii"
)

// The tables of SII, GME and PRA data join dataTables, so that their
// buffered rows are flushed at commit and deleted when a load ends
// rejected, like the metering records.
func init() {
	dataTables = append(dataTables, "rcu_points", "gme_prices", "pra_values")
}

var _ store.DomainTx = (*loadTx)(nil)

var rcuCols = []string{"load_id", "seq", "company_id", "month", "line", "pod", "pod_key",
	"distributor_vat", "distributor_name", "udd_vat", "counterparty_vat", "supply_start",
	"supply_end", "treatment", "voltage", "meter_type", "committed_power", "annual_consumption", "raw"}

var priceCols = []string{"load_id", "seq", "field_seq", "company_id", "market", "kind", "day",
	"period", "start_at", "end_at", "zone", "text", "value", "line"}

var praCols = []string{"load_id", "seq", "company_id", "line", "area", "distributor_vat", "day",
	"resolution", "period", "start_at", "end_at", "energy_kwh", "energy_text"}

// SetFlowCode sets the file kind of the load; see store.DomainTx.
func (t *loadTx) SetFlowCode(code string) {
	if t.header == nil || !t.header.FlowCode.HasText() {
		t.info.FlowCode = code
	}
}

// AddCounts adds to the record counts of the load; see store.DomainTx.
func (t *loadTx) AddCounts(loaded, rejected int) {
	t.loaded += loaded
	t.rejected += rejected
}

// addDomainRow stores the anomalies of one row and, when none blocks,
// counts it as loaded and calls rows to buffer its data under the next
// sequence number.
func (t *loadTx) addDomainRow(ctx context.Context, op string, list anomaly.List, rows func(seq int) error) (bool, error) {
	if err := t.check(); err != nil {
		return false, err
	}
	if err := t.addAnomalies(ctx, list); err != nil {
		return false, t.fail(ctx, op, err)
	}
	if list.HasBlocking() {
		t.rejected++
		return false, nil
	}
	t.seq++
	t.loaded++
	if err := rows(t.seq); err != nil {
		return false, t.fail(ctx, op, err)
	}
	return true, nil
}

// AddRCURecord stores one point of an RCU extract; see store.DomainTx.
func (t *loadTx) AddRCURecord(ctx context.Context, month civil.Month, rec *sii.RCURecord, list anomaly.List) (bool, error) {
	if rec == nil || month.IsZero() {
		return false, fmt.Errorf("store %s: add RCU record: %w: nil record or zero month", t.s.d.Name(), store.ErrInvalid)
	}
	return t.addDomainRow(ctx, "add RCU record", list, func(seq int) error {
		raw, err := rawColumns(rec)
		if err != nil {
			return err
		}
		row := []any{int64(t.id), seq, int64(t.info.Company), month.String(), rec.Line, rec.POD,
			rec.Key(), rec.DistributorVAT, rec.DistributorName, rec.UdDVAT, rec.CounterpartyVAT,
			dateText(rec.SupplyStart), dateText(rec.SupplyEnd), rec.Treatment, rec.Voltage,
			rec.MeterType, nullDecimalText(rec.CommittedPower.Valid, rec.CommittedPower.Decimal.String()),
			nullDecimalText(rec.AnnualConsumption.Valid, rec.AnnualConsumption.Decimal.String()), raw}
		return t.add(ctx, "rcu_points", rcuCols, row)
	})
}

// rawColumns returns every column of rec as a JSON object by header name.
// A repeated header name keeps its first value, as the reader does.
func rawColumns(rec *sii.RCURecord) (string, error) {
	raw := make(map[string]string, len(rec.Columns()))
	for _, name := range rec.Columns() {
		if _, seen := raw[name]; seen {
			continue
		}
		if v, ok := rec.Get(name); ok {
			raw[name] = v
		}
	}
	b, err := json.Marshal(raw)
	return string(b), err
}

// AddPrice stores every value of one GME row; see store.DomainTx.
func (t *loadTx) AddPrice(ctx context.Context, rec *gme.Record, list anomaly.List) (bool, error) {
	if rec == nil {
		return false, fmt.Errorf("store %s: add price: %w: nil record", t.s.d.Name(), store.ErrInvalid)
	}
	return t.addDomainRow(ctx, "add price", list, func(seq int) error {
		for i, f := range rec.Fields {
			value := ""
			if f.Valid {
				value = f.Value.String()
			}
			row := []any{int64(t.id), seq, i + 1, int64(t.info.Company), rec.Market, rec.Element,
				rec.Date.String(), rec.Period, micros(rec.Start), micros(rec.End), f.Name, f.Text, value, f.Line}
			if err := t.add(ctx, "gme_prices", priceCols, row); err != nil {
				return err
			}
		}
		return nil
	})
}

// AddPRAValue stores one PRA value; see store.DomainTx.
func (t *loadTx) AddPRAValue(ctx context.Context, rec *sii.PRARecord, list anomaly.List) (bool, error) {
	if rec == nil {
		return false, fmt.Errorf("store %s: add PRA value: %w: nil record", t.s.d.Name(), store.ErrInvalid)
	}
	return t.addDomainRow(ctx, "add PRA value", list, func(seq int) error {
		row := []any{int64(t.id), seq, int64(t.info.Company), rec.Line, rec.Area, rec.DistributorVAT,
			rec.Date.String(), rec.Resolution.String(), rec.Period, micros(rec.Start), micros(rec.End),
			nullDecimalText(rec.EnergyKWh.Valid, rec.EnergyKWh.Decimal.String()), rec.EnergyText}
		return t.add(ctx, "pra_values", praCols, row)
	})
}

func nullDecimalText(valid bool, text string) string {
	if !valid {
		return ""
	}
	return text
}
