package gme

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Kind is the type of a row, named after its XML element.
type Kind uint8

const (
	// KindOther is a row element this package does not know; its values are
	// still read.
	KindOther Kind = iota
	// KindPrices is an hourly price row (element Prezzi, file MGPPrezzi or
	// MI<n>Prezzi), one per hour Ora 1–25.
	KindPrices
	// KindPrices15 is a 15-minute price row (element Prezzi15, file
	// MGPPrezzi15), one per period Periodo 1–100.
	KindPrices15
	// KindConventionalPrices is an hourly conventional price row (element
	// PrezziConvenzionali).
	KindConventionalPrices
	// KindQuantities is an hourly quantity row (element Quantita), with
	// purchases (<ZONE>_ACQUISTI) and sales (<ZONE>_VENDITE) in MWh.
	KindQuantities
)

// kindOf maps a row element name to its Kind.
func kindOf(element string) Kind {
	switch element {
	case "Prezzi":
		return KindPrices
	case "Prezzi15":
		return KindPrices15
	case "PrezziConvenzionali":
		return KindConventionalPrices
	case "Quantita":
		return KindQuantities
	}
	return KindOther
}

// String returns the XML element name of the kind, or "other".
func (k Kind) String() string {
	switch k {
	case KindPrices:
		return "Prezzi"
	case KindPrices15:
		return "Prezzi15"
	case KindConventionalPrices:
		return "PrezziConvenzionali"
	case KindQuantities:
		return "Quantita"
	}
	return "other"
}

// Field is one value of a row, such as a zone price or a zone quantity.
// Absent, empty and zero stay distinct: an absent element has no Field, an
// empty one has Empty true, and "0,000000" is a value like any other.
type Field struct {
	// Name is the element name: "PUN", "NAT", a zone such as "NORD", or a
	// quantity such as "NORD_ACQUISTI".
	Name string
	// Text is the character data exactly as read.
	Text string
	// Value is the number, valid only when Valid is true.
	Value decimal.Decimal
	// Valid reports whether Text is a decimal-comma number.
	Valid bool
	// Empty reports whether the element was present with no text.
	Empty bool
	// Line is the 1-based line of the element in the file.
	Line int
}

// Record is one row of a GME file: one market interval of one day.
type Record struct {
	// Kind is the row type, from the element name.
	Kind Kind
	// Element is the row element name as read, such as "Prezzi".
	Element string
	// Date is the market day (Data, yyyyMMdd).
	Date civil.Date
	// Market is the market code (Mercato), such as "MGP" or "MI1".
	Market string
	// Period is the 1-based interval of the day: the hour (Ora) of hourly
	// rows, the quarter-hour (Periodo) of 15-minute rows.
	Period int
	// Granularity is the interval length as written (Granularity, "PT15"),
	// empty when the row has none.
	Granularity string
	// Start is the instant the interval starts, in UTC.
	Start time.Time
	// End is the instant the interval ends, in UTC.
	End time.Time
	// Fields are the numeric values of the row in file order; Data,
	// Mercato, Ora, Periodo and Granularity are not repeated here.
	Fields []Field
	// Line is the 1-based line the row element starts on.
	Line int
}

// Get returns the field with the given element name.
func (r *Record) Get(name string) (Field, bool) {
	for _, f := range r.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// Price returns the valid value of the field name (a zone, "PUN" or
// "NAT"); ok is false when the field is absent, empty or malformed.
func (r *Record) Price(name string) (decimal.Decimal, bool) {
	f, ok := r.Get(name)
	if !ok || !f.Valid {
		return decimal.Decimal{}, false
	}
	return f.Value, true
}

// PUN returns the national single price (Prezzo Unico Nazionale) in €/MWh;
// ok is false when the row carries no valid PUN, as in intraday files.
func (r *Record) PUN() (decimal.Decimal, bool) { return r.Price("PUN") }

// Key is a stable identifier of the row: market, kind, day and period, such
// as "MGP/Prezzi/2021-08-30/1". A later file with the same key replaces the
// earlier one.
func (r *Record) Key() string {
	return fmt.Sprintf("%s/%s/%s/%d", r.Market, r.Element, r.Date, r.Period)
}

// Duration returns the length of the interval: 15 minutes for Prezzi15
// rows, one hour otherwise.
func (r *Record) Duration() time.Duration { return intervalOf(r.Kind) }

func intervalOf(k Kind) time.Duration {
	if k == KindPrices15 {
		return 15 * time.Minute
	}
	return time.Hour
}

// periodsIn returns how many intervals of kind k day d has in Europe/Rome:
// 23, 24 or 25 hours, or 92, 96 or 100 quarter-hours.
func periodsIn(k Kind, d civil.Date) int {
	if k == KindPrices15 {
		return civil.QuarterHoursIn(d)
	}
	return civil.HoursIn(d)
}

// intervalStart returns the start of the 1-based period p of day d. The
// offset is added to local midnight as elapsed time, so on the autumn day
// hour 3 is the repeated 02:00 in winter time, and on the spring day hour 3
// is 03:00 summer time.
func intervalStart(k Kind, d civil.Date, p int) time.Time {
	return d.Midnight(civil.Rome).Add(time.Duration(p-1) * intervalOf(k)).UTC()
}
