package requests_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/bludispatcher/dispatcher/distributor"
	"github.com/bludispatcher/dispatcher/server/config"
	"github.com/bludispatcher/dispatcher/server/requests"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/sqlite"
)

// ExampleService_Submit sends an activation (A01) under the shipped
// e-distribuzione profile. The zipped request file lands in the company's
// outbox, and the request is stored as sent.
func ExampleService_Submit() {
	dir, err := os.MkdirTemp("", "requests-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "dispatcher.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer st.Close()
	co, err := st.CreateCompany(ctx, store.Company{Code: "acme", Name: "Acme Energia"})
	if err != nil {
		fmt.Println(err)
		return
	}

	svc := requests.New(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	svc.Now = func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) }
	outbox := filepath.Join(dir, "outbox")
	err = svc.AddCompany(co.ID, "acme", &config.Distributors{Profiles: []string{"e-distribuzione"}, Outbox: outbox})
	if err != nil {
		fmt.Println(err)
		return
	}

	f, err := os.Open(filepath.Join("..", "..", "distributor", "testdata", "requests", "A01.json"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	req, err := distributor.DecodeRequestJSON(f)
	if err != nil {
		fmt.Println(err)
		return
	}

	r, err := svc.Submit(ctx, co.ID, "e-distribuzione", req)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.CaseNumber, r.State)
	fmt.Println(filepath.Join(r.File.Folder, r.File.Name))
	// Output:
	// CASE-A01-0001 sent
	// e-distribuzione/A01/01234567897_A01_0050_20261201_000001.zip
}
