package ingest

import (
	"bufio"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bludispatcher/dispatcher/internal/anomaly"
	"github.com/bludispatcher/dispatcher/reseller"
	"github.com/bludispatcher/dispatcher/server/store"
)

// KindGroup is the kind of a group inbox, whose files are split among the
// companies of the group.
const KindGroup = "group"

// Anomaly codes of the group loader.
const (
	// CodeGroupSplit: the file could not be split, so no part was made.
	CodeGroupSplit = "GROUP-SPLIT"
	// CodeGroupUnassigned: no routing rule sends a record to a company.
	CodeGroupUnassigned = "GROUP-UNASSIGNED"
	// CodeGroupNote: a remark of the split about one record.
	CodeGroupNote = "GROUP-NOTE"
	// CodeGroupNoInbox: the company has no inbox of the part's kind, so
	// the part goes to the group's unassigned folder.
	CodeGroupNoInbox = "GROUP-NO-INBOX"
	// CodeGroupUnknownKind: the file, or zip entry, is of no kind the
	// group splits. A file is copied whole to the unassigned folder, and a
	// zip entry is left in its zip, whose original the load log keeps.
	CodeGroupUnknownKind = "GROUP-UNKNOWN-KIND"
)

// manifestName is the file of a staging folder that lists its parts.
const manifestName = "manifest.json"

// GroupRoute is the routing and the folders of one group.
type GroupRoute struct {
	// Router routes records to the group's companies.
	Router *reseller.Router
	// Staging is the folder that parts wait in, one subfolder per group
	// document named by its SHA-256, until the group load commits.
	Staging string
	// Unassigned is the folder that parts of unrouted records, and parts
	// of companies without an inbox of their kind, move to.
	Unassigned string
	// Inboxes maps a company id and a part kind to the inbox its parts
	// move to.
	Inboxes map[string]map[reseller.Kind]string
}

// GroupLoader splits the files of group inboxes with package reseller:
// metering flows by POD, RCU extracts by commercial counterparty, GME
// files copied to every company, also as entries of zips and of zips in
// zips. A file of another kind is copied to the unassigned folder with a
// warning, and a zip entry of another kind is named in a warning and not
// extracted. It writes the parts to a staging folder named by the
// document's SHA-256. Publish moves them into the company
// inboxes once the group load has committed, where each loads as a file
// of that company. The group load itself stores no records: its log
// entry lists the unassigned records and the split's notes as warnings.
type GroupLoader struct {
	// Groups maps a group's company code to its route.
	Groups map[string]*GroupRoute
	// Flow configures the flow splitter.
	Flow reseller.FlowOptions
	// Now returns the current time (time.Now when nil).
	Now func() time.Time
}

// Kind returns "group".
func (l *GroupLoader) Kind() string { return KindGroup }

// Extensions returns the extensions of flows, RCU extracts and GME files.
func (l *GroupLoader) Extensions() []string { return []string{".xml", ".zip", ".csv", ".txt"} }

// WholeFile reports true for delimited files; XML files and zips go
// through the zip walker, one document per entry.
func (l *GroupLoader) WholeFile(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".txt":
		return true
	}
	return false
}

// SkipEntry reports whether a zip entry is of no kind the group splits,
// and returns the warning that names it (path, size) in the load of the
// zip. Such an entry is not extracted, because a small zip can expand to
// hundreds of megabytes, but it stays in the zip's stored original.
//
// NOTE: a list of file names such as ElencoFile.txt, which some senders
// add beside the flows, gets a warning too, because the flows package
// defines no such index names to leave out quietly.
func (l *GroupLoader) SkipEntry(path, name string, size int64, head []byte) (anomaly.Anomaly, bool) {
	if l.documentKind(name, head) != reseller.KindOther {
		return anomaly.Anomaly{}, false
	}
	declared := "of unknown size"
	if size >= 0 {
		declared = fmt.Sprintf("of %d bytes", size)
	}
	a := groupAnomaly(Document{Name: name}, CodeGroupUnknownKind, anomaly.Warning, anomaly.FileLevel,
		fmt.Sprintf("the zip entry %s, %s, is not a metering flow, an RCU extract (.csv or .txt with a COD_POD column) "+
			"or a GME file, so it is not extracted. It stays in the zip's original, which this load stores", path, declared))
	a.Field = path
	return a, true
}

// manifest lists the parts of one staging folder.
type manifest struct {
	Kind  reseller.Kind  `json:"kind"`
	Parts []manifestPart `json:"parts"`
}

type manifestPart struct {
	Company string `json:"company"`
	Name    string `json:"name"`
	SHA256  string `json:"sha256"`
}

// Load splits one group document into its staging folder and logs the
// records no rule routed.
func (l *GroupLoader) Load(ctx context.Context, company Company, doc Document, tx store.LoadTx) error {
	dt, err := domainTx(tx)
	if err != nil {
		return err
	}
	g := l.Groups[company.Code]
	if g == nil {
		return tx.AddAnomalies(ctx, anomaly.List{groupAnomaly(doc, CodeGroupSplit, anomaly.Blocking, anomaly.FileLevel,
			fmt.Sprintf("%s is not a group: an inbox of kind group belongs in a group of the configuration", company.Code))})
	}

	stage := filepath.Join(g.Staging, l.stageName(doc))
	// A folder of the same bytes is left by a load that rolled back.
	if err := os.RemoveAll(stage); err != nil {
		return err
	}
	report, err := l.split(doc, g, reseller.DirSink{Root: stage})
	if err != nil {
		os.RemoveAll(stage)
		return tx.AddAnomalies(ctx, anomaly.List{groupAnomaly(doc, CodeGroupSplit, anomaly.Blocking, anomaly.FileLevel,
			"the file cannot be split, so no company receives it: "+err.Error())})
	}
	if report.FlowCode != "" {
		dt.SetFlowCode(report.FlowCode)
	} else {
		dt.SetFlowCode(strings.ToUpper(string(report.Kind)))
	}

	list := reportAnomalies(doc, report)
	if report.Kind == reseller.KindOther {
		list = append(list, groupAnomaly(doc, CodeGroupUnknownKind, anomaly.Warning, anomaly.FileLevel,
			"the file is not a metering flow, an RCU extract (.csv or .txt with a COD_POD column) or a GME file, so it is copied to "+g.Unassigned))
	}
	m := manifest{Kind: report.Kind}
	for _, p := range report.Parts {
		m.Parts = append(m.Parts, manifestPart{Company: p.Company, Name: p.Name, SHA256: hex.EncodeToString(p.SHA256[:])})
		if p.Company != reseller.Unassigned && g.Inboxes[p.Company][report.Kind] == "" {
			list = append(list, groupAnomaly(doc, CodeGroupNoInbox, anomaly.Warning, anomaly.FileLevel,
				fmt.Sprintf("company %s has no inbox for %s files: its part goes to %s", p.Company, report.Kind, g.Unassigned)))
		}
	}
	if err := writeManifest(stage, m); err != nil {
		return err
	}
	return tx.AddAnomalies(ctx, list)
}

// split detects the kind of doc (see documentKind) and splits it into
// sink. A file of no known kind goes whole to the unassigned part.
func (l *GroupLoader) split(doc Document, g *GroupRoute, sink reseller.Sink) (*reseller.Report, error) {
	br := bufio.NewReaderSize(doc.Body, EntryHeadLen)
	head, _ := br.Peek(EntryHeadLen)
	switch l.documentKind(doc.Name, head) {
	case reseller.KindRCU:
		day := MonthFromName(doc.Name, l.now()).Last()
		return reseller.SplitRCU(doc.Name, br, g.Router, sink, reseller.RCUOptions{Day: day})
	case reseller.KindGME:
		return reseller.CopyGME(doc.Name, br, g.Router, sink)
	case reseller.KindFlow:
		return reseller.SplitFlow(doc.Name, br, g.Router, sink, l.Flow)
	}
	return reseller.CopyUnassigned(doc.Name, br, sink)
}

// documentKind returns the kind of the file name whose first bytes are
// head, by the rules of reseller.DetectKind.
func (l *GroupLoader) documentKind(name string, head []byte) reseller.Kind {
	return reseller.DetectKind(name, head)
}

func (l *GroupLoader) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

// reportAnomalies turns the unassigned records and notes of a split into
// warnings.
func reportAnomalies(doc Document, r *reseller.Report) anomaly.List {
	var list anomaly.List
	for _, u := range r.Unassigned {
		a := groupAnomaly(doc, CodeGroupUnassigned, anomaly.Warning, anomaly.RecordLevel,
			"no routing rule assigns the record to a company: "+u.Reason)
		a.Line, a.Key, a.Field, a.Value = u.Line, u.POD, "Pod", u.POD
		if !u.Day.IsZero() {
			a.Message += " (day " + u.Day.String() + ")"
		}
		list = append(list, a)
	}
	for _, n := range r.Notes {
		a := groupAnomaly(doc, CodeGroupNote, anomaly.Warning, anomaly.RecordLevel, n.Message)
		a.Line, a.Key = n.Line, n.POD
		list = append(list, a)
	}
	return list
}

func groupAnomaly(doc Document, code string, sev anomaly.Severity, level anomaly.Level, msg string) anomaly.Anomaly {
	return anomaly.Anomaly{Code: code, Rule: "group-split", Severity: sev, Level: level, File: doc.Name, Message: msg}
}

func writeManifest(stage string, m manifest) error {
	if err := os.MkdirAll(stage, 0o755); err != nil {
		return err
	}
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	tmp := filepath.Join(stage, "."+manifestName+".tmp")
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(stage, manifestName))
}
