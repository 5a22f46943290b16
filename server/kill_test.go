package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/server/config"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/sqlite"
)

// childEnv, when set to a configuration file, makes the test binary run
// the server with that configuration instead of the tests, so a test can
// kill a real server process.
const childEnv = "DISPATCHER_TEST_SERVER_CONFIG"

func TestMain(m *testing.M) {
	if path := os.Getenv(childEnv); path != "" {
		os.Exit(runChild(path))
	}
	os.Exit(m.Run())
}

// runChild runs the server of the configuration file at path with a JSON
// log on standard error until SIGTERM.
func runChild(path string) int {
	cfg, err := config.Load(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	log, err := NewLogger(os.Stderr, "json", "info")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	_, dbPath, err := config.ParseStore(cfg.Store)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	st, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer st.Close()

	srv, err := New(ctx, cfg, st, log)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := srv.Run(ctx, nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// child is a server process started by startChild.
type child struct {
	cmd    *exec.Cmd
	events chan map[string]any
}

// startChild runs the test binary as a server with the configuration file
// at path. Its JSON log lines arrive on events.
func startChild(t *testing.T, path string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+path)
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	c := &child{cmd: cmd, events: make(chan map[string]any, 1024)}
	go func() {
		defer close(c.events)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var ev map[string]any
			if json.Unmarshal(sc.Bytes(), &ev) != nil {
				t.Logf("child: %s", sc.Text())
				continue
			}
			select {
			case c.events <- ev:
			default: // drop events when the buffer is full and no test reads
			}
		}
		io.Copy(io.Discard, stderr)
	}()
	t.Cleanup(func() {
		if c.cmd.ProcessState == nil {
			c.cmd.Process.Kill()
			c.cmd.Wait()
		}
	})
	return c
}

// waitFor returns the first log event with message msg whose path ends
// with suffix, or fails after timeout.
func (c *child) waitFor(t *testing.T, msg, suffix string, timeout time.Duration) map[string]any {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case ev, ok := <-c.events:
			require.True(t, ok, "the server exited before logging %q", msg)
			path, _ := ev["path"].(string)
			if ev["msg"] == msg && strings.HasSuffix(path, suffix) {
				return ev
			}
			if ev["level"] == "ERROR" {
				t.Logf("child error: %v", ev)
			}
		case <-deadline:
			t.Fatalf("no %q for %s within %v", msg, suffix, timeout)
		}
	}
}

// killedPODs is the size of the generated file of the kill test (about
// 43 MB): large enough that its load lasts long after the write-ahead log
// passes killWALBytes, when the test kills the server.
const (
	killedPODs   = 600
	killWALBytes = 8 << 20
)

func TestKillDuringLoadLeavesNoPartialData(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills server processes")
	}
	dir := t.TempDir()
	cfg := testConfig(dir)
	cfg.Companies = cfg.Companies[:1]
	cfg.PollInterval = config.Duration(200 * time.Millisecond)
	cfg.ClaimTTL = config.Duration(3 * time.Second)
	inbox := cfg.Companies[0].Inboxes[config.KindFlows][0]
	cfgPath := filepath.Join(dir, "config.json")
	data, err := json.Marshal(cfg)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(cfgPath, data, 0o644))

	require.NoError(t, os.MkdirAll(filepath.Join(inbox, "2013", "01"), 0o755))
	big := filepath.Join(inbox, "2013", "01", bigFlowName)
	f, err := os.Create(big)
	require.NoError(t, err)
	require.NoError(t, writeHourlyFlow(f, killedPODs))
	require.NoError(t, f.Close())
	sum, err := sha256File(big)
	require.NoError(t, err)

	first := startChild(t, cfgPath)
	first.waitFor(t, "file load started", bigFlowName, 30*time.Second)
	// The transaction has written records once the write-ahead log grows
	// past what the original and the first pages need.
	wal := filepath.Join(dir, "dispatcher.db-wal")
	require.Eventually(t, func() bool {
		fi, err := os.Stat(wal)
		return err == nil && fi.Size() > killWALBytes
	}, 60*time.Second, 2*time.Millisecond, "the load never grew the write-ahead log past %d bytes", killWALBytes)
	require.NoError(t, first.cmd.Process.Signal(syscall.SIGKILL))
	_ = first.cmd.Wait()

	_, dbPath, _ := config.ParseStore(cfg.Store)
	countAfterKill := func() (loads, records int) {
		st, err := sqlite.Open(context.Background(), dbPath)
		require.NoError(t, err)
		defer st.Close()
		co, err := st.CompanyByCode(context.Background(), "acme")
		require.NoError(t, err)
		_, loads, err = st.ListLoads(context.Background(), store.LoadFilter{Company: co.ID, SHA256: sum})
		require.NoError(t, err)
		_, records, err = st.SearchRecords(context.Background(), store.RecordFilter{Company: co.ID, Month: mustMonth(t, "01/2013")})
		require.NoError(t, err)
		return loads, records
	}
	loads, records := countAfterKill()
	require.Zero(t, loads, "the kill came after the commit: raise killedPODs so the load lasts longer")
	assert.Zero(t, records, "no partial data after the kill")
	assert.FileExists(t, big, "the file stays in the inbox")

	second := startChild(t, cfgPath)
	committed := second.waitFor(t, "load committed", bigFlowName, 90*time.Second)
	assert.Equal(t, "loaded", committed["status"])
	require.NoError(t, second.cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, second.cmd.Wait())

	loads, records = countAfterKill()
	assert.Equal(t, 1, loads, "one load of the file, no duplicate")
	assert.Equal(t, killedPODs, records, "every record once")
	assert.NoFileExists(t, big, "moved to the archive after the commit")
}
