package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/bludispatcher/dispatcher/accise"
)

func init() {
	acciseSubcommands["dic"] = runAcciseDic
}

// runAcciseDic converts a legacy .dic declaration into the XML frames, so an
// older declaration can be compared with a new one.
func runAcciseDic(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("accise dic", flag.ContinueOnError)
	outDir := fs.String("out", ".", "folder to write the XML files into")
	gasMarker := fs.String("gas-marker", "", "six-character file marker of gas .dic files, which no public source gives")
	if !parseAcciseFlags(fs, args, stderr, "usage: dispatcher accise dic [-out DIR] [-gas-marker M] FILE.dic\nConverts a legacy .dic declaration to XML and prints the path of each file.") {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "dispatcher accise dic: want exactly one .dic file")
		return 2
	}
	records, bad, err := acciseReadDic(fs.Arg(0), *gasMarker, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "dispatcher accise dic: %v\n", err)
		return 1
	}

	ee, rest := accise.ElectricityFromDic(records)
	gn, rest := accise.GasFromDic(rest)
	if acciseGasMissesCodCat(gn) {
		fmt.Fprintln(stderr, "gas frames F and G: the .dic records 31 and 32 carry no cadastral code, so their CodCat is empty and the XML fails the schema until it is filled in")
	}
	for _, r := range rest {
		fmt.Fprintf(stderr, "record %s of %s not converted: its frame is not modelled\n", r.Type, r.Commodity)
	}
	base := strings.TrimSuffix(filepath.Base(fs.Arg(0)), filepath.Ext(fs.Arg(0)))
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		fmt.Fprintf(stderr, "dispatcher accise dic: %v\n", err)
		return 1
	}
	for _, out := range []struct {
		suffix string
		decl   any
		used   bool
	}{{"_EE.xml", ee, ee.Year != 0}, {"_GN.xml", gn, gn.Year != 0}} {
		if !out.used {
			continue
		}
		path := filepath.Join(*outDir, base+out.suffix)
		if err := acciseWithOutput(path, nil, func(w io.Writer) error { return accise.WriteXML(w, out.decl) }); err != nil {
			fmt.Fprintf(stderr, "dispatcher accise dic: %v\n", err)
			return 1
		}
		fmt.Fprintln(stdout, path)
	}
	if bad > 0 {
		return 1
	}
	return 0
}

// acciseReadDic reads every record of a .dic file. Records that cannot be read
// are printed on stderr and counted; reading goes on after them.
func acciseReadDic(name, gasMarker string, stderr io.Writer) ([]accise.DicRecord, int, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	r := accise.NewDicReader(f, nil)
	if gasMarker != "" {
		r.SetMarker(accise.Gas, gasMarker)
	}
	var records []accise.DicRecord
	bad := 0
	for {
		rec, err := r.Read()
		var de *accise.DicError
		switch {
		case errors.Is(err, io.EOF):
			return records, bad, nil
		case errors.As(err, &de):
			fmt.Fprintf(stderr, "%s: %v\n", filepath.Base(name), err)
			bad++
		case err != nil:
			return nil, bad, err
		default:
			records = append(records, rec)
		}
	}
}

// acciseGasMissesCodCat reports whether a gas declaration read from a .dic
// file has a frame F or G without its cadastral code.
func acciseGasMissesCodCat(d *accise.GasDeclaration) bool {
	for _, frames := range [][]accise.GasBilledFrame{d.F, d.G} {
		for _, f := range frames {
			if f.Municipality == "" {
				return true
			}
		}
	}
	return false
}
