// Package reseller splits the files that a dispatching user (utente del
// dispacciamento, UdD) receives for a whole group into one part per company
// of the group. Metering flows are split by POD and SII registry extracts
// (estrazione RCU) by commercial counterparty. GME price files are copied to
// every company, and CopyUnassigned copies a file of any other kind whole
// to the Unassigned part. DetectKind finds which of these kinds a file is
// from its name and first bytes.
// Whatever no rule routes goes to a part named Unassigned, so nothing is
// dropped, and every split returns a Report whose Check proves that the
// parts add up to the input.
//
// # Routing table
//
// A Table is data, loaded from JSON with LoadTable:
//
//	{
//	  "companies": [
//	    {"id": "alfa", "name": "Alfa Energia",
//	     "contracts": [{"seller_vat": "01234567897", "dispatching_contract": "DP0427"}],
//	     "counterparty_vats": ["11111111111"],
//	     "pods": [{"pod": "IT001E00000001", "from": "2025-10-16"}]}
//	  ],
//	  "counterparties": [{"pod": "IT001E00000002", "vat": "11111111111", "to": "2025-12-31"}]
//	}
//
// Dates are yyyy-mm-dd and both ends of a range are included; an omitted end
// leaves the range open on that side. PODs compare on their first 14
// characters. PutCompany, RemoveCompany, AssignPOD and SetCounterparties
// change a table and keep it valid; Compile turns it into the Router the
// splitters use.
//
// # Precedence
//
// For one POD on one day, the first matching rule decides:
//
//  1. an explicit POD assignment ("pods") whose range covers the day;
//  2. the POD's commercial counterparty (PIVA_CC) on that day, from
//     "counterparties": the company listing that VAT number in
//     "counterparty_vats". A counterparty no company lists sends the record
//     to Unassigned, because the point belongs to a seller outside the group
//     and the contract rule must not hand it to a group company;
//  3. the file's PIvaUtente and CodContrDisp, listed in "contracts";
//  4. Unassigned.
//
// Validation rejects any table where two companies could match at the same
// rank: the same contract or counterparty VAT listed twice, or overlapping
// ranges for one POD.
//
// # The day of a record
//
// A metering record is routed on one day taken from the record itself:
//
//   - historical switching data (SOS, SNS, S2G): the first day of the file's
//     month, the switching month, because the twelve months of history go to
//     the company that takes the point at the switch;
//   - switching functional data (SOF, SNF, F2G): DataInizio;
//   - meter replacement (SMIS): DataMisura of Montaggio, else of Smontaggio;
//   - otherwise DataPrest when present (switching, voltura and technical
//     service readings, which belong to the company holding the point from that
//     day), else DataMisura;
//   - a record with neither but with curves: its last curve day;
//   - a record with only MeseAnno: the last day of that month. This is the
//     month-level rule: a monthly value stands for the reading at the end of
//     the month, the day on which monthly non-hourly readings carry their
//     DataMisura;
//   - else the last day of the file-name month (AAAAMM), and when that is
//     unknown too, a zero day that only open ranges match.
//
// In periodic and correction flows (Flusso 1 and 2, legacy PDO included), a
// Misura or Curva made of curves only (Ea, Er, Erc, Eri, with no band
// registers) is routed day by day: each curve element goes to the company
// that holds the POD on its day, so a POD that moves in the middle of a month
// is divided between the two companies. Each piece keeps every other field of
// the record (Pod, MeseAnno, DatiPdp, Raccolta, TipoDato, Validato, PotMax),
// because the schema requires them. NOTE: PotMax is the month's maximum
// power and cannot be divided, so each piece repeats the value read.
// A record that carries band registers or a Consumo cannot be divided,
// because registers total the whole period: it goes whole to the company of
// its record day, and the Report notes it when its days span two outputs.
//
// # Names and headers of the parts
//
// Every part of a metering flow has the same file name and the same header
// (root, CodFlusso, PIvaUtente, PIvaDistributore, CodContrDisp) as the group
// file. Nothing needs to change: the header names the distributor, the
// dispatching user and its dispatching contract, which are the same for every
// part, and the validator checks the name against the header (PIVA tokens,
// CodContrDisp, flow code), so a changed name would need a changed header and
// would no longer match what the SII sent. Parts go to different folders, so
// the shared name does not clash. Records are written through flows.Writer,
// which writes every value exactly as read. The parts are UTF-8 whatever the
// input's declared encoding, and children follow the schema's order. Unknown root elements after the
// first DatiPod are not copied; the Report notes them.
//
// RCU parts keep the extract's name, start with its header row and copy each
// row byte for byte. GME copies are byte-identical to the input.
//
// # Balance
//
// Totals count records, distinct PODs, the sum of the Ea quarter-hours and
// the sum of every energy register, as exact decimals. Report.Check requires
// the parts to add up to the input: records plus the extra pieces of divided
// records, PODs plus those present in more than one part, and equal sums.
// Splitters run Check before they commit, and abort every part when it
// fails. Memory grows with the number of distinct PODs and of unassigned
// records, not with the size of the curves.
package reseller
