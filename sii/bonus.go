package sii

import "github.com/bludispatcher/dispatcher/internal/civil"

// BonusEntitlement is a point entitled to the electricity social bonus on
// a given day.
type BonusEntitlement struct {
	// POD is the PODKey of the point.
	POD string
	// Economic reports an active bonus for economic hardship (BE_* dates).
	Economic bool
	// Physical reports an active bonus for physical hardship, that is for
	// life-support medical equipment (BF_* dates).
	Physical bool
	// Communication is COMUNIC_BONUS as read. Its code list is not
	// published, so it is passed on unchanged.
	Communication string
	// Record is the extract record the entitlement comes from.
	Record *RCURecord
}

// BonusActive reports whether a bonus with dates b is active on day at:
// it has started on or before at, has not ended before at, and has not
// ceased on or before at. A zero end or cessation date means none.
//
// NOTE: the renewal date (BE_DATA_RINNOVO, BF_DATA_RINNOVO) is not used,
// because no published rule states whether it extends the end date. The
// cessation day is taken as the first day without the bonus.
func BonusActive(b BonusDates, at civil.Date) bool {
	if b.Start.IsZero() || b.Start.After(at) {
		return false
	}
	if !b.End.IsZero() && b.End.Before(at) {
		return false
	}
	return b.Cessation.IsZero() || at.Before(b.Cessation)
}

// BonusAt returns the entitlement of one record on day at; ok is false
// when neither bonus is active.
func BonusAt(rec *RCURecord, at civil.Date) (BonusEntitlement, bool) {
	e := BonusEntitlement{
		POD:           rec.Key(),
		Economic:      BonusActive(rec.EconomicBonus, at),
		Physical:      BonusActive(rec.PhysicalBonus, at),
		Communication: rec.BonusCommunication,
		Record:        rec,
	}
	return e, e.Economic || e.Physical
}

// BonusesAt returns the points of records with a social bonus active on
// day at, in record order.
func BonusesAt(records []*RCURecord, at civil.Date) []BonusEntitlement {
	var out []BonusEntitlement
	for _, rec := range records {
		if e, ok := BonusAt(rec, at); ok {
			out = append(out, e)
		}
	}
	return out
}
