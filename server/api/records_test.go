package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/store/storetest"
)

func TestRecordsSortAndOrder(t *testing.T) {
	h, st, co := tokenHandler(t)
	ctx := context.Background()
	data := []byte("records")
	tx, err := st.BeginLoad(ctx, store.LoadInfo{Company: co, Name: "pno.xml", FlowCode: "PNO",
		SHA256: storetest.SHA256(data), Original: bytes.NewReader(data)})
	require.NoError(t, err)
	for i, month := range []string{"03/2026", "01/2026", "02/2026"} {
		r := &flows.Record{POD: flows.V(storetest.POD(i + 1)), MonthYear: flows.V(month)}
		_, err := tx.AddRecord(ctx, storetest.Header("PNO"), r, nil)
		require.NoError(t, err)
	}
	_, err = tx.Commit(ctx)
	require.NoError(t, err)

	cases := []struct {
		query string
		want  []string
	}{
		{"", []string{storetest.POD(2), storetest.POD(3), storetest.POD(1)}},
		{"?order=desc", []string{storetest.POD(1), storetest.POD(3), storetest.POD(2)}},
		{"?sort=pod", []string{storetest.POD(1), storetest.POD(2), storetest.POD(3)}},
		{"?sort=pod&order=desc", []string{storetest.POD(3), storetest.POD(2), storetest.POD(1)}},
		{"?sort=competence&order=asc&limit=2&offset=1", []string{storetest.POD(3), storetest.POD(1)}},
	}
	for _, tc := range cases {
		t.Run("records"+tc.query, func(t *testing.T) {
			rec := get(h, "/api/v1/records"+tc.query, "Bearer secret")
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			var body listResponse[store.RecordRow]
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
			var pods []string
			for _, r := range body.Items {
				pods = append(pods, r.POD)
			}
			assert.Equal(t, tc.want, pods)
			assert.Equal(t, 3, body.Total)
		})
	}

	for _, query := range []string{"?sort=name", "?order=up", "?sort=POD"} {
		t.Run("invalid "+query, func(t *testing.T) {
			rec := get(h, "/api/v1/records"+query, "Bearer secret")
			assert.Equal(t, http.StatusBadRequest, rec.Code)
			var body errorBody
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
			assert.Contains(t, body.Error, "want")
		})
	}
}
