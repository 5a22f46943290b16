package ingest

// failedBefore records that the load of path failed for reason and
// reports whether its previous load failed for the same reason.
func (in *Ingester) failedBefore(path, reason string) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	same := in.failures[path] == reason
	in.failures[path] = reason
	return same
}

// forgetFailure drops the failure of path, after a load that did not fail.
func (in *Ingester) forgetFailure(path string) {
	in.mu.Lock()
	defer in.mu.Unlock()
	delete(in.failures, path)
}
