package soap

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	gowsdl "github.com/hooklift/gowsdl/soap"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/distributor"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/soap/client"
)

func TestRequestOfEveryField(t *testing.T) {
	c := func(s string) *client.Code { return (*client.Code)(&s) }
	tx := func(s string) *client.Text { return (*client.Text)(&s) }
	si, no := client.FlagSI, client.FlagNO
	power, total := client.DecimalText("3,3"), client.DecimalText("12.75")
	day := func(y int, m time.Month, d int) gowsdl.XSDDate {
		return gowsdl.CreateXsdDate(time.Date(y, m, d, 0, 0, 0, 0, time.UTC), false)
	}
	addr := func(street string) *client.PostalAddress {
		return &client.PostalAddress{Toponym: tx("VIA"), Street: tx(street), Number: c("1"), PostCode: c("00184"),
			Istat: c("058091"), Municipality: tx("Roma"), Province: c("RM"), Country: c("IT")}
	}
	in := &client.DistributorRequest{
		Service: c("PM1"),
		Identifiers: &client.RequestIdentifiers{SellerVat: c("01234567897"), DistributorVat: c("12345678903"),
			CaseNumber: c("C-1"), DispatchingContract: c("DC1"), ReceivedOn: day(2026, 11, 2)},
		Customer: &client.RequestCustomer{Resident: &no, Surname: tx("Verdi"), Name: tx("Anna"),
			BusinessName: tx("Verdi Srl"), FiscalCode: c("VRDNNA80A41H501X"), VatNumber: c("00000000000"),
			Phone: c("061234567"), SafeguardRight: &si, Address: addr("Cavour"), SeparateBilling: &si,
			BillingSurname: tx("Neri"), BillingName: tx("Luca"), BillingBusinessName: tx("Neri Spa"),
			BillingAddress: addr("Nazionale")},
		Supply: addr("Merulana"),
		Technical: &client.TechnicalData{Pod: c("IT002E00000001"), PodCount: c("2"), ContractPowerKw: &power,
			TotalPowerKw: &total, Voltage: c("400"), VoltageLevel: c("B"), Phase: c("T"), Market: c("LIBERO"),
			Use: c("A"), Interruptible: &no, MedicalEquipment: &si, Category: tx("UFFICI")},
		CustomerPresent: &si,
		OutOfHours:      &no,
		NotBefore:       day(2026, 12, 15),
		Note:            tx("two points"),
		Extra:           []*client.NameValue{{Name: "fascia_oraria", Value: "mattina"}, {Name: "vuoto"}},
	}
	want := &distributor.Request{
		Service: "PM1",
		IDs: distributor.Identifiers{SellerVAT: "01234567897", DistributorVAT: "12345678903", CaseNumber: "C-1",
			DispatchingContract: "DC1", ReceivedOn: civil.Date{Year: 2026, Month: time.November, Day: 2}},
		Customer: distributor.Customer{Resident: distributor.No, Surname: "Verdi", Name: "Anna",
			BusinessName: "Verdi Srl", FiscalCode: "VRDNNA80A41H501X", VAT: "00000000000", Phone: "061234567",
			SafeguardRight: distributor.Yes, Address: romeAddress("Cavour"), SeparateBilling: distributor.Yes,
			BillingSurname: "Neri", BillingName: "Luca", BillingBusinessName: "Neri Spa",
			BillingAddress: romeAddress("Nazionale")},
		Supply: romeAddress("Merulana"),
		Technical: distributor.Technical{POD: "IT002E00000001", PODCount: "2",
			ContractPower: decimal.NewNullDecimal(decimal.RequireFromString("3.3")),
			TotalPower:    decimal.NewNullDecimal(decimal.RequireFromString("12.75")),
			Voltage:       "400", VoltageLevel: "B", Phase: "T", Market: "LIBERO", Use: "A",
			Interruptible: distributor.No, MedicalEquipment: distributor.Yes, Category: "UFFICI"},
		CustomerPresent: distributor.Yes,
		OutOfHours:      distributor.No,
		NotBefore:       civil.Date{Year: 2026, Month: time.December, Day: 15},
		Note:            "two points",
		Extra:           map[string]string{"fascia_oraria": "mattina", "vuoto": ""},
	}
	got, err := requestOf(in)
	require.NoError(t, err)
	assert.Empty(t, cmp.Diff(want, got, cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })))
}

func romeAddress(street string) distributor.Address {
	return distributor.Address{Toponym: "VIA", Street: street, Number: "1", PostCode: "00184", ISTAT: "058091",
		Municipality: "Roma", Province: "RM", Country: "IT"}
}

func TestRequestOfAbsentParts(t *testing.T) {
	code := client.Code("A01")
	got, err := requestOf(&client.DistributorRequest{Service: &code})
	require.NoError(t, err)
	assert.Equal(t, &distributor.Request{Service: "A01"}, got)
}

func TestDecimalText(t *testing.T) {
	tests := []struct {
		in    string
		want  string
		valid bool
	}{
		{"4,5", "4.5", true},
		{"4.5", "4.5", true},
		{"10", "10", true},
		{" 3,25 ", "3.25", true},
		{"0,000001", "0.000001", true},
		{"4,5,0", "", false},
		{"4.5,0", "", false},
		{"1e3", "", false},
		{"-1", "", false},
		{"+1", "", false},
		{"kW", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			in := client.DecimalText(tc.in)
			got, err := decimalText("ContractPowerKw", &in)
			if !tc.valid {
				var f *Fault
				require.ErrorAs(t, err, &f)
				assert.Equal(t, "ContractPowerKw", f.Detail.Element)
				assert.Equal(t, tc.in, f.Detail.Value)
				return
			}
			require.NoError(t, err)
			require.True(t, got.Valid)
			assert.True(t, got.Decimal.Equal(decimal.RequireFromString(tc.want)), "got %s", got.Decimal)
		})
	}

	absent, err := decimalText("TotalPowerKw", nil)
	require.NoError(t, err)
	assert.False(t, absent.Valid, "an absent element is an absent value")
	empty := client.DecimalText("")
	blank, err := decimalText("TotalPowerKw", &empty)
	require.NoError(t, err)
	assert.False(t, blank.Valid, "an empty element is an absent value")
}
