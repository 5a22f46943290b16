package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/sqlite"
)

// rcuExtract returns an extract of n points with the usual columns; seed
// changes the bytes so that each file is a new load.
func rcuExtract(n, seed int) []byte {
	var b bytes.Buffer
	b.WriteString("COD_POD;PIVA_DISTR;RAGIONE_SOCIALE_DISTR;PIVA_UDD;PIVA_CC;DATA_INIZIO_FORNITURA;TRATTAMENTO;TENSIONE;POTCONTRIMP;CONSUMO_TOT\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "IT001E%08d;12345678903;Distribuzione;01234567897;01234567897;01/01/2024;O;400;3,0;%d\n", i, 1000+seed)
	}
	return b.Bytes()
}

// BenchmarkRCULoad measures the load of a 10,000-point extract into
// SQLite through RCULoader: parsing, validation and the stored rows.
func BenchmarkRCULoad(b *testing.B) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	co, err := st.CreateCompany(ctx, store.Company{Code: "bench", Name: "Bench"})
	if err != nil {
		b.Fatal(err)
	}
	l := &RCULoader{}
	b.SetBytes(int64(len(rcuExtract(10000, 0))))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		data := rcuExtract(10000, i)
		sum := sha256.Sum256(data)
		name := fmt.Sprintf("RCU_202403_%d.csv", i)
		tx, err := st.BeginLoad(ctx, store.LoadInfo{Company: co.ID, Name: name, Path: name, Size: int64(len(data)),
			SHA256: hex.EncodeToString(sum[:]), Original: bytes.NewReader(data)})
		if err != nil {
			b.Fatal(err)
		}
		doc := Document{Name: name, Path: name, SHA256: sum, Body: bytes.NewReader(data)}
		if err := l.Load(ctx, Company{ID: co.ID, Code: "bench"}, doc, tx); err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Commit(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
