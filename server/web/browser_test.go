package web_test

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows/flowgen"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/internal/testref"
	"github.com/bludispatcher/dispatcher/server"
	"github.com/bludispatcher/dispatcher/server/config"
)

// chromiumPath is where Debian's chromium package installs the browser.
const chromiumPath = "/usr/bin/chromium"

// sampleFile is an official PNO2G sample whose POD has a quarter-hour
// curve on sampleDay.
const (
	sampleFile = "01234567890_12345678901_201302_PNO2G_20130304101533_1DP0001_R.xml"
	samplePOD  = "IT999E00000003"
	sampleDay  = "2013-02-02"
)

// findChromium returns the browser path, skipping the test when it is
// missing, or failing it when CI=true.
func findChromium(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath(chromiumPath)
	if err == nil {
		return path
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("chromium not found at %s (CI=true): install Debian's chromium package", chromiumPath)
	}
	t.Skipf("chromium not found at %s: install Debian's chromium package to run the browser tests", chromiumPath)
	return ""
}

// startServer runs the reference server in-process on a temp SQLite store
// with one company whose inbox holds files, loads them, and returns the
// base URL.
func startServer(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	inbox := filepath.Join(dir, "inbox")
	require.NoError(t, os.MkdirAll(inbox, 0o755))
	for name, data := range files {
		require.NoError(t, os.WriteFile(filepath.Join(inbox, name), data, 0o644))
	}

	cfg := config.Default()
	cfg.Listen = "127.0.0.1:0"
	cfg.Store = "sqlite:" + filepath.Join(dir, "web.db")
	cfg.PollInterval = config.Duration(time.Hour)
	cfg.Settle = config.Duration(10 * time.Millisecond)
	cfg.Flows.DisabledRules = []string{"R14"}
	cfg.Flows.AcceptPDO2GNotRegime = true
	cfg.Companies = []config.Company{{
		ID: "acme", Name: "Acme Energia",
		Inboxes: map[string][]string{config.KindFlows: {inbox}},
		Archive: filepath.Join(dir, "archive"),
		Tokens:  []string{tokenAcme},
	}}

	st, acme, _ := newStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := server.New(ctx, cfg, st, testLogger(t))
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			assert.NoError(t, err)
		case <-time.After(30 * time.Second):
			t.Error("server did not stop within 30s")
		}
	})

	rep, err := srv.ScanNow(ctx, acme.ID)
	require.NoError(t, err)
	require.Equal(t, len(files), rep.Loaded, "%+v", rep.Files)
	return "http://" + ln.Addr().String()
}

// generatedFile returns a generated PDO file of month and its name.
func generatedFile(t *testing.T, month civil.Month) (string, []byte) {
	t.Helper()
	paths := generate(t, t.TempDir(), flowgen.Options{FlowCode: "PDO", Seed: 1, PODs: 1, Month: month})
	data, err := os.ReadFile(paths[0])
	require.NoError(t, err)
	return filepath.Base(paths[0]), data
}

// browser starts headless Chromium with a fresh profile.
func browser(t *testing.T, path string) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests run as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// Containers often mount a small /dev/shm, which crashes renderers.
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	return ctx
}

// countPoints is the number of points of every plotted series.
const countPoints = `Array.from(document.querySelectorAll('svg.curve polyline.series')).reduce((n, p) => n + p.points.numberOfItems, 0)`

func TestBrowserCurve(t *testing.T) {
	chromium := findChromium(t)
	sample, err := os.ReadFile(filepath.Join(testref.Flows(t, "sii-standard-tracciati-misure-v1.8", "esempi"), sampleFile))
	require.NoError(t, err)
	springName, spring := generatedFile(t, civil.Month{Year: 2025, Month: 3})
	autumnName, autumn := generatedFile(t, civil.Month{Year: 2025, Month: 10})
	base := startServer(t, map[string][]byte{sampleFile: sample, springName: spring, autumnName: autumn})
	ctx := browser(t, chromium)

	// Log in, search the sample's POD and open its curve tab by clicking.
	podLink := chromedp.CSS(`a[href="/pods/` + samplePOD + `"]`)
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/loads"),
		chromedp.WaitVisible(chromedp.ID("token")),
		chromedp.SendKeys(chromedp.ID("token"), tokenAcme),
		chromedp.Submit(chromedp.ID("token")),
		chromedp.WaitVisible(chromedp.CSS("table.loads")),
		chromedp.Navigate(base+"/search"),
		chromedp.WaitVisible(chromedp.CSS("input[name=pod]")),
		chromedp.SendKeys(chromedp.CSS("input[name=pod]"), samplePOD),
		chromedp.Submit(chromedp.CSS("input[name=pod]")),
		chromedp.WaitVisible(podLink),
		chromedp.Click(podLink),
		chromedp.WaitVisible(chromedp.CSS("nav.tabs")),
		chromedp.Click(chromedp.CSS(`nav.tabs a[href$="tab=curve"]`)),
		chromedp.WaitVisible(chromedp.CSS("svg.curve")),
		chromedp.SetValue(chromedp.CSS("input[name=date]"), sampleDay),
		chromedp.Submit(chromedp.CSS("input[name=date]")),
		chromedp.WaitVisible(chromedp.CSS("table.quarters")),
	)
	require.NoError(t, err)
	points, err := chromedp.Run(ctx, chromedp.Evaluate[int](countPoints))
	require.NoError(t, err)
	assert.Equal(t, 96, points, "the sample's normal day")

	// The generated POD on its clock-change days.
	for _, tt := range []struct {
		day  string
		want int
	}{
		{"2025-03-30", 92},
		{"2025-10-26", 100},
		{"2025-10-27", 96},
	} {
		err := chromedp.Do(ctx,
			chromedp.Navigate(base+"/pods/"+genPOD+"?tab=curve&view=day&date="+tt.day),
			chromedp.WaitVisible(chromedp.CSS("svg.curve")),
		)
		require.NoError(t, err, tt.day)
		got, err := chromedp.Run(ctx, chromedp.Evaluate[int](countPoints))
		require.NoError(t, err, tt.day)
		assert.Equal(t, tt.want, got, tt.day)
		screenshot(t, ctx, "curve-"+tt.day+".png")
	}
}

// screenshot saves the whole page as a PNG into the test's temp folder,
// and also into WEB_SCREENSHOT_DIR when that variable is set.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	// Quality 100 makes chromedp capture PNG instead of JPEG.
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, shot, 0o644))
	if dir := os.Getenv("WEB_SCREENSHOT_DIR"); dir != "" {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), shot, 0o644))
	}
	t.Logf("screenshot: %s (%d bytes)", path, len(shot))
}

func TestServerMountsPagesBesideAPI(t *testing.T) {
	name, data := generatedFile(t, civil.Month{Year: 2025, Month: 3})
	base := startServer(t, map[string][]byte{name: data})
	c := newClient(t, base)

	assert.Equal(t, http.StatusOK, c.get("/login").status)
	assert.Equal(t, http.StatusSeeOther, c.get("/").status)
	assert.Equal(t, http.StatusOK, c.get("/healthz").status)
	assert.Equal(t, http.StatusUnauthorized, c.get("/api/v1/loads").status, "the API keeps its bearer tokens")
	assert.Equal(t, http.StatusNotFound, c.get("/api/v1/nothing").status)

	c.login(tokenAcme)
	resp := c.get("/loads")
	assert.Equal(t, http.StatusOK, resp.status)
	assert.Contains(t, resp.body, name)
}
