package storetest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/store"
)

// CrashChildEnv, when set, makes the crash test run as the child process
// that loads until it is killed.
const CrashChildEnv = "STORETEST_CRASH_CHILD"

// crashCompanyEnv passes the company ID to the child.
const crashCompanyEnv = "STORETEST_CRASH_COMPANY"

const (
	// crashKillAfter is how many records the child adds before the parent
	// kills it; at 31 curve rows per record, several bulk inserts have run.
	crashKillAfter = 300
	crashPath      = "inbox/big/IT001_PDO_202601.xml"
	crashSeed      = 4242
	crashClaimTTL  = time.Second
	crashTimeout   = 2 * time.Minute
	progressPrefix = "STORETEST LOADING "
)

// CrashConfig describes one backend to the crash test.
type CrashConfig struct {
	// TestName is the name of the test function that calls Crash; the
	// child process runs it again with CrashChildEnv set.
	TestName string
	// Env is added to the child's environment, so its Open finds the same
	// database.
	Env []string
	// Open opens the store; in the child it runs with Env set.
	Open func(t *testing.T) store.Store
}

// IsCrashChild reports whether this process is the child of a crash test.
func IsCrashChild() bool { return os.Getenv(CrashChildEnv) != "" }

// Crash kills a process with SIGKILL in the middle of a large load and
// checks that nothing of that load remains and that the file loads again.
// The calling test must call CrashChild instead when IsCrashChild is true.
func Crash(t *testing.T, cfg CrashConfig) {
	s := cfg.Open(t)
	ctx := ctxT(t)
	co := company(t, s, "crash")
	require.NoError(t, s.Close())

	cctx, cancel := context.WithTimeout(ctx, crashTimeout)
	defer cancel()
	cmd := exec.CommandContext(cctx, os.Args[0], "-test.run=^"+cfg.TestName+"$", "-test.count=1")
	cmd.Env = append(append(os.Environ(), CrashChildEnv+"=1",
		fmt.Sprintf("%s=%d", crashCompanyEnv, co)), cfg.Env...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	added := waitProgress(out, crashKillAfter)
	require.NoError(t, cmd.Process.Kill(), "SIGKILL the child")
	_ = cmd.Wait()
	require.GreaterOrEqual(t, added, crashKillAfter, "the child stopped before it was killed")

	s = cfg.Open(t)
	defer s.Close()
	loads, n, err := s.ListLoads(ctx, store.LoadFilter{Company: co})
	require.NoError(t, err)
	assert.Zero(t, n, "no load entry of the killed load: %v", loads)
	_, n, err = s.SearchRecords(ctx, store.RecordFilter{Company: co})
	require.NoError(t, err)
	assert.Zero(t, n, "no record of the killed load")
	days, err := s.Curve(ctx, co, POD(0), store.DateRange{}, false)
	require.NoError(t, err)
	assert.Empty(t, days)

	// The crashed instance's claim expires and the file loads again, in
	// full and not as a duplicate.
	data, sum := Original(crashSeed, 1<<20)
	time.Sleep(crashClaimTTL)
	c, err := s.Claim(ctx, claimReq(co, crashPath, sum, "restarted", time.Minute))
	require.NoError(t, err)
	in := info(co, "IT001_PDO_202601.xml", data)
	in.Claim = &c
	tx, err := s.BeginLoad(ctx, in)
	require.NoError(t, err)
	for i := range 20 {
		_, err := tx.AddRecord(ctx, Header("PDO"), HourlyRecord(POD(i), jan2026, i), nil)
		require.NoError(t, err)
	}
	l, err := tx.Commit(ctx)
	require.NoError(t, err)
	assert.Equal(t, store.StatusLoaded, l.Status)
	assert.Equal(t, 20, l.RecordsLoaded)
	_, n, err = s.SearchRecords(ctx, store.RecordFilter{Company: co})
	require.NoError(t, err)
	assert.Equal(t, 20, n)
}

// waitProgress reads the child's progress lines until it reports at least
// want records, and returns the last count seen.
func waitProgress(out interface{ Read([]byte) (int, error) }, want int) int {
	sc := bufio.NewScanner(out)
	last := 0
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, progressPrefix) {
			continue
		}
		n, err := strconv.Atoi(strings.TrimPrefix(line, progressPrefix))
		if err == nil {
			last = n
		}
		if last >= want {
			break
		}
	}
	return last
}

// CrashChild claims the file, begins its load and adds records until the
// process is killed; it never commits.
func CrashChild(t *testing.T, open func(t *testing.T) store.Store) {
	co, err := strconv.ParseInt(os.Getenv(crashCompanyEnv), 10, 64)
	require.NoError(t, err)
	ctx := context.Background()
	s := open(t)
	data, sum := Original(crashSeed, 1<<20)
	c, err := s.Claim(ctx, claimReq(store.CompanyID(co), crashPath, sum, "doomed", crashClaimTTL))
	require.NoError(t, err)
	in := info(store.CompanyID(co), "IT001_PDO_202601.xml", data)
	in.Claim = &c
	tx, err := s.BeginLoad(ctx, in)
	require.NoError(t, err)
	deadline := time.Now().Add(crashTimeout)
	for i := 0; time.Now().Before(deadline); i++ {
		_, err := tx.AddRecord(ctx, Header("PDO"), HourlyRecord(POD(i), jan2026, i), nil)
		require.NoError(t, err)
		if (i+1)%50 == 0 {
			if _, err := fmt.Printf("%s%d\n", progressPrefix, i+1); err != nil {
				return
			}
		}
	}
	t.Fatal("crash child was not killed in time")
}
