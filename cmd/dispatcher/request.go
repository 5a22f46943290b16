package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/bludispatcher/dispatcher/distributor"
	"github.com/bludispatcher/dispatcher/internal/civil"
)

func init() {
	commands["request"] = command{
		summary: "write a request to a distributor (activation, deactivation, …) as the distributor's file",
		run:     runRequest,
	}
}

// requestFlags are the flags of the request command.
type requestFlags struct {
	profile     string
	profileFile string
	out         string
	seq         int64
	day         string
	check       bool
	list        bool
}

func runRequest(args []string, stdout, stderr io.Writer) int {
	f, fs, code := parseRequestFlags(args, stderr)
	if code >= 0 {
		return code
	}
	if f.list {
		listProfiles(stdout)
		return 0
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "dispatcher request: missing request file; pass one or more REQUEST.json")
		return 2
	}

	p, err := requestProfile(f)
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher request: %v\n", err)
		return 2
	}
	opts := distributor.FileOptions{Seq: f.seq}
	if f.day != "" {
		if opts.Day, err = civil.ParseISODate(f.day); err != nil {
			fmt.Fprintf(stderr, "dispatcher request: -date: %v\n", err)
			return 2
		}
	}

	reqs, code := readRequests(fs.Args(), stderr)
	if code != 0 {
		return code
	}
	if f.check {
		return checkRequests(p, reqs, fs.Args(), stdout)
	}
	return writeRequests(p, reqs, opts, f.out, stdout, stderr)
}

// parseRequestFlags parses the flags. It returns an exit code of 0 or more
// when the command must stop (help or a bad flag), and -1 to go on.
func parseRequestFlags(args []string, stderr io.Writer) (requestFlags, *flag.FlagSet, int) {
	var f requestFlags
	fs := flag.NewFlagSet("request", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.profile, "profile", "", "ID of a shipped distributor profile (see -list)")
	fs.StringVar(&f.profileFile, "profile-file", "", "JSON file of a distributor profile, instead of -profile")
	fs.StringVar(&f.out, "out", ".", "outbox folder; the file goes into the profile's delivery folder below it")
	fs.Int64Var(&f.seq, "seq", 1, "progressive number of the first upload, used in the file name; each further file takes the next one")
	fs.StringVar(&f.day, "date", "", "upload day yyyy-mm-dd for the file name (default: today in Europe/Rome)")
	fs.BoolVar(&f.check, "check", false, "validate the requests and list the anomalies without writing files")
	fs.BoolVar(&f.list, "list", false, "list the shipped profiles and the services they accept, then exit")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: dispatcher request -profile ID [flags] REQUEST.json...")
		fmt.Fprintln(stderr, "Validates requests given as JSON (the distributor.Request form) and writes them")
		fmt.Fprintln(stderr, "as the distributor's files: one XML file per request, or one CSV file for the")
		fmt.Fprintln(stderr, "requests of one service. Prints the path of each file written.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return f, fs, 0
		}
		return f, fs, 2
	}
	return f, fs, -1
}

func requestProfile(f requestFlags) (*distributor.Profile, error) {
	switch {
	case f.profile != "" && f.profileFile != "":
		return nil, errors.New("-profile and -profile-file exclude each other: pass one")
	case f.profileFile != "":
		file, err := os.Open(f.profileFile)
		if err != nil {
			return nil, err
		}
		defer file.Close()
		p, err := distributor.LoadProfile(file)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.profileFile, err)
		}
		return p, nil
	case f.profile != "":
		p, ok := distributor.ShippedProfile(f.profile)
		if !ok {
			return nil, fmt.Errorf("unknown profile %q: run \"dispatcher request -list\" for the shipped ones, or pass -profile-file", f.profile)
		}
		return p, nil
	}
	return nil, errors.New("missing profile: pass -profile ID or -profile-file FILE")
}

func listProfiles(w io.Writer) {
	var standard []string
	for _, s := range distributor.StandardServices() {
		standard = append(standard, s.Code)
	}
	fmt.Fprintf(w, "standard services: %s\n", strings.Join(standard, " "))
	for _, p := range distributor.ShippedProfiles() {
		var own []string
		for _, s := range p.Services {
			own = append(own, s.Code+" ("+s.Name+")")
		}
		verified := "unverified"
		if p.Verified {
			verified = "verified"
		}
		fmt.Fprintf(w, "%s: %s, %s, %s; own services: %s\n", p.ID, p.Name, p.Format, verified, strings.Join(own, ", "))
	}
}

// readRequests reads one JSON request per file.
func readRequests(paths []string, stderr io.Writer) ([]*distributor.Request, int) {
	var reqs []*distributor.Request
	for _, path := range paths {
		file, err := os.Open(path)
		if err != nil {
			fmt.Fprintf(stderr, "dispatcher request: %v\n", err)
			return nil, 1
		}
		r, err := distributor.DecodeRequestJSON(file)
		file.Close()
		if err != nil {
			fmt.Fprintf(stderr, "dispatcher request: %s: %v\n", path, err)
			return nil, 1
		}
		reqs = append(reqs, r)
	}
	return reqs, 0
}

// checkRequests prints every anomaly and returns 1 when any blocks.
func checkRequests(p *distributor.Profile, reqs []*distributor.Request, paths []string, stdout io.Writer) int {
	code := 0
	for i, r := range reqs {
		as := distributor.Validate(r, distributor.ValidateOptions{Profile: p, File: filepath.Base(paths[i])})
		for _, a := range as {
			fmt.Fprintln(stdout, a)
		}
		if as.HasBlocking() {
			code = 1
		}
	}
	return code
}
