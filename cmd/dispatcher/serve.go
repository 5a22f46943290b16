package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/bludispatcher/dispatcher/server"
	"github.com/bludispatcher/dispatcher/server/config"
)

func init() {
	commands["serve"] = command{
		summary: "run the reference server: load the inboxes, serve the API, SOAP and web pages",
		run:     runServe,
	}
}

// serverFlags are the flags shared by serve and load: the configuration
// file and the values that override it.
type serverFlags struct {
	configPath string
	override   config.Override
}

func (f *serverFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.configPath, "config", "", "configuration `file` (JSON; see examples/config.json); env "+config.EnvConfig)
	fs.StringVar(&f.override.Listen, "listen", "", "listen `address` host:port of the API, SOAP and web pages (default "+config.DefaultListen+"); env "+config.EnvListen)
	fs.StringVar(&f.override.Store, "store", "", "store `DSN`: sqlite:PATH or a postgres:// URL (default "+config.DefaultStore+"); env "+config.EnvStore)
	fs.StringVar(&f.override.LogFormat, "log-format", "", "log `format`: text or json (default text); env "+config.EnvLogFormat)
	fs.StringVar(&f.override.LogLevel, "log-level", "", "log `level`: debug, info, warn or error (default info); env "+config.EnvLogLevel)
	fs.DurationVar(&f.override.PollInterval, "poll", 0, "time between two scans of each inbox (default 30s); env "+config.EnvPoll)
	fs.StringVar(&f.override.Inbox, "inbox", "", "metering-flow inbox `folder` of the only company (default ./inbox); env "+config.EnvInbox)
	fs.StringVar(&f.override.Archive, "archive", "", "archive `folder` of the only company (default ./archive); env "+config.EnvArchive)
	fs.StringVar(&f.override.Token, "token", "", "API bearer `token` of the only company; env "+config.EnvToken)
}

// load builds the configuration: defaults, then the file, then the
// environment, then the flags.
func (f *serverFlags) load(getenv func(string) string) (config.Config, error) {
	cfg := config.Default()
	path := f.configPath
	if path == "" {
		path = getenv(config.EnvConfig)
	}
	if path != "" {
		var err error
		if cfg, err = config.Load(path); err != nil {
			return config.Config{}, err
		}
	}
	env, err := config.FromEnv(getenv)
	if err != nil {
		return config.Config{}, err
	}
	if err := cfg.Apply(env); err != nil {
		return config.Config{}, err
	}
	if err := cfg.Apply(f.override); err != nil {
		return config.Config{}, err
	}
	return cfg, nil
}

func runServe(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dispatcher serve [flags]")
		fmt.Fprintln(stderr, "")
		fmt.Fprintln(stderr, "Scans the inboxes of every configured company and loads their files. On one")
		fmt.Fprintln(stderr, "listener it serves the JSON API at /api/v1, the SOAP services at "+server.SOAPPath)
		fmt.Fprintln(stderr, "(WSDL at "+server.SOAPPath+"?wsdl) and the operators' web pages at /, until")
		fmt.Fprintln(stderr, "interrupted. Without -config it runs on the defaults: SQLite at")
		fmt.Fprintln(stderr, "./dispatcher.db, one company, inbox ./inbox, archive ./archive.")
		fmt.Fprintln(stderr, "")
		fs.PrintDefaults()
	}
	var flags serverFlags
	flags.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "dispatcher serve: unexpected argument %q; run \"dispatcher serve -h\"\n", fs.Arg(0))
		return 2
	}
	cfg, err := flags.load(os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher serve: %v\n", err)
		return 2
	}
	log, err := server.NewLogger(stderr, cfg.Log.Format, cfg.Log.Level)
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher serve: %v\n", err)
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, cfg, log); err != nil {
		log.Error("server failed", "error", err)
		return 1
	}
	return 0
}

// serve opens the store, runs the server until ctx ends and closes the store.
func serve(ctx context.Context, cfg config.Config, log *slog.Logger) error {
	openCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	st, err := openStore(openCtx, cfg.Store)
	if err != nil {
		return err
	}
	defer st.Close()
	srv, err := server.New(openCtx, cfg, st, log)
	if err != nil {
		return err
	}
	return srv.Run(ctx, nil)
}
