package config

import (
	"fmt"
	"time"

	"github.com/bludispatcher/dispatcher/server/authlimit"
)

// Defaults of the failed-authentication limits, shared with the
// authlimit package.
const (
	DefaultMaxFailuresPerAddress = authlimit.DefaultMaxPerAddress
	DefaultMaxFailuresPerUser    = authlimit.DefaultMaxPerUser
	DefaultFailureWindow         = authlimit.DefaultWindow
)

// Auth sets the limits on failed authentication, shared by the web login,
// the JSON API and SOAP. A client address or user name that fails that
// many times within FailureWindow is rejected until the window has
// passed. The API then returns 429, SOAP a Client fault and the web login
// form a message.
type Auth struct {
	// MaxFailuresPerAddress is the number of failed attempts from one
	// client address (an IPv6 address counts by its /64) that locks the
	// address out. A
	// negative value turns the limit off. Default 20.
	MaxFailuresPerAddress int `json:"max_failures_per_address"`
	// MaxFailuresPerUser is the number of failed attempts for one user
	// name that locks it out. A negative value turns the limit off. Default -1 (off),
	// because only SOAP sends a user name, in a WS-Security UsernameToken
	// or HTTP Basic, and no token is tied to it. A guesser changes the name
	// or sends a Bearer token, while anyone with a billing system's user
	// name can lock that system out.
	MaxFailuresPerUser int `json:"max_failures_per_user"`
	// FailureWindow is the time over which failures count and how long a
	// lock-out lasts. Default 15m.
	FailureWindow Duration `json:"failure_window"`
}

// defaultAuth returns the limits used when the file sets none.
func defaultAuth() Auth {
	return Auth{
		MaxFailuresPerAddress: DefaultMaxFailuresPerAddress,
		MaxFailuresPerUser:    DefaultMaxFailuresPerUser,
		FailureWindow:         Duration(DefaultFailureWindow),
	}
}

// LimiterOptions returns the authlimit options of a.
func (a Auth) LimiterOptions() authlimit.Options {
	return authlimit.Options{
		MaxPerAddress: a.MaxFailuresPerAddress,
		MaxPerUser:    a.MaxFailuresPerUser,
		Window:        time.Duration(a.FailureWindow),
	}
}

// validate checks the limits. Zero counts are rejected because a limit of
// zero failures would lock out every client.
func (a Auth) validate() []error {
	var errs []error
	if a.MaxFailuresPerAddress == 0 {
		errs = append(errs, fmt.Errorf("%w: auth max_failures_per_address is 0: want a positive count, or -1 to turn the limit off", ErrInvalid))
	}
	if a.MaxFailuresPerUser == 0 {
		errs = append(errs, fmt.Errorf("%w: auth max_failures_per_user is 0: want a positive count, or -1 to turn the limit off", ErrInvalid))
	}
	if a.FailureWindow <= 0 {
		errs = append(errs, fmt.Errorf("%w: auth failure_window %v: want a positive duration, such as \"15m\"", ErrInvalid, time.Duration(a.FailureWindow)))
	}
	return errs
}
