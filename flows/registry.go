package flows

import "time"

// Registry looks up the SII central registry (RCU) for the admissibility
// rules that need it: rule 4 (the seller is an active dispatching user in
// the file's month) and rule 6 (the dispatching contract belongs to that
// seller). An implementation may read an RCU extract, a database or a
// service. An error means the lookup failed; false means the registry has
// no matching entry.
type Registry interface {
	// SellerActive reports whether the VAT number (PIvaUtente) is an active
	// dispatching user in the RCU during the month of the file.
	SellerActive(sellerVAT string, year int, month time.Month) (bool, error)
	// ContractOfSeller reports whether the dispatching contract
	// (CodContrDisp, such as "DP0001") is associated with the VAT number
	// in the RCU during the month of the file.
	ContractOfSeller(sellerVAT, contract string, year int, month time.Month) (bool, error)
}

// DefaultRegistryExemptContracts are the dispatching contracts for which
// the Acquirente Unico checker skips the registry rules 4 and 6: DP7001 to
// DP7004, DP0426 and DP1706. ValidateOptions.RegistryExemptContracts
// replaces the list when it is not nil.
func DefaultRegistryExemptContracts() []string {
	return []string{"DP7001", "DP7002", "DP7003", "DP7004", "DP0426", "DP1706"}
}
