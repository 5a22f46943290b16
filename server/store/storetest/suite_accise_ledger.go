package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/accise"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
)

// testAcciseLedger runs the AcciseLedgerStore checks.
func testAcciseLedger(t *testing.T, f Factory) {
	t.Run("Movements", func(t *testing.T) { testAcciseMovements(t, f) })
	t.Run("RefundClaims", func(t *testing.T) { testAcciseRefundClaims(t, f) })
	t.Run("TransferConfig", func(t *testing.T) { testAcciseTransferConfig(t, f) })
}

// cmpDecimal compares decimals by value and by their digits after the
// point, so "10.50" and "10.5" differ, because the store keeps amounts as given.
var cmpDecimal = cmp.Comparer(func(a, b decimal.Decimal) bool {
	return a.Equal(b) && min(a.Exponent(), 0) == min(b.Exponent(), 0)
})

func testAcciseMovements(t *testing.T, f Factory) {
	s, reopen := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "ledger")
	other := company(t, s, "other")

	ee := accise.Account{Company: "IT00TOE00001A", Tax: accise.TaxElectricity, Area: "IT"}
	in := []accise.Movement{
		{Account: ee, Date: day(2026, time.March, 16), Kind: accise.MoveCredit, Amount: decimal.RequireFromString("6000.50"),
			Source: accise.Source{Kind: accise.SourceDeclaration, Ref: "declaration 2025"}, Note: "saldo a credito"},
		{Account: ee, Date: day(2026, time.April, 30), Period: civil.Month{Year: 2026, Month: time.March},
			Kind: accise.MoveDue, Amount: decimal.RequireFromString("0.001"), Source: accise.Source{Kind: accise.SourceQuantities}},
		{Account: accise.Account{Company: "IT00TOE00001A", Tax: accise.TaxArisgan, Area: "TO"}, Date: day(2026, time.April, 30),
			Kind: accise.MovePaid, Amount: decimal.Zero, Source: accise.Source{Kind: accise.SourcePayment, Ref: "CRO 1"}},
	}
	first, err := s.AddMovements(ctx, co, store.MovementBatch{SHA256: "a1", Movements: in[:2]})
	require.NoError(t, err)
	second, err := s.AddMovements(ctx, co, store.MovementBatch{SHA256: "b2", Movements: in[2:]})
	require.NoError(t, err)
	assert.NotEqual(t, first, second, "each batch gets its own id")
	_, err = s.AddMovements(ctx, other, store.MovementBatch{SHA256: "a1", Movements: in[:1]})
	require.NoError(t, err, "the same body from another company is no duplicate")

	_, err = s.AddMovements(ctx, co, store.MovementBatch{SHA256: "a1", Movements: in[:2]})
	var dup *store.DuplicateBatchError
	require.ErrorAs(t, err, &dup, "the same body again")
	assert.Equal(t, first, dup.Of)
	assert.ErrorIs(t, err, store.ErrDuplicate)

	got, err := s.Movements(ctx, co)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(in, got, cmpDecimal), "movements in storage order, amounts exact, the duplicate not stored")

	_, err = s.AddMovements(ctx, co, store.MovementBatch{SHA256: "b2", Movements: in[2:], AllowDuplicate: true})
	require.NoError(t, err, "a duplicate stored on request")
	got, err = s.Movements(ctx, co)
	require.NoError(t, err)
	assert.Len(t, got, len(in)+1)

	got, err = reopen(t).Movements(ctx, other)
	require.NoError(t, err)
	assert.Len(t, got, 1, "another company sees only its own movement")

	none, err := s.Movements(ctx, company(t, s, "empty"))
	require.NoError(t, err)
	assert.Empty(t, none)

	_, err = s.AddMovements(ctx, store.CompanyID(999999), store.MovementBatch{SHA256: "c3", Movements: in})
	assert.True(t, errors.Is(err, store.ErrNotFound), "unknown company: %v", err)
}

func sampleClaim(id string) accise.RefundClaim {
	return accise.RefundClaim{
		ID:              id,
		Account:         accise.Account{Company: "IT00TOE00001A", Tax: accise.TaxElectricity, Area: "IT"},
		Claimant:        "Energia Srl",
		FiscalCode:      "01234567890",
		Office:          "ADM Torino",
		Year:            2025,
		Amount:          decimal.RequireFromString("1500.00"),
		Origin:          accise.OriginBalance,
		Reason:          "credit of the 2025 declaration",
		IBAN:            "IT60X0542811101000000123456",
		LastDeclaration: day(2026, time.March, 20),
		Documents:       []string{"dichiarazione 2025"},
	}
}

func testAcciseRefundClaims(t *testing.T, f Factory) {
	s, reopen := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "claims")
	other := company(t, s, "other")

	first := sampleClaim("R1")
	require.NoError(t, s.CreateRefundClaim(ctx, co, first))
	require.NoError(t, s.CreateRefundClaim(ctx, co, sampleClaim("R2")))
	require.NoError(t, s.CreateRefundClaim(ctx, other, sampleClaim("R1")), "ids are per company")

	err := s.CreateRefundClaim(ctx, co, sampleClaim("R1"))
	assert.True(t, errors.Is(err, store.ErrConflict), "same id again: %v", err)
	err = s.CreateRefundClaim(ctx, co, sampleClaim(""))
	assert.True(t, errors.Is(err, store.ErrInvalid), "missing id: %v", err)

	got, err := s.RefundClaim(ctx, co, "R1")
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(first, got, cmpDecimal))

	stale := first
	require.NoError(t, first.File(day(2026, time.April, 2), "filed at the office"))
	require.NoError(t, s.UpdateRefundClaim(ctx, co, first, ""))
	require.NoError(t, stale.Withdraw(day(2026, time.April, 3), "withdrawn from a stale copy"))
	err = s.UpdateRefundClaim(ctx, co, stale, "")
	assert.True(t, errors.Is(err, store.ErrConflict), "a change based on a stale status: %v", err)
	require.NoError(t, first.Decide(day(2026, time.June, 5), decimal.RequireFromString("1000.00"), "partly granted"))
	require.NoError(t, s.UpdateRefundClaim(ctx, co, first, accise.StatusFiled))
	got, err = reopen(t).RefundClaim(ctx, co, "R1")
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(first, got, cmpDecimal), "status, dates and history survive")
	assert.Equal(t, accise.StatusPartlyGranted, got.Status)
	assert.Len(t, got.History, 2)

	theirs, err := s.RefundClaim(ctx, other, "R1")
	require.NoError(t, err)
	assert.Equal(t, accise.RefundStatus(""), theirs.Status, "the update did not touch another company's claim")

	_, err = s.RefundClaim(ctx, co, "R9")
	assert.True(t, errors.Is(err, store.ErrNotFound), "unknown id: %v", err)
	err = s.UpdateRefundClaim(ctx, co, sampleClaim("R9"), "")
	assert.True(t, errors.Is(err, store.ErrNotFound), "update of an unknown id: %v", err)

	list, err := s.RefundClaims(ctx, co)
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, "R1", list[0].ID)
	assert.Equal(t, "R2", list[1].ID)
}

func testAcciseTransferConfig(t *testing.T, f Factory) {
	s, reopen := open(t, f)
	ctx := ctxT(t)
	co := company(t, s, "transfers")
	other := company(t, s, "other")

	_, err := s.TransferConfig(ctx, co)
	assert.True(t, errors.Is(err, store.ErrNotFound), "no settings yet: %v", err)

	cfg := accise.TransferConfig{
		Debtor: accise.Debtor{Name: "Energia Srl", IBAN: "IT60X0542811101000000123456", ABI: "05428", CUC: "1234567A",
			FiscalCode: "01234567890"},
		Regions:     map[string]accise.Creditor{"PIE": {Name: "Regione Piemonte", IBAN: "IT02A0306909606100000046018"}},
		ExciseCodes: map[string]string{"*": "IT00TOE00001A"},
	}
	require.NoError(t, s.PutTransferConfig(ctx, co, cfg))
	cfg.Debtor.Name = "Energia Nuova Srl"
	require.NoError(t, s.PutTransferConfig(ctx, co, cfg), "a second put replaces the first")

	got, err := reopen(t).TransferConfig(ctx, co)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(cfg, got))

	_, err = s.TransferConfig(ctx, other)
	assert.True(t, errors.Is(err, store.ErrNotFound), "another company has none: %v", err)
}
