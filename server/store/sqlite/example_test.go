package sqlite_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/sqlite"
)

// Load one file with one record, then read the load log entry, the
// record's curve and the original back.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "store-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	s, err := sqlite.Open(ctx, filepath.Join(dir, "dispatcher.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	co, err := s.CreateCompany(ctx, store.Company{Code: "acme", Name: "Acme Energia"})
	if err != nil {
		log.Fatal(err)
	}

	original := []byte("<FlussoMisure CodFlusso=\"PDO\">…</FlussoMisure>")
	sum := sha256.Sum256(original)
	tx, err := s.BeginLoad(ctx, store.LoadInfo{Company: co.ID, Name: "IT001_PDO.xml",
		Path: "inbox/IT001_PDO.xml", SHA256: hex.EncodeToString(sum[:]), Original: bytes.NewReader(original)})
	if err != nil {
		log.Fatal(err)
	}
	day := flows.Curve{Kind: flows.ActiveEnergy, Day: flows.V("05")}
	day.SetE(1, "0,250")
	day.SetE(2, "")
	rec := &flows.Record{POD: flows.V("IT001E00000001"), MonthYear: flows.V("01/2026"),
		Measure: &flows.Measure{Element: "Misura", Curves: []flows.Curve{day}}}
	header := &flows.Header{FlowCode: flows.V("PDO")}
	if _, err := tx.AddRecord(ctx, header, rec, nil); err != nil {
		log.Fatal(err)
	}
	l, err := tx.Commit(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(l.Name, l.FlowCode, l.Status, l.RecordsLoaded)

	days, err := s.Curve(ctx, co.ID, "IT001E00000001", store.DateRange{}, false)
	if err != nil {
		log.Fatal(err)
	}
	for _, slot := range days[0].Slots {
		fmt.Printf("%s E%d set=%v %q starts %s\n", days[0].Day, slot.N, slot.Set, slot.Text, slot.Start.Format("15:04Z"))
	}

	_, rc, err := s.OpenOriginal(ctx, co.ID, l.ID)
	if err != nil {
		log.Fatal(err)
	}
	defer rc.Close()
	back, err := io.ReadAll(rc)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(bytes.Equal(back, original))
	// Output:
	// IT001_PDO.xml PDO loaded 1
	// 2026-01-05 E1 set=true "0,250" starts 23:00Z
	// 2026-01-05 E2 set=true "" starts 23:15Z
	// true
}
