package distributor

import (
	"errors"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
)

// Anomaly is one finding of a check; see internal/anomaly.
type Anomaly = anomaly.Anomaly

// Anomalies is a list of findings, with HasBlocking and ForKey.
type Anomalies = anomaly.List

// Anomaly codes of this package.
const (
	// CodeMissing is a required field that is absent or empty.
	CodeMissing = "DST-MISSING"
	// CodeInvalid is a value of the wrong shape: a POD, VAT number, fiscal
	// code, ISTAT code, date, SI/NO flag or number that does not parse.
	CodeInvalid = "DST-INVALID"
	// CodeCode is a value outside its code list.
	CodeCode = "DST-CODE"
	// CodeUnused is a field that is set but that the service does not send.
	CodeUnused = "DST-UNUSED"
	// CodeService is a service code that neither the standard nor the
	// profile declares.
	CodeService = "DST-SERVICE"
	// CodeUnknownCase is an outcome whose seller case number matches no
	// request.
	CodeUnknownCase = "DST-UNKNOWN-CASE"
	// CodeTransition is an outcome that the request's state does not accept,
	// such as a second final outcome.
	CodeTransition = "DST-TRANSITION"
	// CodeOutcome is an outcome file whose content cannot be read.
	CodeOutcome = "DST-OUTCOME"
)

// Sentinel errors, matched with errors.Is.
var (
	// ErrUnknownService is returned for a service code that neither the
	// standard catalogue nor the profile declares.
	ErrUnknownService = errors.New("distributor: unknown service")
	// ErrInvalidRequest is returned when a request has blocking anomalies.
	ErrInvalidRequest = errors.New("distributor: invalid request")
	// ErrNameUsed is returned when a file name was already used for an
	// upload: distributor portals reject a name they have received before.
	ErrNameUsed = errors.New("distributor: file name already used")
	// ErrTransition is returned for an event that the current state of a
	// request does not accept.
	ErrTransition = errors.New("distributor: invalid state transition")
	// ErrUnknownCase is returned for an outcome whose case number matches no
	// request.
	ErrUnknownCase = errors.New("distributor: unknown case number")
	// ErrSyntax is returned for XML or CSV that cannot be read.
	ErrSyntax = errors.New("distributor: syntax error")
	// ErrProfile is returned for a profile that is not valid.
	ErrProfile = errors.New("distributor: invalid profile")
)
