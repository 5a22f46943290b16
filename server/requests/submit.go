package requests

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bludispatcher/dispatcher/distributor"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
)

// Submit validates a request against the profile, writes its file into
// the company's outbox and stores it as sent. A request with a blocking
// anomaly fails with a *distributor.InvalidRequestError and writes
// nothing. A case number the company used before, or a file name used
// before, fails with an error wrapping store.ErrConflict.
func (s *Service) Submit(ctx context.Context, id store.CompanyID, profileID string, req *distributor.Request) (store.DistributorRequest, error) {
	c, ok := s.companies[id]
	if !ok {
		return store.DistributorRequest{}, fmt.Errorf("%w: the company has no distributors configured", ErrUnknownProfile)
	}
	p, ok := c.profiles[profileID]
	if !ok {
		return store.DistributorRequest{}, fmt.Errorf("%w %q: use one of %s", ErrUnknownProfile, profileID, strings.Join(c.order, ", "))
	}

	sub := &submission{company: c, profile: p, req: req, now: s.Now()}
	r, err := s.store.SubmitRequest(ctx, id, sub.build, sub.deliver)
	if err != nil {
		s.withdraw(c.code, sub, err)
		return r, err
	}
	s.log.Info("request sent", "company", c.code, "case", r.CaseNumber, "service", r.Service,
		"profile", r.Profile, "file", sub.final)
	return r, nil
}

// submission is one request on its way to the outbox.
type submission struct {
	company *company
	profile *distributor.Profile
	req     *distributor.Request
	now     time.Time
	// temp is the temporary file, final the path it is renamed to.
	temp, final string
	delivered   bool
}

// build takes the progressive number and the file name, writes the file
// to a temporary name, and returns the request to store.
func (b *submission) build(sub store.RequestSubmission) (store.NewRequest, error) {
	p := b.profile
	seq, err := sub.NextSeq(p.ID)
	if err != nil {
		return store.NewRequest{}, err
	}
	today := civil.DateOf(b.now.In(civil.Rome))
	file, err := distributor.BuildFile(p, []*distributor.Request{b.req}, distributor.FileOptions{
		Seq: seq, Day: today, Names: sub, Validate: distributor.ValidateOptions{Today: today},
	})
	if err != nil {
		return store.NewRequest{}, err
	}

	b.final = filepath.Join(b.company.outbox, filepath.FromSlash(file.Folder), file.Name)
	if b.temp, err = writeTemp(b.final, file.Data); err != nil {
		return store.NewRequest{}, err
	}
	c := distributor.NewCase(b.req, p.ID)
	if _, err := c.Send(b.now, file.Name, p.Deadlines()); err != nil {
		return store.NewRequest{}, err
	}
	return store.NewRequest{Request: b.req, Case: c,
		File: store.RequestFile{Folder: file.Folder, Name: file.Name, Inner: file.Inner, Seq: seq}}, nil
}

// deliver renames the temporary file into the outbox.
func (b *submission) deliver() error {
	if _, err := os.Stat(b.final); err == nil {
		return fmt.Errorf("%w: %s exists in the outbox: remove it or reserve its name", store.ErrConflict, b.final)
	}
	if err := os.Rename(b.temp, b.final); err != nil {
		return fmt.Errorf("move request file into the outbox: %w", err)
	}
	b.delivered = true
	return nil
}

// withdraw removes the files of a failed submission: the temporary file,
// or the delivered one when the store failed after the rename.
func (s *Service) withdraw(code string, b *submission, cause error) {
	path := b.temp
	if b.delivered {
		// NOTE: a distributor may collect the file before this removal.
		// It then has a request that the store does not keep, so the
		// outcome of that request is stored as unmatched.
		path = b.final
	}
	if path == "" {
		return
	}
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		s.log.Error("remove request file failed", "company", code, "file", path, "error", err, "cause", cause)
	}
}

// writeTemp writes data to a hidden temporary file in the folder of final
// and syncs it, so that the rename into place is atomic.
func writeTemp(final string, data []byte) (string, error) {
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", fmt.Errorf("create outbox folder: %w", err)
	}
	f, err := os.CreateTemp(dir, ".tmp-"+filepath.Base(final)+"-*")
	if err != nil {
		return "", fmt.Errorf("write request file: %w", err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("write request file: %w", err)
	}
	return f.Name(), nil
}

// Expire expires the requests past their deadline and logs each.
func (s *Service) Expire(ctx context.Context) (int, error) {
	ups, err := s.store.ExpireRequests(ctx, s.Now())
	for _, u := range ups {
		s.log.Info("request expired", "company_id", int64(u.Company), "case", u.CaseNumber, "service", u.Service, "from", string(u.From))
	}
	return len(ups), err
}

// RunExpiry calls Expire now and then every interval until ctx ends,
// logging failures.
func (s *Service) RunExpiry(ctx context.Context, interval time.Duration) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		if _, err := s.Expire(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("request expiry failed", "error", err)
		}
		timer.Reset(interval)
	}
}
