package flows

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/internal/testref"
)

func mustFlow(t testing.TB, code string) FlowInfo {
	t.Helper()
	info, ok := LookupFlow(code)
	require.True(t, ok, code)
	return info
}

func TestParseFileNameValid(t *testing.T) {
	jan2013 := civil.Month{Year: 2013, Month: time.January}
	tests := []struct {
		name string
		want FileName
	}{
		{
			name: "01234567890_12345678901_201301_PDO_20130218060523_1DP0001_R.xml",
			want: FileName{DistributorVAT: "01234567890", SellerVAT: "12345678901", Month: jan2013,
				FlowCode: "PDO", Flow: mustFlow(t, "PDO"), Timestamp: "20130218060523", Sequence: "1",
				DispatchingContract: "DP0001", MeterState: "R", Extension: ".xml"},
		},
		{
			name: "55555666666_77777888888_202101_PDO2G_20210114160109_1DP9999_NR.xml",
			want: FileName{DistributorVAT: "55555666666", SellerVAT: "77777888888",
				Month: civil.Month{Year: 2021, Month: time.January}, FlowCode: "PDO2G", Flow: mustFlow(t, "PDO2G"),
				Timestamp: "20210114160109", Sequence: "1", DispatchingContract: "DP9999", MeterState: "NR", Extension: ".xml"},
		},
		{
			name: "01234567890_12345678901_201803_RNV2G__20181115060501_1DP0001_R.xml",
			want: FileName{DistributorVAT: "01234567890", SellerVAT: "12345678901",
				Month: civil.Month{Year: 2018, Month: time.March}, FlowCode: "RNV2G", Flow: mustFlow(t, "RNV2G"),
				Timestamp: "20181115060501", Sequence: "1", DispatchingContract: "DP0001", MeterState: "R",
				Extension: ".xml", Defects: []string{DefectDoubledUnderscore}},
		},
		{
			name: "05779711000_13032461009_201712_PDO_20180101160909_1DP2214.xml",
			want: FileName{DistributorVAT: "05779711000", SellerVAT: "13032461009",
				Month: civil.Month{Year: 2017, Month: time.December}, FlowCode: "PDO", Flow: mustFlow(t, "PDO"),
				Timestamp: "20180101160909", Sequence: "1", DispatchingContract: "DP2214", Extension: ".xml"},
		},
		{
			name: "05779711000_13181080154_20180102_PDO_20180103111543_1DP0058_2G.xml",
			want: FileName{DistributorVAT: "05779711000", SellerVAT: "13181080154",
				Month: civil.Month{Year: 2018, Month: time.January}, Day: civil.Date{Year: 2018, Month: time.January, Day: 2},
				FlowCode: "PDO", Flow: mustFlow(t, "PDO"), Timestamp: "20180103111543", Sequence: "1",
				DispatchingContract: "DP0058", Marker: Marker2G, Extension: ".xml"},
		},
		{
			name: "05779711000_13181080154_201901_PDO2G_20190203111543_12DP0058_v2_2G.xml",
			want: FileName{DistributorVAT: "05779711000", SellerVAT: "13181080154",
				Month: civil.Month{Year: 2019, Month: time.January}, FlowCode: "PDO2G", Flow: mustFlow(t, "PDO2G"),
				Timestamp: "20190203111543", Sequence: "12", DispatchingContract: "DP0058", Marker: MarkerV22G, Extension: ".xml"},
		},
		{
			name: "01234567890_12345678901_202002_F2G_20191103101533_1DP0234_OK.xml",
			want: FileName{DistributorVAT: "01234567890", SellerVAT: "12345678901",
				Month: civil.Month{Year: 2020, Month: time.February}, FlowCode: "F2G", Flow: mustFlow(t, "F2G"),
				Timestamp: "20191103101533", Sequence: "1", DispatchingContract: "DP0234", Test: true,
				Extension: ".xml", Notes: []string{NoteTestSuffix}},
		},
		{
			name: "inbox/TME_01234567890_12345678901/2013/0218/01234567890_12345678901_201301_PNO_20130218060523_3DP0001_R.zip",
			want: FileName{DistributorVAT: "01234567890", SellerVAT: "12345678901", Month: jan2013,
				FlowCode: "PNO", Flow: mustFlow(t, "PNO"), Timestamp: "20130218060523", Sequence: "3",
				DispatchingContract: "DP0001", MeterState: "R", Extension: ".zip"},
		},
		{
			name: "flussi/01234567890_12345678901_201301_SOS_20130218060523_1DP0001.XML",
			want: FileName{DistributorVAT: "01234567890", SellerVAT: "12345678901", Month: jan2013,
				FlowCode: "SOS", Flow: mustFlow(t, "SOS"), Timestamp: "20130218060523", Sequence: "1",
				DispatchingContract: "DP0001", Extension: ".XML"},
		},
		{
			name: "DE123456789012_12345678901_201301_PNO2G_20130218060523_1DP0001_NR.xml.zip",
			want: FileName{DistributorVAT: "DE123456789012", SellerVAT: "12345678901", Month: jan2013,
				FlowCode: "PNO2G", Flow: mustFlow(t, "PNO2G"), Timestamp: "20130218060523", Sequence: "1",
				DispatchingContract: "DP0001", MeterState: "NR", Extension: ".xml.zip"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseFileName(tt.name)
			require.NoError(t, err)
			assert.Empty(t, cmp.Diff(tt.want, got))
		})
	}
}

func TestParseFileNameExactFlowCode(t *testing.T) {
	for _, code := range []string{"PNO", "PNO2G", "RNO", "RNO2G", "PDO", "PDO2G", "RFO", "RFO2G"} {
		name := "01234567890_12345678901_201301_" + code + "_20130218060523_1DP0001_R.xml"
		got, err := ParseFileName(name)
		require.NoError(t, err, name)
		assert.Equal(t, code, got.FlowCode)
		assert.Equal(t, code, got.Flow.Code)
		assert.Equal(t, strings.HasSuffix(code, "2G"), got.Flow.Is2G, code)
	}
}

func TestParseFileNameLegacy(t *testing.T) {
	tests := []struct {
		name   string
		legacy bool
	}{
		{"01234567890_12345678901_201301_PDO_20130218060523_1DP0001_R.xml", false},
		{"05779711000_13032461009_201712_PDO_20180101160909_1DP2214.xml", true},
		{"05779711000_13181080154_20180102_PDO_20180103111543_1DP0058_2G.xml", true},
		{"01234567890_12345678901_202002_SOF_20191103101533_1DP0234.xml", false},
	}
	for _, tt := range tests {
		got, err := ParseFileName(tt.name)
		require.NoError(t, err, tt.name)
		assert.Equal(t, tt.legacy, got.Legacy(), tt.name)
	}
}

func TestParseFileNameInvalid(t *testing.T) {
	tests := []struct {
		name    string
		token   string
		unknown bool
	}{
		{"01234567890_12345678901_201301_PDO_20130218060523_1DP0001_R.txt", "", false},
		{"01234567890_12345678901_201301_PDO_20130218060523.xml", "", false},
		{"", "", false},
		{"0123456789-_12345678901_201301_PDO_20130218060523_1DP0001_R.xml", "0123456789-", false},
		{"01234567890_12345678901234567_201301_PDO_20130218060523_1DP0001_R.xml", "12345678901234567", false},
		{"01234567890_12345678901_201313_PDO_20130218060523_1DP0001_R.xml", "201313", false},
		{"01234567890_12345678901_2013011_PDO_20130218060523_1DP0001_R.xml", "2013011", false},
		{"01234567890_12345678901_20130230_PDO_20130218060523_1DP0001_R.xml", "20130230", false},
		{"01234567890_12345678901_201301_PNO3G_20130218060523_1DP0001_R.xml", "PNO3G", true},
		{"01234567890_12345678901_201301_pno_20130218060523_1DP0001_R.xml", "pno", true},
		{"01234567890_12345678901_201301_XPNO2G_20130218060523_1DP0001_R.xml", "XPNO2G", true},
		{"01234567890_12345678901_201301_PDO_2013021806052_1DP0001_R.xml", "2013021806052", false},
		{"01234567890_12345678901_201301_PDO_20130218250523_1DP0001_R.xml", "20130218250523", false},
		{"01234567890_12345678901_201301_PDO_20130229060523_1DP0001_R.xml", "20130229060523", false},
		{"01234567890_12345678901_201301_PDO_20130218060523_DP0001_R.xml", "DP0001", false},
		{"01234567890_12345678901_201301_PDO_20130218060523_1_R.xml", "1", false},
		{"01234567890_12345678901_201301_PDO_20130218060523_1DP00001_R.xml", "1DP00001", false},
		{"01234567890_12345678901_201301_PDO_20130218060523_1DP0001_X.xml", "X", false},
		{"01234567890_12345678901_201301_PDO_20130218060523_1DP0001_OK_R.xml", "R", false},
		{"01234567890_12345678901_201301_PDO_20130218060523_1DP0001_R_v2.xml", "v2", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseFileName(tt.name)
			require.Error(t, err)
			var fe *FileNameError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.name, fe.Name)
			assert.Equal(t, tt.token, fe.Token)
			assert.ErrorIs(t, err, ErrFileName)
			assert.Equal(t, tt.unknown, errors.Is(err, ErrUnknownFlow))
		})
	}
}

func TestParseFileNameDefects(t *testing.T) {
	got, err := ParseFileName("_01234567890_12345678901__201301_PDO_20130218060523_1DP0001_R_.xml")
	require.NoError(t, err)
	assert.Equal(t, []string{DefectDoubledUnderscore, DefectEdgeUnderscore}, got.Defects)
	assert.Equal(t, "01234567890_12345678901_201301_PDO_20130218060523_1DP0001_R.xml", got.String())
}

func TestFileNameTime(t *testing.T) {
	got, err := ParseFileName("01234567890_12345678901_201301_PDO_20130718060523_1DP0001_R.xml")
	require.NoError(t, err)
	tm, err := got.Time()
	require.NoError(t, err)
	assert.Equal(t, "2013-07-18T06:05:23+02:00", tm.Format(time.RFC3339))
}

// TestParseFileNameSamples parses the name of every official and legacy
// sample and checks that the canonical form parses back to the same value.
func TestParseFileNameSamples(t *testing.T) {
	root := testref.Flows(t)
	var names []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".xml") {
			names = append(names, path)
		}
		return err
	})
	require.NoError(t, err)
	require.NotEmpty(t, names)
	for _, path := range names {
		t.Run(filepath.Base(path), func(t *testing.T) {
			got, err := ParseFileName(path)
			require.NoError(t, err)
			again, err := ParseFileName(got.String())
			require.NoError(t, err)
			assert.Empty(t, cmp.Diff(got, again, cmpopts.IgnoreFields(FileName{}, "Defects")))
			assert.Equal(t, strings.Contains(filepath.Base(path), "__"), len(got.Defects) > 0)
		})
	}
}

func FuzzParseFileName(f *testing.F) {
	seeds := []string{
		"01234567890_12345678901_201301_PDO_20130218060523_1DP0001_R.xml",
		"01234567890_12345678901_201803_RNV2G__20181115060501_1DP0001_R.xml",
		"05779711000_13181080154_20180102_PDO_20180103111543_1DP0058_2G.xml",
		"05779711000_13181080154_201901_PDO2G_20190203111543_12DP0058_v2_2G.zip",
		"01234567890_12345678901_202002_F2G_20191103101533_1DP0234_OK.xml",
		"a/b.zip!01234567890_12345678901_201301_PNO2G_20130218060523_1DP0001_NR.XML",
		"_x__y_.xml",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if len(name) > 512 {
			return
		}
		got, err := ParseFileName(name)
		if err != nil {
			var fe *FileNameError
			if !errors.As(err, &fe) || !errors.Is(err, ErrFileName) {
				t.Fatalf("error %v is not a *FileNameError wrapping ErrFileName", err)
			}
			return
		}
		again, err := ParseFileName(got.String())
		if err != nil {
			t.Fatalf("canonical name %q of %q does not parse: %v", got.String(), name, err)
		}
		if diff := cmp.Diff(got, again, cmpopts.IgnoreFields(FileName{}, "Defects")); diff != "" {
			t.Fatalf("canonical name %q parses differently (-first +second):\n%s", got.String(), diff)
		}
		if len(again.Defects) != 0 {
			t.Fatalf("canonical name %q has defects %v", got.String(), again.Defects)
		}
	})
}

func ExampleParseFileName() {
	f, err := ParseFileName("01234567890_12345678901_201803_RNV2G__20181115060501_1DP0001_R.xml")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f.FlowCode, f.Flow.Family, f.Month, f.DispatchingContract, f.MeterState)
	fmt.Println(f.Defects)
	fmt.Println(f)
	// Output:
	// RNV2G correction 2018-03 DP0001 R
	// [doubled underscore between tokens]
	// 01234567890_12345678901_201803_RNV2G_20181115060501_1DP0001_R.xml
}
