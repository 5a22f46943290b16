// Package edi reads the transport invoices that Italian electricity and gas
// distributors send to sellers, checks them, and turns them into a PDF
// facsimile, accounting journal entries and a cost analysis.
//
// Three formats are read:
//
//   - FatturaPA 1.2 (FPR12 and FPA12), the legal invoice exchanged through
//     the SDI, plain or signed as CMS (.xml.p7m), possibly base64-wrapped;
//   - the per-POD detail of electricity transport invoices (ARERA standard of
//     determina DMEG/PFI/13/2016 and amendments), as a separate file or as a
//     FatturaPA attachment;
//   - the ARERA gas transport-invoice flow FlussoFattureTrasportoGas (XSD
//     1.0.0 of December 2023).
//
// Load takes a file as received and returns a Document with the invoices,
// the details found in the attachments and the anomalies of the checks that
// need only the file. CheckAgainstData (registry, metered energy) and
// DuplicateFinder need the seller's data and are run by the caller.
// WriteFacsimile, JournalForInvoice, JournalForTransport and CostAnalyzer
// turn invoices into a PDF copy, journal entries and a cost analysis.
//
// Readers stream: a FatturaPA reader yields one body at a time, the
// electricity detail reader one invoice at a time, the gas reader one PDR at
// a time. Load and ReadInvoiceFile read the whole file first, because a
// signed file must be unwrapped before its XML can be read. Parsing is
// tolerant and keeps every value as read, and the Check functions report
// what is wrong as anomalies.
//
// Signed files are unwrapped to their content without verifying the
// signature: signature and certificate checks are out of scope.
package edi
