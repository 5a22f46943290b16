package sqlite_test

import (
	"testing"

	"github.com/bludispatcher/dispatcher/server/store/storetest"
)

func TestBillingConformance(t *testing.T) {
	storetest.RunBilling(t, factory)
}
