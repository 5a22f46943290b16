// Package accise computes the excise (accisa) owed on electricity and natural
// gas sold in Italy, the regional gas surcharge (ARISGAN) and the regional
// substitute tax (IRS). It builds the declaration sent to the customs agency
// (ADM) as typed frames (quadri), XML files and the legacy flat ".dic" file.
//
// A declaration is built in five steps:
//
//   - NewCSVReader or NewXLSXReader with ReadAll import the billing lines
//     through a column Profile;
//   - Compute computes the excise per electricity supply and month and per
//     gas supply and year, with ARISGAN and IRS;
//   - Check lists the anomalies, each with its code, row and fix;
//   - BuildElectricity and BuildGas build one declaration per ambito;
//   - WriteXML, DicWriter and WriteReport write the XML, the legacy file and
//     the control workbook.
//
// Rates, territorial data, import column profiles, frame row numbering and
// the legacy record layouts are embedded JSON files under data/, each figure
// with its legal source and validity dates. Callers may load their own copy
// with the Load functions when a figure changes. Each frame row records the
// confidence of its number (confirmed, single-source, guess, provisional or
// unknown), because the official ADM field tables are not public;
// Layout.Uncertain lists the rows to verify.
//
// The package models two regimes: the annual declaration (tax years up to
// 2025, due by 31 March of the following year) and the half-year declarations
// from tax year 2026 (D.Lgs. 43/2025: the first half by 30 September, the
// second by 31 March). Set DeclareOptions.Half to 1 or 2 for the half-year
// declarations: EnergiaElettricaSemestrale and GasNaturaleSemestrale. Their
// riepilogo frames reconcile the liquidated tax with the monthly payments
// due on each month's actual quantities (DeclareOptions.MonthlyDue, which
// MonthlyDueOf builds from MonthlyTaxes). Gas uses keep their keys, and the
// half-year layout labels them domestic and non-domestic. The gas brackets
// are annual, so compute the second half from the invoices and credit notes
// of the whole tax year. A correction is declared in the half whose days
// contain its issue date (Line.Issued, the data_documento column), and
// MonthlyTaxes puts its tax in the month of that date. A correction without
// that date is declared by every half it is passed to, so pass those only
// with the half that billed them. Check warns about each.
//
// NOTE: no public source gives the half-year gas XML. Its root, its frames
// and the VersMese element of frame L are this library's assumption, marked
// so in testdata/GasNaturale.xsd and in data/layout.json (gasHalfYear).
//
// Payments are kept in a Ledger of dated movements per company, tax and
// area. Instalments and Settle give the legacy amounts due, MonthlyTaxes
// and MonthlyPayments the monthly ones from 2026. Compensate offsets
// credits against later debts of the same account, and Plan lists what is
// left to pay. F24Forms with F24PDF write the excise forms, and Transfers
// with WriteCBI and WritePain001 write the regional transfers. RefundClaim,
// CreditTransfer and WriteCreditReport cover refunds and credit reports.
// Due-date rules, the payment calendar and the F24 codes are embedded JSON
// files under data/ as well.
package accise

import "github.com/bludispatcher/dispatcher/internal/anomaly"

// Anomaly is the finding type shared by every validator of the project.
type Anomaly = anomaly.Anomaly
