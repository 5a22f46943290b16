package accise

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

func TestReadMovements(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "payments", "movements.csv"))
	require.NoError(t, err)
	defer f.Close()
	ms, bad, err := ReadMovements(f)
	require.NoError(t, err)
	require.Len(t, ms, 5)
	require.Len(t, bad, 3)
	assert.Equal(t, ymd(2025, 1, 16), ms[1].Date)
	assert.Equal(t, "10000.00", ms[1].Amount.StringFixed(2))
	assert.Equal(t, "1250.40", ms[4].Amount.StringFixed(2))
	assert.True(t, ms[2].Period.IsZero())
	var pe *MovementParseError
	require.True(t, errors.As(bad[0], &pe))
	assert.Equal(t, 7, pe.Line)
	assert.Equal(t, "date", pe.Column)
	assert.ErrorIs(t, bad[1], ErrMovementCSV)
	assert.ErrorIs(t, bad[2], ErrMovement, "negative amount")
}

func TestMovementCSVRoundTrip(t *testing.T) {
	in := []Movement{
		{Account: eeIT, Date: ymd(2026, 3, 31), Period: civil.Month{Year: 2026, Month: 2}, Kind: MoveDue, Amount: dec("2500"),
			Source: Source{Kind: SourceQuantities, Ref: "02/2026"}, Note: "versamento; mensile"},
		{Account: eeIT, Date: ymd(2026, 3, 20), Kind: MoveCredit, Amount: dec("5000.5"), Source: Source{Kind: SourceDeclaration}},
	}
	var buf bytes.Buffer
	w := NewMovementWriter(&buf)
	for _, m := range in {
		require.NoError(t, w.Write(m))
	}
	require.NoError(t, w.Flush())
	out, bad, err := ReadMovements(&buf)
	require.NoError(t, err)
	require.Empty(t, bad)
	require.Len(t, out, 2)
	assert.Equal(t, in[0].Note, out[0].Note)
	assert.Equal(t, in[0].Period, out[0].Period)
	assert.True(t, in[1].Amount.Equal(out[1].Amount))
}

func TestReadMovementsMissingColumn(t *testing.T) {
	_, _, err := ReadMovements(strings.NewReader("company;tax;area;date;kind\n"))
	var pe *MovementParseError
	require.True(t, errors.As(err, &pe))
	assert.Equal(t, "amount", pe.Column)
}

func FuzzReadMovements(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join("testdata", "payments", "movements.csv"))
	require.NoError(f, err)
	f.Add(seed)
	f.Add([]byte("company;tax;area;date;kind;amount\nX;ee;IT;2026-01-31;due;1\n"))
	f.Add([]byte("company;tax;area;date;kind;amount;period\nX;irs;TO;31/01/2026;credit;1,5;13/2026\n"))
	f.Add([]byte("\"unterminated"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		ms, bad, err := ReadMovements(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, m := range ms {
			require.NoError(t, m.check(), "a movement read must be valid")
		}
		for _, e := range bad {
			require.ErrorIs(t, e, ErrMovementCSV)
		}
		var l Ledger
		require.NoError(t, l.Add(ms...))
		Plan(&l, civil.Date{}, civil.Date{})
	})
}
