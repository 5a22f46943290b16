package accise

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

const hostileHeader = "codice_ditta;pod_pdr;prodotto;categoria_uso;residente;potenza_kw;provincia;codice_catastale;mese;quantita;accisa_fatturata;tipo_documento\n"

func readHostile(t *testing.T, rows string) ([]Line, []Anomaly) {
	t.Helper()
	r, err := NewCSVReader(strings.NewReader(hostileHeader+rows), ImportOptions{Profile: dispatcherProfile(t), File: "hostile.csv"})
	require.NoError(t, err)
	lines, found, err := ReadAll(r)
	require.NoError(t, err)
	return lines, found
}

func TestImportRejectsOversizedQuantity(t *testing.T) {
	huge := strings.Repeat("9", 50)
	lines, found := readHostile(t,
		"IT00TOA00001A;IT001E00000001;EE;altri usi;N;3;TO;L219;01/2025;"+huge+";;fattura\n"+
			"IT00TOA00001A;IT001E00000002;EE;altri usi;N;3;TO;L219;01/2025;10;"+huge+";fattura\n"+
			"IT00TOA00001A;IT001E00000003;EE;altri usi;N;3;TO;L219;01/2025;9999999999999,999;;fattura\n")
	require.Len(t, found, 2)
	assert.Equal(t, CodeUnreadableRow, found[0].Code)
	assert.Equal(t, 2, found[0].Line)
	assert.Equal(t, "quantita", found[0].Field)
	assert.Equal(t, huge, found[0].Value)
	assert.Equal(t, 3, found[1].Line)
	assert.Equal(t, "accisa_fatturata", found[1].Field)
	require.Len(t, lines, 1)
	assert.Equal(t, "IT001E00000003", lines[0].Supply)
}

// zipBomb returns a workbook with an extra part that declares 4 GiB of
// unzipped data. The archive/zip reader fails a part whose data exceeds its
// declared size, so the declared size is the size a reader would unzip.
func zipBomb(t *testing.T) []byte {
	t.Helper()
	good := workbook(t, [][]any{{"pod_pdr", "categoria_uso", "provincia", "mese", "quantita"}})
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	require.NoError(t, err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		require.NoError(t, zw.Copy(f))
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/media/bomb.bin", Method: zip.Deflate,
		CompressedSize64: 2, UncompressedSize64: 4 << 30})
	require.NoError(t, err)
	_, err = w.Write([]byte{0x03, 0x00})
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return out.Bytes()
}

func TestXLSXImportZipBombDefaultCap(t *testing.T) {
	_, err := NewXLSXReader(bytes.NewReader(zipBomb(t)), "", ImportOptions{Profile: dispatcherProfile(t), File: "bomb.xlsx"})
	require.Error(t, err)
	assert.ErrorContains(t, err, "bomb.xlsx")
	assert.ErrorContains(t, err, "unzip size exceeds")
}

func TestCheckSupplyCodeShape(t *testing.T) {
	tests := []struct {
		name     string
		supply   string
		want     bool
		severity anomaly.Severity
	}{
		{"formula", `=HYPERLINK("http://127.0.0.1")`, true, Blocking},
		{"spaces", "IT001E 0000001", true, Blocking},
		{"short POD", "IT001E1", true, Warning},
		{"POD", "IT001E00000001", false, 0},
		{"PDR on electricity", "00880000000001", true, Warning},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := Line{File: "lines.csv", Row: 7, Supply: tc.supply, Commodity: Electricity, Use: UseNonDwelling,
				Province: "TO", Municipality: "L219", From: day("2025-01-01"), To: day("2025-01-31")}
			c, _ := Compute([]Line{l}, ComputeOptions{})
			var got []Anomaly
			for _, a := range Check(c, YearCheckOptions(2025)) {
				if a.Code == CodeSupplyMalformed {
					got = append(got, a)
				}
			}
			if !tc.want {
				assert.Empty(t, got)
				return
			}
			require.Len(t, got, 1)
			assert.Equal(t, tc.severity, got[0].Severity)
			assert.Equal(t, 7, got[0].Line)
			assert.Equal(t, "pod_pdr", got[0].Field)
			assert.Equal(t, tc.supply, got[0].Value)
		})
	}
}

func TestDicErrorPositionParts(t *testing.T) {
	tests := []struct {
		name string
		err  DicError
		want string
	}{
		{"read", DicError{Line: 3, Type: "51", Field: "sequence", Err: errors.New("short line")}, `line 3: record 51 field sequence "": short line`},
		{"write", DicError{Type: "00", Field: "company", Value: "IT00TOE000123", Err: errors.New("longer than 9 characters")}, `record 00 field company "IT00TOE000123": longer than 9 characters`},
		{"no record type", DicError{Line: 6, Err: errors.New("byte 0xff is not printable ASCII")}, "line 6: byte 0xff is not printable ASCII"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.err.Error())
		})
	}
}

func TestImportDuplicatedHeaders(t *testing.T) {
	profile, ok := DefaultProfiles().Profile("generic")
	require.True(t, ok)
	in := "POD;PDR;Uso;Provincia;Mese;Quantita;Quantita\n" +
		"IT001E00000001;;abitazione;TO;01/2025;100;100\n" +
		";00880000000001;civile;TO;01/2025;200;\n" +
		"IT001E00000002;;abitazione;TO;01/2025;100;1000\n"
	r, err := NewCSVReader(strings.NewReader(in), ImportOptions{Profile: profile, File: "dup.csv"})
	require.NoError(t, err)
	lines, found, err := ReadAll(r)
	require.NoError(t, err)

	require.Len(t, lines, 2)
	assert.Equal(t, "IT001E00000001", lines[0].Supply)
	assert.Equal(t, "00880000000001", lines[1].Supply, "the PDR column is read when the POD cell is empty")
	assert.Equal(t, "200", lines[1].Quantity.String())

	require.Len(t, found, 1)
	assert.Equal(t, 4, found[0].Line)
	assert.Equal(t, "Quantita", found[0].Field)
	assert.Equal(t, "100 | 1000", found[0].Value)
	assert.Contains(t, found[0].Message, "disagree")
}

func TestCSVImportTextEncodings(t *testing.T) {
	utf8Text := "POD;Uso;Provincia;Mese;Quantità\nIT001E00000001;abitazione;TO;01/2025;100\n"
	utf16le := []byte{0xFF, 0xFE}
	for _, r := range utf8Text {
		utf16le = append(utf16le, byte(r), byte(r>>8))
	}
	windows1252 := []byte(strings.ReplaceAll(utf8Text, "à", "\xe0"))
	tests := []struct {
		name string
		data []byte
	}{
		{"UTF-8", []byte(utf8Text)},
		{"UTF-16LE with BOM", utf16le},
		{"Windows-1252", windows1252},
	}
	profile, ok := DefaultProfiles().Profile("generic")
	require.True(t, ok)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewCSVReader(bytes.NewReader(tc.data), ImportOptions{Profile: profile, File: "enc.csv"})
			require.NoError(t, err)
			lines, found, err := ReadAll(r)
			require.NoError(t, err)
			assert.Empty(t, found)
			require.Len(t, lines, 1)
			assert.Equal(t, "IT001E00000001", lines[0].Supply)
			assert.Equal(t, "100", lines[0].Quantity.String())
		})
	}
}

func TestCSVImportHugeCell(t *testing.T) {
	profile, ok := DefaultProfiles().Profile("generic")
	require.True(t, ok)
	long := strings.Repeat("x", 5000)
	in := "POD;Uso;Provincia;Mese;Quantita\n" +
		"IT001E00000001;abitazione;TO;01/2025;" + long + "\n" +
		"IT001E00000002;abitazione;TO;01/2025;" + strings.Repeat("9", 2<<20) + "\n"
	r, err := NewCSVReader(strings.NewReader(in), ImportOptions{Profile: profile, File: "huge.csv"})
	require.NoError(t, err)
	lines, found, err := ReadAll(r)
	assert.Empty(t, lines)

	require.Len(t, found, 1)
	assert.Equal(t, 2, found[0].Line)
	assert.Less(t, len(found[0].Value), 300, "the anomaly keeps the start of the cell only")
	assert.True(t, strings.HasPrefix(found[0].Value, "xxx"))
	assert.Contains(t, found[0].Message, "5000 bytes")

	require.Error(t, err, "a row longer than the line cap stops the import")
	assert.ErrorIs(t, err, ErrLineTooLong)
	assert.ErrorContains(t, err, "row 3")
}

func TestXLSXImportNumberAndDateCells(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	require.NoError(t, f.SetSheetRow(sheet, "A1", &[]any{"pod_pdr", "categoria_uso", "residente", "potenza_kw", "provincia", "data_inizio", "data_fine", "mese", "quantita", "accisa_fatturata"}))
	require.NoError(t, f.SetSheetRow(sheet, "A2", &[]any{"IT001E00000001", "abitazione", "S", 1.5, "TO",
		time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC), nil, 300000, 5.22}))
	require.NoError(t, f.SetSheetRow(sheet, "A3", &[]any{"IT001E00000002", "abitazione", "S", "1,5", "TO",
		nil, nil, time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC), "1.234,5", "2,27"}))
	require.NoError(t, f.SetSheetRow(sheet, "A4", &[]any{"IT001E00000003", "abitazione", "S", 3, "TO",
		nil, nil, 202503, 100, nil}))
	thousands, err := f.NewStyle(&excelize.Style{NumFmt: 4}) // #,##0.00
	require.NoError(t, err)
	require.NoError(t, f.SetCellStyle(sheet, "I2", "J2", thousands))
	var buf bytes.Buffer
	require.NoError(t, f.Write(&buf))

	x, err := NewXLSXReader(&buf, "", ImportOptions{Profile: dispatcherProfile(t), File: "cells.xlsx"})
	require.NoError(t, err)
	defer x.Close()
	lines, found, err := ReadAll(x)
	require.NoError(t, err)
	assert.Empty(t, found)
	require.Len(t, lines, 3)

	first := lines[0]
	assert.Equal(t, "1.5", first.PowerKW.String())
	assert.Equal(t, day("2025-01-01"), first.From)
	assert.Equal(t, day("2025-01-31"), first.To)
	assert.Equal(t, "300000", first.Quantity.String())
	assert.Equal(t, "5.22", first.BilledExcise.String())

	second := lines[1]
	assert.Equal(t, "1.5", second.PowerKW.String(), "a text cell keeps the decimal comma")
	assert.Equal(t, day("2025-02-01"), second.From)
	assert.Equal(t, day("2025-02-28"), second.To)
	assert.Equal(t, "1234.5", second.Quantity.String())
	assert.Equal(t, "2.27", second.BilledExcise.String())

	assert.Equal(t, day("2025-03-01"), lines[2].From, "a number yyyyMM is a month, not a serial date")
}

func TestReadMovementsOversizedAmount(t *testing.T) {
	in := "company;tax;area;date;period;kind;amount\n" +
		"IT00TOA00001A;ee;IT;2026-01-31;2026-01;due;" + strings.Repeat("9", 40) + "\n" +
		"IT00TOA00001A;ee;IT;2026-01-31;2026-01;due;9999999999999,99\n"
	ms, bad, err := ReadMovements(strings.NewReader(in))
	require.NoError(t, err)
	require.Len(t, ms, 1)
	assert.Equal(t, "9999999999999.99", ms[0].Amount.StringFixed(2))
	require.Len(t, bad, 1)
	assert.ErrorContains(t, bad[0], "line 2")
	assert.ErrorContains(t, bad[0], "integer digits")
}

func TestTransfersSpecialStatuteRegion(t *testing.T) {
	cfg := loadTestTransferConfig(t)
	p := regionalPayments()[0]
	p.Account.Area = "PA"
	_, err := Transfers([]Payment{p}, cfg, DefaultTerritory())
	require.Error(t, err)
	assert.ErrorContains(t, err, "special-statute")
	assert.ErrorContains(t, err, "PA")
	assert.NotContains(t, err.Error(), "transfer configuration", "no region account can make the payment due")
}

func TestF24FlagsAmbitoInProvince(t *testing.T) {
	p := provincePayments(1)[0]
	before := F24Options{Payer: F24Payer{FiscalCode: "01234567890", Name: "Esempio"}}
	forms, err := F24Forms([]Payment{p}, before)
	require.NoError(t, err)
	assert.NotContains(t, strings.Join(forms[0].Rows[0].Uncertain, ","), "prov.", "a 2021 province code is the known use of the field")

	p.Account.Area = "IT"
	p.Period = civil.Month{Year: 2026, Month: time.March}
	p.Due = civil.Date{Year: 2026, Month: time.April, Day: 30}
	forms, err = F24Forms([]Payment{p}, before)
	require.NoError(t, err)
	assert.Contains(t, forms[0].Rows[0].Uncertain, "prov. (unknown)")
}

func TestParseDayRejectsTrailingText(t *testing.T) {
	for _, s := range []string{"2025-03-15 00:00:00", "2025-03-15T10:30:00Z"} {
		d, err := parseDay(s)
		require.NoError(t, err, s)
		assert.Equal(t, "2025-03-15", d.String(), s)
	}
	for _, s := range []string{"2025-03-15xyz", "2025-03-150", "2025-03-15 garbage"} {
		_, err := parseDay(s)
		assert.Error(t, err, s)
	}
}

func TestGasCreditBelowZeroKeepsQuantity(t *testing.T) {
	year := func(from, to string) (civil.Date, civil.Date) { return day(from), day(to) }
	from, to := year("2024-01-01", "2024-12-31")
	tests := []struct {
		name       string
		bills      []GasBill
		wantQty    string
		wantAmount string
	}{
		{"credit alone", []GasBill{{From: from, To: to, Quantity: decimal.NewFromInt(-100), Use: UseCivil}}, "-100", "-4.40"},
		{"credit above the billed 50", []GasBill{
			{From: from, To: to, Quantity: decimal.NewFromInt(50), Use: UseCivil},
			{From: to, To: to, Quantity: decimal.NewFromInt(-100), Use: UseCivil},
		}, "-100", "-4.40"},
		{"industrial credit alone", []GasBill{{From: from, To: to, Quantity: decimal.NewFromInt(-1000), Use: UseIndustrial}}, "-1000", "-12.50"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := GasYear(DefaultRates(), tc.bills)
			require.NoError(t, err)
			credit := out[len(out)-1]
			qty := decimal.Zero
			for _, p := range credit {
				qty = qty.Add(p.Quantity)
			}
			assert.Equal(t, tc.wantQty, qty.String())
			assert.Equal(t, tc.wantAmount, LineTotal(credit).StringFixed(2))
		})
	}
}

func TestCompensationExplanationInItalian(t *testing.T) {
	a := Account{Company: "IT00TOA00001A", Tax: TaxArisgan, Area: "TO"}
	var l Ledger
	require.NoError(t, l.Add(
		Movement{Account: a, Date: ymd(2026, 3, 20), Kind: MoveCredit, Amount: dec("5"), Source: Source{Kind: SourceDeclaration, Ref: "dichiarazione 2025"}},
		Movement{Account: a, Date: ymd(2026, 3, 31), Period: civil.Month{Year: 2026, Month: time.March}, Kind: MoveDue, Amount: dec("50"),
			Source: Source{Kind: SourceInstalment}},
	))
	offsets := Compensate(&l)
	require.Len(t, offsets, 1)
	text := offsets[0].Explanation
	assert.Contains(t, text, "credito del 20/03/2026 (dichiarazione 2025, 5.00)")
	assert.Contains(t, text, "portato in diminuzione di rata d'acconto (50.00)")
	assert.NotContains(t, text, "declaration")
	assert.NotContains(t, text, "instalment")
}

func TestReadMovementsHugeLine(t *testing.T) {
	in := "company;tax;area;date;period;kind;amount;note\n" +
		"IT00TOA00001A;ee;IT;2026-01-31;2026-01;due;10;" + strings.Repeat("x", MaxLineBytes+1) + "\n"
	_, _, err := ReadMovements(strings.NewReader(in))
	assert.ErrorIs(t, err, ErrLineTooLong)
}
