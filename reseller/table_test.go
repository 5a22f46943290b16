package reseller

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

func loadTestTable(t testing.TB) *Table {
	t.Helper()
	f, err := os.Open("testdata/routes.json")
	require.NoError(t, err)
	defer f.Close()
	table, err := LoadTable(f)
	require.NoError(t, err)
	return table
}

func day(s string) civil.Date {
	d, err := civil.ParseISODate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestLoadTableFile(t *testing.T) {
	table := loadTestTable(t)
	require.Len(t, table.Companies, 3)
	assert.Equal(t, "beta", table.Companies[1].ID)
	assert.Equal(t, day("2025-10-15"), table.Companies[1].PODs[1].To)
	assert.True(t, table.Companies[1].PODs[1].From.IsZero())
	require.Len(t, table.Counterparties, 2)
	assert.Equal(t, day("2025-01-01"), table.Counterparties[1].From)
}

func TestTableJSONRoundTrip(t *testing.T) {
	table := loadTestTable(t)
	data, err := json.Marshal(table)
	require.NoError(t, err)
	assert.NotContains(t, string(data), "0000-00-00", "open ends must be omitted")
	again, err := LoadTable(bytes.NewReader(data))
	require.NoError(t, err)
	assert.Equal(t, table, again)
}

func TestLoadTableRejects(t *testing.T) {
	cases := []struct {
		name, json, want string
	}{
		{"not JSON", `{`, "unexpected EOF"},
		{"unknown field", `{"companies":[{"id":"a","pod":[]}]}`, `unknown field "pod"`},
		{"trailing data", `{"companies":[]} {}`, "data after the JSON object"},
		{"missing id", `{"companies":[{"name":"x"}]}`, "missing company ID"},
		{"reserved id", `{"companies":[{"id":"unassigned"}]}`, "reserved"},
		{"bad id", `{"companies":[{"id":"Alfa/1"}]}`, "lower-case letters"},
		{"repeated id", `{"companies":[{"id":"a"},{"id":"a"}]}`, "company ID used twice"},
		{"half contract", `{"companies":[{"id":"a","contracts":[{"seller_vat":"01234567897"}]}]}`, "both seller_vat and dispatching_contract"},
		{"contract twice", `{"companies":[{"id":"a","contracts":[{"seller_vat":"1","dispatching_contract":"DP0001"}]},{"id":"b","contracts":[{"seller_vat":"1","dispatching_contract":"dp0001 "}]}]}`, `also routed to company "a"`},
		{"VAT twice", `{"companies":[{"id":"a","counterparty_vats":["1"]},{"id":"b","counterparty_vats":[" 1"]}]}`, `counterparty VAT also routed`},
		{"empty VAT", `{"companies":[{"id":"a","counterparty_vats":[""]}]}`, "missing VAT number"},
		{"short POD", `{"companies":[{"id":"a","pods":[{"pod":"IT001E1"}]}]}`, "14 or 15 characters"},
		{"bad date", `{"companies":[{"id":"a","pods":[{"pod":"IT001E00000001","from":"01/10/2025"}]}]}`, "invalid routing table"},
		{"empty date", `{"companies":[{"id":"a","pods":[{"pod":"IT001E00000001","from":""}]}]}`, "invalid routing table"},
		{"reversed range", `{"companies":[{"id":"a","pods":[{"pod":"IT001E00000001","from":"2025-10-02","to":"2025-10-01"}]}]}`, "ends before from 2025-10-02"},
		{"overlapping PODs", `{"companies":[{"id":"a","pods":[{"pod":"IT001E00000001","to":"2025-10-15"}]},{"id":"b","pods":[{"pod":"IT001E00000001X","from":"2025-10-15"}]}]}`, `overlaps pods[0] of company "a"`},
		{"overlapping counterparties", `{"companies":[],"counterparties":[{"pod":"IT001E00000001","vat":"1"},{"pod":"IT001E00000001","vat":"2","from":"2025-01-01"}]}`, "overlaps counterparties[0]"},
		{"counterparty without VAT", `{"companies":[],"counterparties":[{"pod":"IT001E00000001","vat":" "}]}`, "missing VAT number"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadTable(strings.NewReader(tc.json))
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrTable)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

func TestLoadTableAdjacentRangesAllowed(t *testing.T) {
	_, err := LoadTable(strings.NewReader(`{"companies":[{"id":"a","pods":[{"pod":"IT001E00000001","to":"2025-10-15"}]},{"id":"b","pods":[{"pod":"IT001E00000001","from":"2025-10-16"}]}]}`))
	assert.NoError(t, err)
}

func TestPutCompanyAddsAndReplaces(t *testing.T) {
	table := loadTestTable(t)
	require.NoError(t, table.PutCompany(Company{ID: "delta", CounterpartyVATs: []string{"33333333335"}}))
	assert.Len(t, table.Companies, 4)
	require.NoError(t, table.PutCompany(Company{ID: "delta", Name: "Delta"}))
	assert.Len(t, table.Companies, 4)
	assert.Equal(t, "Delta", table.Companies[3].Name)
	assert.Empty(t, table.Companies[3].CounterpartyVATs)
}

func TestPutCompanyKeepsTableOnError(t *testing.T) {
	table := loadTestTable(t)
	before := table.clone()
	err := table.PutCompany(Company{ID: "delta", CounterpartyVATs: []string{"11111111119"}})
	require.ErrorIs(t, err, ErrTable)
	assert.Equal(t, before, table)
}

func TestAssignPOD(t *testing.T) {
	table := loadTestTable(t)
	require.NoError(t, table.AssignPOD("alfa", PODAssignment{POD: "IT001E00000009", Validity: Validity{From: day("2025-11-01")}}))
	assert.Len(t, table.Companies[0].PODs, 1)

	err := table.AssignPOD("alfa", PODAssignment{POD: "IT001E00000003", Validity: Validity{From: day("2025-10-01"), To: day("2025-10-20")}})
	assert.ErrorContains(t, err, "overlaps")
	assert.Len(t, table.Companies[0].PODs, 1, "a rejected assignment leaves the table unchanged")

	err = table.AssignPOD("omega", PODAssignment{POD: "IT001E00000009"})
	assert.ErrorContains(t, err, "company not found")
}

func TestRemoveCompany(t *testing.T) {
	table := loadTestTable(t)
	assert.True(t, table.RemoveCompany("beta"))
	assert.False(t, table.RemoveCompany("beta"))
	assert.Len(t, table.Companies, 2)
}

func TestSetCounterparties(t *testing.T) {
	table := loadTestTable(t)
	require.NoError(t, table.SetCounterparties([]Counterparty{{POD: "IT001E00000007", VAT: "11111111119"}}))
	assert.Len(t, table.Counterparties, 1)
	err := table.SetCounterparties([]Counterparty{{POD: "IT001E00000007", VAT: "1"}, {POD: "IT001E00000007", VAT: "2"}})
	assert.ErrorIs(t, err, ErrTable)
	assert.Len(t, table.Counterparties, 1)
}

func TestCompileIsIndependentOfLaterChanges(t *testing.T) {
	table := loadTestTable(t)
	router, err := table.Compile()
	require.NoError(t, err)
	require.NoError(t, table.PutCompany(Company{ID: "alfa"}))
	d := router.Route("IT001E00000005", day("2025-10-01"), Contract{"01234567897", "DP0427"})
	assert.Equal(t, "alfa", d.Company)
	assert.Equal(t, RuleContract, d.Rule)
}

func TestRoutePrecedence(t *testing.T) {
	table := loadTestTable(t)
	// IT001E00000002 has counterparty gamma, and an explicit assignment to
	// alfa in November only: the explicit rule wins where it applies.
	require.NoError(t, table.AssignPOD("alfa", PODAssignment{POD: "IT001E00000002", Validity: Validity{From: day("2025-11-01"), To: day("2025-11-30")}}))
	router, err := table.Compile()
	require.NoError(t, err)
	group := Contract{"01234567897", "DP0427"}
	other := Contract{"01234567897", "DP0999"}

	cases := []struct {
		name     string
		pod      string
		day      string
		contract Contract
		company  string
		rule     Rule
	}{
		{"explicit POD beats counterparty", "IT001E00000002", "2025-11-10", group, "alfa", RulePOD},
		{"counterparty outside explicit range", "IT001E00000002", "2025-10-31", group, "gamma", RuleCounterparty},
		{"counterparty beats contract", "IT001E00000002", "2025-12-01", group, "gamma", RuleCounterparty},
		{"explicit POD beats contract", "IT001E00000001", "2025-10-01", group, "beta", RulePOD},
		{"explicit POD with unknown contract", "IT001E00000001", "2025-10-01", other, "beta", RulePOD},
		{"last day of first range", "IT001E00000003", "2025-10-15", group, "beta", RulePOD},
		{"first day of second range", "IT001E00000003", "2025-10-16", group, "gamma", RulePOD},
		{"15th character ignored", "IT001E00000003A", "2025-10-16", group, "gamma", RulePOD},
		{"contract fallback", "IT001E00000005", "2025-10-01", group, "alfa", RuleContract},
		{"contract VAT and code trimmed", "IT001E00000005", "2025-10-01", Contract{" 01234567897", "dp0427"}, "alfa", RuleContract},
		{"counterparty outside group", "IT001E00000004", "2025-10-01", group, Unassigned, RuleNone},
		{"counterparty range not started", "IT001E00000004", "2024-12-31", group, "alfa", RuleContract},
		{"no rule", "IT001E00000005", "2025-10-01", other, Unassigned, RuleNone},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := router.Route(tc.pod, day(tc.day), tc.contract)
			assert.Equal(t, tc.company, d.Company)
			assert.Equal(t, tc.rule, d.Rule)
			if tc.company == Unassigned {
				assert.NotEmpty(t, d.Reason)
			}
		})
	}
}

func TestRouteUnknownDay(t *testing.T) {
	router, err := loadTestTable(t).Compile()
	require.NoError(t, err)
	group := Contract{"01234567897", "DP0427"}
	assert.Equal(t, "beta", router.Route("IT001E00000001", civil.Date{}, group).Company, "an open range matches an unknown day")
	assert.Equal(t, "alfa", router.Route("IT001E00000003", civil.Date{}, group).Company, "bounded ranges do not match an unknown day")
}

func TestRouteCounterparty(t *testing.T) {
	router, err := loadTestTable(t).Compile()
	require.NoError(t, err)
	cases := []struct {
		name, pod, vat string
		day            civil.Date
		company        string
		rule           Rule
		reason         string
	}{
		{"by PIVA_CC", "IT001E00000009", "22222222224", civil.Date{}, "gamma", RuleCounterparty, ""},
		{"explicit POD first", "IT001E00000001", "22222222224", civil.Date{}, "beta", RulePOD, ""},
		{"bounded POD needs a day", "IT001E00000003", "11111111119", civil.Date{}, "alfa", RuleCounterparty, ""},
		{"bounded POD on its day", "IT001E00000003", "11111111119", day("2025-10-20"), "gamma", RulePOD, ""},
		{"empty PIVA_CC", "IT001E00000009", "", civil.Date{}, Unassigned, RuleNone, "empty PIVA_CC"},
		{"foreign PIVA_CC", "IT001E00000009", "99999999999", civil.Date{}, Unassigned, RuleNone, "not a company of the group"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := router.RouteCounterparty(tc.pod, tc.vat, tc.day)
			assert.Equal(t, tc.company, d.Company)
			assert.Equal(t, tc.rule, d.Rule)
			assert.Contains(t, d.Reason, tc.reason)
		})
	}
}

func FuzzLoadTable(f *testing.F) {
	seed, err := os.ReadFile("testdata/routes.json")
	require.NoError(f, err)
	f.Add(seed)
	f.Add([]byte(`{"companies":[]}`))
	f.Add([]byte(`{"companies":[{"id":"a","pods":[{"pod":"IT001E00000001","from":"2025-02-30"}]}]}`))
	f.Add([]byte(`{"companies":[{"id":"a"}],"counterparties":[{"pod":"IT001E00000001","vat":"1","to":"2025-01-01"}]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		table, err := LoadTable(bytes.NewReader(data))
		if err != nil {
			return
		}
		// A loaded table validates, compiles, survives a JSON round trip
		// and routes without panicking.
		require.NoError(t, table.Validate())
		router, err := table.Compile()
		require.NoError(t, err)
		out, err := json.Marshal(table)
		require.NoError(t, err)
		_, err = LoadTable(bytes.NewReader(out))
		require.NoError(t, err)
		for _, c := range table.Companies {
			for _, p := range c.PODs {
				d := router.Route(p.POD, p.From, Contract{})
				if !p.From.IsZero() {
					require.Equal(t, c.ID, d.Company)
				}
			}
		}
	})
}
