// Package ingest finds files in the inbox folders of each company and waits
// until they stop changing. It claims each file so that one instance loads
// it, hands it to the loader registered for its kind, and moves it to the
// archive once its load log entry is committed.
//
// A zip with no end of central directory record is taken for a copy in
// progress, so it stays in its inbox, with no load log entry, until
// Options.CutShortWait after its last change. It is then rejected as
// corrupt. GroupLoader splits the files of a group's inbox among the
// group's companies and moves each part into a company inbox.
package ingest
