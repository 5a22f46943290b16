package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/bludispatcher/dispatcher/flows/flowgen"
	"github.com/bludispatcher/dispatcher/internal/civil"
	"github.com/bludispatcher/dispatcher/server/store"
	"github.com/bludispatcher/dispatcher/server/switching"
	"github.com/bludispatcher/dispatcher/server/web"
)

func TestSwitchingTabDecision(t *testing.T) {
	st, acme, _ := newStore(t)
	month := civil.Month{Year: 2025, Month: time.October}
	var opts []flowgen.Options
	for _, code := range []string{"F2G", "S2G", "SNM2G"} {
		opts = append(opts, flowgen.Options{FlowCode: code, Seed: 7, PODs: 1, Month: month, Day: month.First()})
	}
	loadFiles(t, st, acme, generate(t, t.TempDir(), opts...))

	ctx := context.Background()
	svc := switching.New(st, switching.Options{}, nil, nil, nil)
	g, err := flowgen.New(opts[0])
	require.NoError(t, err)
	pod := g.Record(0).POD.Text
	sw, err := svc.Validate(ctx, acme.ID, "SII100000000000", pod)
	require.NoError(t, err)
	require.Equal(t, store.SwitchToReview, sw.Status, "the POD is not in the billing registry: %v", sw.Reasons)

	h, err := web.New(web.Options{Store: st, Authenticate: authenticator(st), Switching: svc, Log: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c := loggedIn(t, srv.URL, tokenAcme)

	page := c.get("/pods/" + pod + "?tab=switching")
	require.Equal(t, http.StatusOK, page.status)
	assert.Contains(t, page.body, "SII100000000000")
	assert.Contains(t, page.body, "da verificare")
	assert.Contains(t, page.body, switching.RuleRegistryMissing.Code)
	action := "/pods/" + pod + "/switches/" + strconv.FormatInt(sw.ID, 10) + "/decision"
	assert.Contains(t, page.body, `action="`+action+`"`)

	csrf := formToken(t, page.body)
	missing := c.post(action, url.Values{"csrf": {csrf}, "decision": {"accept"}})
	assert.Equal(t, http.StatusBadRequest, missing.status, "a decision needs a reason")
	forged := c.post(action, url.Values{"csrf": {"forged"}, "decision": {"accept"}, "reason": {"x"}})
	assert.Equal(t, http.StatusForbidden, forged.status)
	wrongPOD := c.post("/pods/IT001E99999999/switches/"+strconv.FormatInt(sw.ID, 10)+"/decision",
		url.Values{"csrf": {csrf}, "decision": {"accept"}, "reason": {"x"}})
	assert.Equal(t, http.StatusNotFound, wrongPOD.status)

	done := c.post(action, url.Values{"csrf": {csrf}, "decision": {"accept"}, "operator": {"anna"},
		"reason": {"customer confirmed the registry data"}})
	require.Equal(t, http.StatusSeeOther, done.status, done.body)
	assert.Equal(t, "/pods/"+pod+"?tab=switching", done.header.Get("Location"))

	after := c.get("/pods/" + pod + "?tab=switching")
	assert.Contains(t, after.body, "accettato")
	assert.NotContains(t, after.body, `action="`+action+`"`, "a decided switch has no form")
	log, err := st.SwitchDecisions(ctx, acme.ID, sw.ID)
	require.NoError(t, err)
	require.Len(t, log, 1)
	assert.Equal(t, "acme/anna", log[0].Actor)

	other := loggedIn(t, srv.URL, tokenOther)
	hidden := other.get("/pods/" + pod + "?tab=switching")
	assert.NotContains(t, hidden.body, "SII100000000000", "another company sees nothing of the switch")
}
