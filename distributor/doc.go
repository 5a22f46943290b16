// Package distributor builds the requests that an Italian electricity seller
// sends to a distributor for work on a supply ("prestazioni": quotes,
// activation, deactivation, reactivation after arrears, technical data,
// meter and voltage checks) and reads the distributor's outcomes.
//
// The exchange follows the ARERA "standard nazionale di comunicazione" for
// electricity (delibera ARG/elt 13/10, determina 3/10): the seller sends a
// request flow, the distributor replies with an admissibility outcome and
// then a final outcome. Each message is one XML element Prestazione, with no
// namespace, whose attributes cod_servizio and cod_flusso name the service
// and the flow. The flow code belongs to each (service, phase) pair: D01 and
// R01 use E050, E100 and E150, while public seller code uses 0050, 0100,
// 0150 and 0300 for the others.
//
// Every distributor adds its own rules: file naming, zipping, CSV layout and
// encoding, attribute case, fields it requires, and services of its own
// that the standard lacks. These live in a Profile, loaded from JSON, so a
// new distributor needs no code change. See README.md in this folder for the
// profile template.
//
// The official electricity XSDs are not public. The element names used here
// come from public seller code, which is one implementer's reading of the
// XSDs. Where no public source gives a name, this package chose one, and
// FieldOrigin reports which names those are. The XSDs under testdata/xsd are
// written from those names and can be replaced by the official ones.
//
// The package never logs and keeps no global state besides the embedded,
// read-only service catalogue and shipped profiles.
package distributor
