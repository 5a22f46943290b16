package sii

import (
	"bytes"
	"errors"
	"io"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// rcuRow is one point of a generated extract, by column name.
type rcuRow map[string]string

// samplePoint returns a complete point with fictitious but well-formed
// identifiers.
func samplePoint(pod string) rcuRow {
	return rcuRow{
		ColPOD: pod, ColArea: "AREA01", ColDistributorName: "DISTRIBUTORE UNO SPA",
		ColDistributorVAT: "12345678903", ColDP: "X", ColUdDName: "GROSSISTA SRL",
		ColUdDVAT: "01234567897", ColCounterpartyName: "VENDITORE SRL", ColCounterpartyVAT: "11111111115",
		ColPODType: "01", ColPODTypeEnd: "", ColSupplyStart: "01/03/2024", ColSupplyEnd: "",
		ColDispatchingStart: "01/03/2024", ColFiscalCode: "RSSMRA80A01H501U", ColVATNumber: "",
		ColFirstName: "MARIO", ColLastName: "ROSSI", ColCompanyName: "ROSSI MARIO", ColResident: "SI",
		ColProtectedService: "", ColVoltage: "220", ColDisconnectable: "SI", ColDistributionTariff: "TD",
		ColMeterType: "G", ColCommittedPower: "3", ColAvailablePower: "3,3", ColAnnualConsumption: "2700",
		ColTreatment: "O", ColNextTreatment: "O", ColCompensationRegime: "",
		ColPhysicalBonusStart: "", ColPhysicalBonusEnd: "", ColPhysicalBonusRenewal: "",
		ColEconomicBonusStart: "01/01/2025", ColEconomicBonusEnd: "31/12/2025", ColEconomicBonusRenewal: "",
		ColBonusCommunication: "1", ColActiveConstant: "1", ColActiveMeterSerial: "M123",
		ColPMA: "", ColMarketType: "LIBERO", ColRetroactiveDate: "", ColCustomerEmail: "m@example.org",
		ColCustomerPhone: "", ColOfferCode: "OFF1", ColSelfCertification: "", ColSmartMeterDate: "15/06/2022",
		ColReason: "", ColEconomicBonusYear: "2025", ColEconomicBonusCessation: "",
	}
}

// buildRCU writes an extract with the given columns, in that order.
func buildRCU(cols []string, rows []rcuRow, sep string) string {
	var b strings.Builder
	b.WriteString(strings.Join(cols, sep) + "\r\n")
	for _, r := range rows {
		vals := make([]string, len(cols))
		for i, c := range cols {
			vals[i] = r[c]
		}
		b.WriteString(strings.Join(vals, sep) + "\r\n")
	}
	return b.String()
}

func readRCU(t testing.TB, data string, opts RCUOptions) (*RCUReader, []*RCURecord) {
	t.Helper()
	r, err := NewRCUReader(strings.NewReader(data), opts)
	require.NoError(t, err)
	var recs []*RCURecord
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return r, recs
		}
		require.NoError(t, err)
		recs = append(recs, rec)
	}
}

func TestRCUReaderTypedFields(t *testing.T) {
	_, recs := readRCU(t, buildRCU(columnOrder, []rcuRow{samplePoint("IT001E12345678")}, ";"), RCUOptions{})
	require.Len(t, recs, 1)
	rec := recs[0]
	assert.Equal(t, 2, rec.Line)
	assert.Equal(t, "IT001E12345678", rec.POD)
	assert.Equal(t, "12345678903", rec.DistributorVAT)
	assert.Equal(t, "01234567897", rec.UdDVAT)
	assert.Equal(t, "11111111115", rec.CounterpartyVAT)
	assert.Equal(t, civil.Date{Year: 2024, Month: time.March, Day: 1}, rec.SupplyStart)
	assert.True(t, rec.SupplyEnd.IsZero())
	assert.Equal(t, "O", rec.Treatment)
	require.True(t, rec.AnnualConsumption.Valid)
	assert.True(t, decimal.NewFromInt(2700).Equal(rec.AnnualConsumption.Decimal))
	require.True(t, rec.AvailablePower.Valid)
	assert.True(t, decimal.RequireFromString("3.3").Equal(rec.AvailablePower.Decimal))
	assert.Equal(t, civil.Date{Year: 2025, Month: time.December, Day: 31}, rec.EconomicBonus.End)
	assert.Equal(t, "1", rec.BonusCommunication)
	assert.Equal(t, "2025", rec.EconomicBonusYear)
	assert.Equal(t, civil.Date{Year: 2022, Month: time.June, Day: 15}, rec.SmartMeterDate)
	assert.Nil(t, rec.CRPP)
	empty, ok := rec.Get(ColSupplyEnd)
	assert.True(t, ok)
	assert.Equal(t, "", empty)
}

func TestRCUReaderShuffledMissingExtra(t *testing.T) {
	cols := append([]string(nil), columnOrder...)
	rng := rand.New(rand.NewSource(7))
	rng.Shuffle(len(cols), func(i, j int) { cols[i], cols[j] = cols[j], cols[i] })
	// Drop two columns, add two unknown ones, and lower-case one name.
	var kept []string
	for _, c := range cols {
		if c != ColDP && c != ColAnnualConsumption {
			kept = append(kept, c)
		}
	}
	kept = append(kept, "NUOVA_COLONNA", "CF_STRANIERO")
	row := samplePoint("IT002E00000001A")
	row["NUOVA_COLONNA"] = "valore"
	row[ColForeignFiscalCode] = "N"
	data := buildRCU(kept, []rcuRow{row}, ";")
	data = strings.Replace(data, ColTreatment+";", " trattamento ;", 1)

	r, recs := readRCU(t, data, RCUOptions{})
	require.Len(t, recs, 1)
	rec := recs[0]
	assert.Equal(t, "IT002E00000001A", rec.POD)
	assert.Equal(t, "IT002E00000001", rec.Key())
	assert.Equal(t, "GROSSISTA SRL", rec.UdDName)
	assert.Equal(t, "O", rec.Treatment, "header names are trimmed and upper-cased")
	assert.Equal(t, "N", rec.ForeignFiscalCode)
	assert.False(t, rec.AnnualConsumption.Valid)
	_, ok := rec.Get(ColAnnualConsumption)
	assert.False(t, ok, "missing column is absent, not empty")
	extra, ok := rec.Get("NUOVA_COLONNA")
	assert.True(t, ok)
	assert.Equal(t, "valore", extra)
	assert.Equal(t, []string{"NUOVA_COLONNA"}, r.Unknown())
	assert.Equal(t, []string{ColDP, ColAnnualConsumption}, r.Missing())
}

func TestRCUReaderEncodings(t *testing.T) {
	row := samplePoint("IT001E12345678")
	row[ColLastName] = "NICOLÒ D'ÀNGELO"
	row[ColDistributorName] = "ACQUA & LUCE €"
	utf := buildRCU(columnOrder, []rcuRow{row}, ";")
	latin, err := charmap.Windows1252.NewEncoder().String(utf)
	require.NoError(t, err)

	tests := []struct {
		name string
		data string
		enc  Encoding
	}{
		{"utf8 auto", utf, EncodingAuto},
		{"utf8 bom", "\xEF\xBB\xBF" + utf, EncodingAuto},
		{"utf8 explicit", utf, EncodingUTF8},
		{"latin1 auto", latin, EncodingAuto},
		{"latin1 explicit", latin, EncodingLatin1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, recs := readRCU(t, tt.data, RCUOptions{Encoding: tt.enc})
			require.Len(t, recs, 1)
			assert.Equal(t, "IT001E12345678", recs[0].POD, "BOM does not stick to the first column name")
			assert.Equal(t, "NICOLÒ D'ÀNGELO", recs[0].LastName)
			assert.Equal(t, "ACQUA & LUCE €", recs[0].DistributorName)
		})
	}
}

func TestRCUReaderLatin1ReadAsUTF8Reported(t *testing.T) {
	row := samplePoint("IT001E12345678")
	row[ColLastName] = "NICOLÒ"
	latin, err := charmap.Windows1252.NewEncoder().String(buildRCU(columnOrder, []rcuRow{row}, ";"))
	require.NoError(t, err)
	_, recs := readRCU(t, latin, RCUOptions{Encoding: EncodingUTF8})
	require.Len(t, recs, 1)
	out := NewRCUValidator(RCUValidatorOptions{}).Check(recs[0])
	require.Len(t, out, 1)
	assert.Equal(t, CodeRCUEncoding, out[0].Code)
	assert.Equal(t, ColLastName, out[0].Field)
}

func TestRCUReaderSeparatorAndQuotes(t *testing.T) {
	row := samplePoint("IT001E12345678")
	row[ColCompanyName] = `"ROSSI | FIGLI"`
	_, recs := readRCU(t, buildRCU(columnOrder, []rcuRow{row}, "|"), RCUOptions{Comma: '|'})
	require.Len(t, recs, 1)
	assert.Equal(t, "ROSSI | FIGLI", recs[0].CompanyName)
	assert.Equal(t, "220", recs[0].Voltage)
}

func TestRCUReaderCRPP(t *testing.T) {
	cols := []string{ColPOD, "CRPP_01_F1", "CRPP_1_F2", "CRPP_F3_12", "CRPP_13_F1"}
	data := "COD_POD;CRPP_01_F1;CRPP_1_F2;CRPP_F3_12;CRPP_13_F1\nIT001E12345678;0,000123;0.5;;7\n"
	r, recs := readRCU(t, data, RCUOptions{})
	require.True(t, r.HasCRPP())
	assert.Equal(t, []string{"CRPP_13_F1"}, r.Unknown(), "month 13 is not a CRPP column")
	require.Len(t, recs, 1)
	crpp := recs[0].CRPP
	require.NotNil(t, crpp)
	assert.True(t, decimal.RequireFromString("0.000123").Equal(crpp.Values[0][0].Decimal))
	assert.True(t, decimal.RequireFromString("0.5").Equal(crpp.Values[0][1].Decimal))
	assert.False(t, crpp.Values[11][2].Valid, "empty CRPP is absent")
	assert.False(t, crpp.Values[5][0].Valid)
	assert.Len(t, cols, 5)
}

func TestRCUReaderHeaderErrors(t *testing.T) {
	_, err := NewRCUReader(strings.NewReader(""), RCUOptions{})
	assert.ErrorIs(t, err, ErrNoHeader)
	_, err = NewRCUReader(strings.NewReader("\xEF\xBB\xBF"), RCUOptions{})
	assert.ErrorIs(t, err, ErrNoHeader)
	_, err = NewRCUReader(strings.NewReader("PIVA_DISTR;CF\n1;2\n"), RCUOptions{})
	assert.ErrorIs(t, err, ErrMissingPODColumn)
}

func TestRCUReaderShortAndLongLines(t *testing.T) {
	data := "COD_POD;PIVA_DISTR;TRATTAMENTO\nIT001E12345678\nIT001E12345679;12345678903;O;extra\n\nIT001E12345670;12345678903;O\n"
	_, recs := readRCU(t, data, RCUOptions{})
	require.Len(t, recs, 3, "blank lines are skipped")
	assert.Equal(t, "", recs[0].DistributorVAT)
	assert.Equal(t, "O", recs[1].Treatment)
	assert.Equal(t, 5, recs[2].Line)
	v := NewRCUValidator(RCUValidatorOptions{File: "x.csv"})
	assert.Equal(t, []string{CodeRCUWidth}, codesOf(v.Check(recs[0])))
	assert.Equal(t, []string{CodeRCUWidth}, codesOf(v.Check(recs[1])))
}

// An unbalanced quote used to join every later line of the file into one
// value, so the records after it were lost.
func TestRCUUnbalancedQuoteKeepsLaterRecords(t *testing.T) {
	data := "COD_POD;TRATTAMENTO\nIT001E12345678;O\nIT001E12345679;\"O\nIT001E12345670;O\n" +
		"IT001E12345671;\"ROSSI; FIGLI\"\nIT001E12345672;O\n"
	r, err := NewRCUReader(strings.NewReader(data), RCUOptions{})
	require.NoError(t, err)
	var pods []string
	var bad []int
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		var pe *ParseError
		if errors.As(err, &pe) {
			assert.ErrorIs(t, err, ErrUnbalancedQuote)
			bad = append(bad, pe.Line)
			continue
		}
		require.NoError(t, err)
		pods = append(pods, rec.POD)
	}
	assert.Equal(t, []int{3}, bad)
	assert.Equal(t, []string{"IT001E12345678", "IT001E12345670", "IT001E12345671", "IT001E12345672"}, pods)

	out := NewRCUValidator(RCUValidatorOptions{}).ParseAnomaly(&ParseError{Line: 3, Err: ErrUnbalancedQuote})
	assert.Equal(t, CodeRCUParse, out.Code)
	assert.True(t, out.Blocking())
	assert.Equal(t, 3, out.Line)
}

func TestRCUReaderQuotedValueOnTwoLines(t *testing.T) {
	data := "COD_POD;MOTIVAZIONE;TRATTAMENTO\r\nIT001E12345678;\"riga uno\r\nriga \"\"due\"\"\";O\r\nIT001E12345679;x;F\r\n"
	_, recs := readRCU(t, data, RCUOptions{})
	require.Len(t, recs, 2)
	assert.Equal(t, "riga uno\nriga \"due\"", recs[0].Reason)
	assert.Equal(t, "O", recs[0].Treatment)
	assert.Equal(t, 2, recs[0].Line)
	assert.Equal(t, 4, recs[1].Line)
}

// A line of 100 MiB used to be held in memory whole; it is now skipped
// as it streams by.
func TestRCUReaderLongLineSkipped(t *testing.T) {
	long := strings.NewReader("IT001E12345679;" + strings.Repeat("x", 3*maxLineLength) + "\n")
	data := io.MultiReader(strings.NewReader("COD_POD;TRATTAMENTO\nIT001E12345678;O\n"), long,
		strings.NewReader("IT001E12345670;F"))
	r, err := NewRCUReader(data, RCUOptions{})
	require.NoError(t, err)

	rec, err := r.Next()
	require.NoError(t, err)
	assert.Equal(t, "IT001E12345678", rec.POD)

	_, err = r.Next()
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	assert.ErrorIs(t, err, ErrLineTooLong)
	assert.Equal(t, 3, pe.Line)

	rec, err = r.Next()
	require.NoError(t, err)
	assert.Equal(t, "IT001E12345670", rec.POD)
	assert.Equal(t, "F", rec.Treatment)
	assert.Equal(t, 4, rec.Line)

	_, err = r.Next()
	assert.Equal(t, io.EOF, err)
}

func codesOf(l anomaly.List) []string {
	var out []string
	for _, a := range l {
		out = append(out, a.Code)
	}
	return out
}

func TestRCUValidator(t *testing.T) {
	good := samplePoint("IT001E12345678")
	dup := samplePoint("IT001E12345678X")
	bad := samplePoint("IT001X1234")
	bad[ColDistributorVAT] = "2345678903" // ten digits, invalid even when left-padded
	bad[ColUdDVAT] = "01234567890"
	bad[ColSupplyStart] = "2024-03-01"
	bad[ColSupplyEnd] = "01/01/2020"
	bad[ColAnnualConsumption] = ""
	bad[ColCommittedPower] = "tre"
	bad[ColEconomicBonusStart] = "01/06/2025"
	bad[ColEconomicBonusEnd] = "01/01/2025"
	padded := samplePoint("IT001E00000002")
	padded[ColCounterpartyVAT] = "1234567897" // 01234567897 with its zero lost

	data := buildRCU(columnOrder, []rcuRow{good, dup, bad, padded}, ";")
	r, recs := readRCU(t, data, RCUOptions{})
	v := NewRCUValidator(RCUValidatorOptions{File: "rcu.csv"})
	assert.Empty(t, v.Header(r))
	assert.Empty(t, v.Check(recs[0]))

	out := v.Check(recs[1])
	require.Len(t, out, 1)
	assert.Equal(t, CodeRCUDuplicate, out[0].Code)
	assert.Equal(t, "IT001E12345678", out[0].Key)
	assert.Equal(t, 3, out[0].Line)
	assert.Contains(t, out[0].Message, "line 2")

	out = v.Check(recs[2])
	assert.Equal(t, []string{CodeRCUPOD, CodeRCUVAT, CodeRCUVAT, CodeRCUDate, CodeRCUNumber, CodeRCUMissing, CodeRCURange}, codesOf(out))
	assert.Equal(t, ColSupplyStart, out[3].Field)
	assert.False(t, out[3].Blocking(), "the point is kept")
	assert.Equal(t, ColEconomicBonusEnd, out[6].Field)
	assert.Equal(t, "rcu.csv", out[0].File)

	out = v.Check(recs[3])
	require.Len(t, out, 1)
	assert.Equal(t, CodeRCUVAT, out[0].Code)
	assert.Contains(t, out[0].Message, "leading zeros")
}

func TestRCUValidatorHeader(t *testing.T) {
	data := "cod_pod;PIVA_UDD;PIVA_UDD;EXTRA\nIT001E12345678;01234567897;x;y\n"
	r, _ := readRCU(t, data, RCUOptions{})
	out := NewRCUValidator(RCUValidatorOptions{}).Header(r)
	var fields []string
	for _, a := range out {
		assert.Equal(t, CodeRCUColumn, a.Code)
		assert.False(t, a.Blocking())
		fields = append(fields, a.Field)
	}
	assert.Contains(t, fields, ColDistributorVAT, "missing")
	assert.Contains(t, fields, ColUdDVAT, "duplicate")
	assert.Contains(t, fields, "EXTRA", "unknown")
}

func TestPODKey(t *testing.T) {
	assert.Equal(t, "IT001E12345678", PODKey(" it001e12345678x "))
	assert.Equal(t, "IT001", PODKey("IT001"))
	assert.True(t, validPODShape("IT001E12345678"))
	assert.True(t, validPODShape("IT001E123456789"))
	assert.False(t, validPODShape("IT001E1234567"))
	assert.False(t, validPODShape("XX001E12345678"))
}

func TestValidVATNumber(t *testing.T) {
	assert.True(t, validVATNumber("12345678903"))
	assert.True(t, validVATNumber("01234567897"))
	assert.True(t, validVATNumber("11111111115"))
	assert.False(t, validVATNumber("12345678901"))
	assert.False(t, validVATNumber("1234567890"))
	assert.False(t, validVATNumber("1234567890A"))
}

func BenchmarkRCUReader(b *testing.B) {
	var rows []rcuRow
	for i := 0; i < 2000; i++ {
		rows = append(rows, samplePoint("IT001E"+strings.Repeat("0", 4)+string(rune('0'+i%10))+"123"))
	}
	data := []byte(buildRCU(columnOrder, rows, ";"))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := NewRCUReader(bytes.NewReader(data), RCUOptions{})
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := r.Next(); err != nil {
				if err == io.EOF {
					break
				}
				b.Fatal(err)
			}
		}
	}
}

// A value of a million digits used to take seconds to parse, because
// big-number parsing is quadratic in the digits. It was also read as a
// valid consumption.
func TestRCUReaderOverlongNumberInvalid(t *testing.T) {
	digits := strings.Repeat("1", 1_000_000)
	data := "COD_POD;CONSUMO_TOT;POTDISP\nIT001E12345678;" + digits + ";3,3\n"
	_, recs := readRCU(t, data, RCUOptions{})
	require.Len(t, recs, 1)
	assert.False(t, recs[0].AnnualConsumption.Valid, "a million-digit consumption is not a number")
	assert.True(t, recs[0].AvailablePower.Valid)

	out := NewRCUValidator(RCUValidatorOptions{}).Check(recs[0])
	require.Len(t, out, 1)
	assert.Equal(t, CodeRCUNumber, out[0].Code)
	assert.Equal(t, ColAnnualConsumption, out[0].Field)
}

// Extracts joined with a plain file copy keep the byte order mark of each
// part at the start of a line; it used to become part of the POD, so the
// POD key lost its last characters.
func TestRCUReaderBOMAtLineStart(t *testing.T) {
	data := "\ufeffCOD_POD;TRATTAMENTO\nIT001E12345678;O\n\ufeffIT001E12345679;F\n"
	_, recs := readRCU(t, data, RCUOptions{})
	require.Len(t, recs, 2)
	assert.Equal(t, "IT001E12345679", recs[1].POD)
	assert.Equal(t, "IT001E12345679", recs[1].Key())
	assert.Empty(t, NewRCUValidator(RCUValidatorOptions{}).Check(recs[1]))
}
