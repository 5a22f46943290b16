package flows

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeRegistry looks up rules 4 and 6 in two sets.
type fakeRegistry struct {
	active    map[string]bool // seller VAT
	contracts map[string]bool // seller VAT + "/" + contract
	err       error
	calls     int
}

func (f *fakeRegistry) SellerActive(vat string, _ int, _ time.Month) (bool, error) {
	f.calls++
	return f.active[vat], f.err
}

func (f *fakeRegistry) ContractOfSeller(vat, contract string, _ int, _ time.Month) (bool, error) {
	f.calls++
	return f.contracts[vat+"/"+contract], f.err
}

func TestFileRules(t *testing.T) {
	good := testName("PDO", "201301")
	registry := &fakeRegistry{
		active:    map[string]bool{testSeller: true},
		contracts: map[string]bool{testSeller + "/" + testContract: true},
	}
	tests := []struct {
		name   string
		rule   string
		file   string
		header func(h *Header)
		opts   func(o *ValidateOptions)
		fires  bool
	}{
		{name: "R1 distributor differs", rule: RuleDistributorVAT, file: good,
			header: func(h *Header) { h.DistributorVAT = V("01234567899") }, fires: true},
		{name: "R1 distributor equal", rule: RuleDistributorVAT, file: good},
		{name: "R3 seller differs", rule: RuleSellerVAT, file: good,
			header: func(h *Header) { h.SellerVAT = V("1234567890") }, fires: true},
		{name: "R3 seller equal", rule: RuleSellerVAT, file: good},
		{name: "R4 seller not active", rule: RuleSellerRegistered, file: good,
			header: func(h *Header) { h.SellerVAT = V("99999999999") },
			opts:   func(o *ValidateOptions) { o.Registry = registry }, fires: true},
		{name: "R4 seller active", rule: RuleSellerRegistered, file: good,
			opts: func(o *ValidateOptions) { o.Registry = registry }},
		{name: "R4 exempt contract", rule: RuleSellerRegistered,
			file:   "01234567890_99999999999_201301_PDO_20130218060523_1DP7001_R.xml",
			header: func(h *Header) { h.SellerVAT = V("99999999999"); h.DispatchingContract = V("DP7001") },
			opts:   func(o *ValidateOptions) { o.Registry = registry }},
		{name: "R4 without registry", rule: RuleSellerRegistered, file: good,
			header: func(h *Header) { h.SellerVAT = V("99999999999") }},
		{name: "R5 contract differs", rule: RuleContract, file: good,
			header: func(h *Header) { h.DispatchingContract = V("DP0002") }, fires: true},
		{name: "R5 contract equal", rule: RuleContract, file: good},
		{name: "R6 contract not of seller", rule: RuleContractOfSeller,
			file:   "01234567890_12345678901_201301_PDO_20130218060523_1DP0002_R.xml",
			header: func(h *Header) { h.DispatchingContract = V("DP0002") },
			opts:   func(o *ValidateOptions) { o.Registry = registry }, fires: true},
		{name: "R6 contract of seller", rule: RuleContractOfSeller, file: good,
			opts: func(o *ValidateOptions) { o.Registry = registry }},
		{name: "R7 invalid timestamp", rule: RuleTimestamp,
			file: "01234567890_12345678901_201301_PDO_20131318060523_1DP0001_R.xml", fires: true},
		{name: "R7 valid timestamp", rule: RuleTimestamp, file: good},
		{name: "R8 flow differs", rule: RuleFlowCode, file: testName("PDO2G", "201301"), fires: true},
		{name: "R8 flow equal", rule: RuleFlowCode, file: good},
		{name: "R9 meter state missing", rule: RuleMeterState,
			file: "01234567890_12345678901_201301_PDO_20130218060523_1DP0001.xml", fires: true},
		{name: "R9 meter state invalid", rule: RuleMeterState,
			file: "01234567890_12345678901_201301_PDO_20130218060523_1DP0001_X.xml", fires: true},
		{name: "R9 meter state NR", rule: RuleMeterState,
			file: "01234567890_12345678901_201301_PDO_20130218060523_1DP0001_NR.xml"},
		{name: "R10 PDO2G with NR", rule: RulePDO2GNotRegime,
			file:   "01234567890_12345678901_201301_PDO2G_20130218060523_1DP0001_NR.xml",
			header: func(h *Header) { h.FlowCode = V("PDO2G") }, fires: true},
		{name: "R10 PDO2G with R", rule: RulePDO2GNotRegime, file: testName("PDO2G", "201301"),
			header: func(h *Header) { h.FlowCode = V("PDO2G") }},
		{name: "R14 future month", rule: RuleMonthRange, file: testName("PDO", "201302"), fires: true},
		{name: "R14 69 months back", rule: RuleMonthRange, file: testName("PDO", "200704"), fires: true},
		{name: "R14 68 months back", rule: RuleMonthRange, file: testName("PDO", "200705")},
		{name: "R14 longer window", rule: RuleMonthRange, file: testName("PDO", "200704"),
			opts: func(o *ValidateOptions) { o.MaxMonthsBack = 69 }},
		{name: "R14 same month", rule: RuleMonthRange, file: good},
		{name: "R967 contract format", rule: RuleContractFormat,
			file:   "01234567890_12345678901_201301_PDO_20130218060523_1DP0000_R.xml",
			header: func(h *Header) { h.DispatchingContract = V("DP0000") }, fires: true},
		{name: "R967 lower case accepted", rule: RuleContractFormat,
			file:   "01234567890_12345678901_201301_PDO_20130218060523_1dp0001_R.xml",
			header: func(h *Header) { h.DispatchingContract = V("dp0001") }},
		{name: "foreign VAT warned", rule: RuleForeignVAT,
			file:   "01234567890_DE123456789_201301_PDO_20130218060523_1DP0001_R.xml",
			header: func(h *Header) { h.SellerVAT = V("DE123456789") }, fires: true},
		{name: "foreign VAT accepted", rule: RuleForeignVAT,
			file:   "01234567890_DE123456789_201301_PDO_20130218060523_1DP0001_R.xml",
			header: func(h *Header) { h.SellerVAT = V("DE123456789") },
			opts:   func(o *ValidateOptions) { o.AcceptForeignVAT = true }},
		{name: "name unparsable", rule: RuleFileName, file: "pdo-january.xml", fires: true},
		{name: "name parsable", rule: RuleFileName, file: good},
		{name: "doubled underscore", rule: RuleFileNameDefect,
			file: "01234567890_12345678901_201301_PDO__20130218060523_1DP0001_R.xml", fires: true},
		{name: "single underscores", rule: RuleFileNameDefect, file: good},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := testHeader("PDO")
			if tt.header != nil {
				tt.header(h)
			}
			opts := testOptions()
			if tt.opts != nil {
				tt.opts(&opts)
			}
			got := withRule(runFile(opts, tt.file, h, pdoRecord()), tt.rule)
			if !tt.fires {
				assert.Empty(t, got)
				return
			}
			require.NotEmpty(t, got)
			info, _ := LookupRule(tt.rule)
			assert.Equal(t, info.Code, got[0].Code)
			assert.Equal(t, FileLevel, got[0].Level)
			assert.Equal(t, info.Severity, got[0].Severity)
			assert.NotEmpty(t, got[0].Message)
		})
	}
}

func TestFileRulesNoNameSkipsComparisons(t *testing.T) {
	h := testHeader("PDO")
	h.SellerVAT = V("1234567890")
	got := runFile(testOptions(), "", h, pdoRecord())
	assert.Empty(t, withRule(got, RuleSellerVAT))
	assert.Empty(t, withRule(got, RuleFileName))
}

func TestRule10AcceptedAsWarning(t *testing.T) {
	opts := testOptions()
	opts.AcceptPDO2GNotRegime = true
	got := withRule(runFile(opts, "01234567890_12345678901_201301_PDO2G_20130218060523_1DP0001_NR.xml",
		testHeader("PDO2G"), pdo2gRecord()), RulePDO2GNotRegime)
	require.Len(t, got, 1)
	assert.Equal(t, Warning, got[0].Severity)
}

func TestRegistryErrorReturned(t *testing.T) {
	opts := testOptions()
	opts.Registry = &fakeRegistry{err: errors.New("RCU unreachable")}
	v := NewValidator(opts)
	_, err := v.Start(testName("PDO", "201301"), testHeader("PDO"))
	assert.ErrorContains(t, err, "RCU unreachable")
}

func TestRule11AlreadyLoaded(t *testing.T) {
	var seen [32]byte
	seen[0] = 1
	opts := testOptions()
	opts.AlreadyLoaded = func(name string, sum [32]byte) (bool, error) {
		return name == testName("PDO", "201301") && sum == seen, nil
	}
	v := NewValidator(opts)
	_, err := v.Start("inbox/"+testName("PDO", "201301"), testHeader("PDO"))
	require.NoError(t, err)

	got, err := v.CheckDigest(seen)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, CodeAlreadyLoaded, got[0].Code)
	assert.Equal(t, RuleAlreadyLoaded, got[0].Rule)

	got, err = v.CheckDigest([32]byte{2})
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestRules12And13SummariseSchema(t *testing.T) {
	bad := pdoRecord()
	bad.Measure.PotMax = V("12.240")
	got := runFile(testOptions(), testName("PDO", "201301"), testHeader("PDO"), bad)
	assert.Len(t, withRule(got, RuleSchemaPeriodic), 1)
	assert.Empty(t, withRule(runFile(testOptions(), testName("PDO", "201301"), testHeader("PDO"), pdoRecord()), RuleSchemaPeriodic))

	badR := rfoRecord()
	badR.Reason = V("7")
	got = runFile(testOptions(), testName("RFO", "201301"), testHeader("RFO"), badR)
	assert.Len(t, withRule(got, RuleSchemaCorrection), 1)
	assert.Empty(t, withRule(runFile(testOptions(), testName("RFO", "201301"), testHeader("RFO"), rfoRecord()), RuleSchemaCorrection))
}

func TestRule15MonthCoherence(t *testing.T) {
	tests := []struct {
		name   string
		flow   string
		change func(r *Record)
		fires  bool
	}{
		{name: "PDO month outside", flow: "PDO", change: func(r *Record) { r.MonthYear = V("07/2012") }, fires: true},
		{name: "PDO month inside", flow: "PDO"},
		{name: "PNO date outside", flow: "PNO", change: func(r *Record) { r.MeasureDate = V("31/12/2012") }, fires: true},
		{name: "SNM2G previous month", flow: "SNM2G"},
		{name: "SNM2G two months back", flow: "SNM2G", change: func(r *Record) { r.MeasureDate = V("30/11/2012") }, fires: true},
		{name: "RSN2G previous month", flow: "RSN2G"},
		{name: "RFO month outside", flow: "RFO", change: func(r *Record) { r.MonthYear = V("07/2012") }, fires: true},
		{name: "RFO month inside", flow: "RFO"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := recordFor(tt.flow)
			if tt.change != nil {
				tt.change(r)
			}
			got := withRule(runFile(testOptions(), testName(tt.flow, "201301"), testHeader(tt.flow), r), RuleMonthCoherence)
			if !tt.fires {
				assert.Empty(t, got)
				return
			}
			require.Len(t, got, 1)
			assert.Equal(t, CodeMonth, got[0].Code)
			assert.Equal(t, Blocking, got[0].Severity)
			assert.Equal(t, testPOD, got[0].Key)
		})
	}
}

func TestRule15CorrectionAnyRecordOfPOD(t *testing.T) {
	other := rfoRecord()
	other.MonthYear = V("12/2012")
	other.Measure.Curves = []Curve{fullCurve(ActiveEnergy, "05"), fullCurve(ReactiveEnergy, "05")}
	got := runFile(testOptions(), testName("RFO", "201301"), testHeader("RFO"), other, rfoRecord())
	assert.Empty(t, withRule(got, RuleMonthCoherence))

	got = runFile(testOptions(), testName("RFO", "201301"), testHeader("RFO"), other)
	require.Len(t, withRule(got, RuleMonthCoherence), 1)
	assert.Equal(t, "12/2012", withRule(got, RuleMonthCoherence)[0].Value)
}
