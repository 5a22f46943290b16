// Package sii reads the data that the Italian Integrated Information System
// (SII, Sistema Informativo Integrato) sends to electricity sellers, and
// compares it with the seller's own registry.
//
// The registry extract (estrazione RCU, from the Registro Centrale
// Ufficiale) is a delimited text file with a header row of column names.
// The column set changes between versions, so RCUReader maps columns by
// name, keeps the unknown ones and tolerates missing ones. It accepts UTF-8
// or Latin-1 text, with or without a byte order mark.
//
// Compare finds the points that the SII assigns to the seller but billing
// does not know, and the other way round, plus field differences per
// distributor and month. PRAReader reads residual area withdrawal (PRA)
// files through a column profile.
//
// BonusesAt lists the points with an electricity social bonus active on a
// day. ReliefPoints lists the points whose supply site lies in a
// municipality covered by a relief measure on a day. ReliefPointsIn lists
// those covered on a day of a period, with the first and last covered
// day of each. Both take the site's municipality from a SiteRegistry. A
// relief list is data, not code. EarthquakeRelief2016 returns the embedded
// list of the 2016 Central Italy and 2017 Ischia earthquakes, and
// LoadReliefList reads another from JSON.
// A site matches an entry by its ISTAT code or the code of the entry's
// successor municipality, and by name and province only when the site or
// the entry has no code (ReliefList.Match).
package sii
