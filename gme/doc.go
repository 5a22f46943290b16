// Package gme reads the market-result files that GME (Gestore dei Mercati
// Energetici) publishes for the Italian day-ahead market (MGP) and the
// intraday markets. It reads hourly prices (MGPPrezzi, rows named Prezzi)
// and 15-minute prices (MGPPrezzi15, rows named Prezzi15). It also reads
// conventional prices (PrezziConvenzionali) and quantities (Quantita) as
// generic rows of named values.
//
// Every file is an XML data set: a NewDataSet root that starts with an
// inline XML Schema block, followed by one element per market interval.
// The Reader skips the schema, streams one Record per row and turns the
// decimal-comma values into decimals. It maps the hour (Ora) or period
// (Periodo) of each row to real instants in Europe/Rome, so daylight saving
// days keep their 23 or 25 hours and 92 or 100 quarter-hours.
//
// Validation is separate: a Validator checks the records of a file for
// malformed numbers, duplicates, periods out of range and missing periods.
// BandAverager computes monthly averages by ARERA band F1, F2, F3 and F23,
// arithmetic or weighted by a consumption curve.
package gme
