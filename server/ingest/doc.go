// Package ingest finds files in the inbox folders of each company and waits
// until they stop changing. It claims each file so that one instance loads
// it, hands it to the loader registered for its kind, and moves it to the
// archive once its load log entry is committed.
package ingest
