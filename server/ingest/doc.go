// Package ingest finds files in the inbox folders of each company, waits
// until they stop changing, claims them so that one instance loads each,
// hands them to the loader registered for their kind and moves them to the
// archive once their load log entry is committed.
package ingest
