package web_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"dakflow/internal/dak"
	"dakflow/internal/region"
	"dakflow/internal/web/apitest"
	"dakflow/internal/workflow"
)

// clientsByRole is one logged-in client per role a person can hold.
func clientsByRole(e *apitest.Env) map[dak.Role]*apitest.Client {
	return map[dak.Role]*apitest.Client{
		dak.RolePemda: e.Pemda, dak.RoleVerifier: e.Verifier, dak.RoleApprover: e.Approver,
		dak.RoleTreasury: e.Treasury, dak.RoleAuditor: e.Auditor, dak.RoleAdmin: e.Admin,
	}
}

// allowedEvents is what the workflow lets role fire in state, sorted.
func allowedEvents(d *workflow.Definition, state, role string) []string {
	out := []string{}
	for _, ev := range d.Events {
		if slices.Contains(ev.From, state) && slices.Contains(ev.Roles, role) {
			out = append(out, ev.Name)
		}
	}
	slices.Sort(out)
	return out
}

// TestEventRolesAndStates walks a proposal from draft to completed and, in
// every state it passes, fires every event of the workflow definition: each
// role that may not fire an event gets 403, and an event that cannot leave
// the state gets 409 naming the state and the caller's allowed events.
// Nothing changes. The events come from the definition, so a new event is
// covered as soon as it is written there.
func TestEventRolesAndStates(t *testing.T) {
	e := apitest.NewEnv(t)
	d := e.Engine.Current()
	ctx := context.Background()
	system := dak.User{Username: "sistem", FullName: "Sistem dakflow", Role: dak.RoleSystem}
	wrongRole, wrongState := map[string]bool{}, map[string]bool{}
	id := e.Create(t, "pembangunan", false)

	probe := func(t *testing.T) {
		e := e.For(t)
		clients := clientsByRole(e)
		before := snapProposal(t, e, id)
		state := before.State
		for _, ev := range d.Events {
			if slices.Contains(ev.From, state) {
				for _, role := range dak.Roles {
					if slices.Contains(ev.Roles, string(role)) {
						continue
					}
					r := clients[role].Fire(id, ev.Name, "uji", nil, nil)
					if expectProblem(t, fmt.Sprintf("Fire(%q) as %s in %s", ev.Name, role, state), r, http.StatusForbidden); r.Status == http.StatusForbidden {
						wrongRole[ev.Name] = true
					}
				}
				continue
			}
			for _, role := range ev.Roles {
				want := allowedEvents(d, state, role)
				if dak.Role(role) == dak.RoleSystem { // the scheduler: no login, fired through the engine
					_, err := e.Engine.Fire(ctx, system, id, workflow.Request{Event: ev.Name})
					de, ok := dak.AsError(err)
					if !errors.Is(err, dak.ErrConflict) || !ok || de.Extra["state"] != state {
						t.Errorf("Fire(%q) as system in %s = %v, want a conflict naming the state", ev.Name, state, err)
						continue
					}
					if diff := cmp.Diff(want, de.Extra["allowed_events"]); diff != "" {
						t.Errorf("Fire(%q) as system in %s: allowed_events (-want +got):\n%s", ev.Name, state, diff)
						continue
					}
					wrongState[ev.Name] = true
					continue
				}
				what := fmt.Sprintf("Fire(%q) as %s in %s", ev.Name, role, state)
				r := clients[dak.Role(role)].Fire(id, ev.Name, "uji", nil, nil)
				p := expectProblem(t, what, r, http.StatusConflict)
				if p.State != state {
					t.Errorf("%s: problem state = %q, want %q", what, p.State, state)
				}
				if p.AllowedEvents == nil {
					t.Errorf("%s: problem lacks allowed_events: %s", what, r.Body)
				} else if diff := cmp.Diff(want, *p.AllowedEvents); diff != "" {
					t.Errorf("%s: allowed_events (-want +got):\n%s", what, diff)
				}
				if !t.Failed() {
					wrongState[ev.Name] = true
				}
			}
		}
		if after := snapProposal(t, e, id); after != before {
			t.Errorf("refused events changed the proposal: %+v, want %+v", after, before)
		}
	}

	for _, s := range e.Path(t, id, false) {
		t.Run(e.Get(t, id)["state"].(string), probe)
		e.Fire(t, id, s)
	}
	t.Run("completed", probe)

	for _, ev := range d.Events {
		if !wrongRole[ev.Name] {
			t.Errorf("event %s was never refused to a role that may not fire it", ev.Name)
		}
		if !wrongState[ev.Name] {
			t.Errorf("event %s was never refused in a state it cannot leave", ev.Name)
		}
	}
}

// makassarVillage is a desa/kelurahan of Kota Makassar (73.71), the region
// of Env.Other.
func makassarVillage(t *testing.T) string {
	t.Helper()
	districts := region.Children("73.71")
	if len(districts) == 0 {
		t.Fatal("no kecamatan under 73.71")
	}
	villages := region.Children(districts[0].Code)
	if len(villages) == 0 {
		t.Fatalf("no desa under %s", districts[0].Code)
	}
	return string(villages[0].Code)
}

// makassarInput is a valid proposal body for the pemda of Kota Makassar.
func makassarInput(t *testing.T) map[string]any {
	in := apitest.ProposalInput("revitalisasi", false)
	in["title"] = "Revitalisasi Sentra IKM Kerajinan Perak"
	in["sentra"].(map[string]any)["village_code"] = makassarVillage(t)
	return in
}

// route is one call on a proposal or what hangs off it.
type route struct {
	name   string
	method string
	path   string
	body   any
	upload int64 // a multipart upload of a PDF to this proposal
	read   bool  // the owner may read it: 200
}

func (rt route) call(c *apitest.Client) apitest.Response {
	if rt.upload != 0 {
		return c.Upload(rt.upload, "foto_lokasi", "foto.pdf", apitest.PDFBytes("foto"))
	}
	return c.Do(rt.method, rt.path, rt.body, nil)
}

// proposalRoutes lists every route about proposal id, its document doc and
// its attachment att.
func proposalRoutes(t *testing.T, id, doc, att int64) []route {
	p := fmt.Sprintf("/api/v1/proposals/%d", id)
	return []route{
		{name: "GET proposal", method: "GET", path: p, read: true},
		{name: "PUT proposal", method: "PUT", path: p, body: makassarInput(t)},
		{name: "PUT proposal/own body", method: "PUT", path: p, body: apitest.ProposalInput("revitalisasi", false)},
		{name: "POST events/withdraw", method: "POST", path: p + "/events", body: map[string]any{"event": "withdraw", "comment": "Ditarik"}},
		{name: "POST events/start_review", method: "POST", path: p + "/events", body: map[string]any{"event": "start_review"}},
		{name: "GET events", method: "GET", path: p + "/events", read: true},
		{name: "GET documents", method: "GET", path: p + "/documents", read: true},
		{name: "GET revisions", method: "GET", path: p + "/revisions", read: true},
		{name: "GET attachments", method: "GET", path: p + "/attachments", read: true},
		{name: "GET trail", method: "GET", path: p + "/trail", read: true},
		{name: "POST attachments", method: "POST", path: p + "/attachments", upload: id},
		{name: "GET document", method: "GET", path: fmt.Sprintf("/api/v1/documents/%d", doc), read: true},
		{name: "GET document pdf", method: "GET", path: fmt.Sprintf("/api/v1/documents/%d/pdf", doc), read: true},
		{name: "GET attachment file", method: "GET", path: fmt.Sprintf("/api/v1/attachments/%d/file", att), read: true},
	}
}

// submittedWithFiles files and submits a proposal as the pemda of Kota
// Bandar Lampung and returns it with its receipt and one attachment.
func submittedWithFiles(t *testing.T, e *apitest.Env) (id, doc, att int64) {
	t.Helper()
	id = e.Create(t, "revitalisasi", false)
	e.Pemda.MustFire(id, "submit", "", nil)
	var list struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	e.Pemda.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/documents", id), nil, nil).Decode(t, &list)
	if len(list.Items) == 0 {
		t.Fatal("submitted proposal has no document")
	}
	doc = list.Items[0].ID
	e.Pemda.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/attachments", id), nil, nil).Decode(t, &list)
	if len(list.Items) == 0 {
		t.Fatal("proposal has no attachment")
	}
	return id, doc, list.Items[0].ID
}

// TestOtherRegionGetsNotFound: the pemda of Kota Makassar gets 404, never
// 403, on every route about a proposal of Kota Bandar Lampung — the same
// answer as for a proposal that does not exist — and does not find it in
// any list. Nothing it tries changes the proposal.
func TestOtherRegionGetsNotFound(t *testing.T) {
	e := apitest.NewEnv(t)
	id, doc, att := submittedWithFiles(t, e)
	const missing = 987654
	before := snapProposal(t, e, id)

	gone := map[string]route{}
	for _, rt := range proposalRoutes(t, missing, missing, missing) {
		gone[rt.name] = rt
	}
	for _, rt := range proposalRoutes(t, id, doc, att) {
		t.Run(rt.name, func(t *testing.T) {
			e := e.For(t)
			if rt.read {
				if r := rt.call(e.Pemda); r.Status != http.StatusOK {
					t.Fatalf("%s %s as the owner = %d, want %d\n%s", rt.method, rt.path, r.Status, http.StatusOK, r.Body)
				}
			}
			r := rt.call(e.Other)
			p := expectProblem(t, fmt.Sprintf("%s %s as another region", rt.method, rt.path), r, http.StatusNotFound)
			g := gone[rt.name]
			nr := g.call(e.Other)
			q := expectProblem(t, fmt.Sprintf("%s %s (no such proposal)", g.method, g.path), nr, http.StatusNotFound)
			if p.Type != q.Type || p.Title != q.Title {
				t.Errorf("another region's proposal answers %s %q, a missing one %s %q", p.Type, p.Title, q.Type, q.Title)
			}
		})
	}

	t.Run("lists", func(t *testing.T) {
		e := e.For(t)
		number := e.Get(t, id)["number"].(string)
		own := e.Other.Do("POST", "/api/v1/proposals", makassarInput(t), nil)
		if own.Status != http.StatusCreated {
			t.Fatalf("POST /proposals as Makassar = %d %s", own.Status, own.Body)
		}
		ownID := int64(own.JSON()["id"].(float64))
		for _, q := range []string{"", "?region=18.71", "?region=18", "?q=" + number, "?state=submitted", "?fiscal_year=2027&per_page=200"} {
			var list struct {
				Items []struct {
					ID         int64  `json:"id"`
					RegionCode string `json:"region_code"`
				} `json:"items"`
				Total int `json:"total"`
			}
			r := e.Other.Do("GET", "/api/v1/proposals"+q, nil, nil)
			if r.Status != http.StatusOK {
				t.Fatalf("GET /proposals%s = %d %s", q, r.Status, r.Body)
			}
			r.Decode(t, &list)
			for _, p := range list.Items {
				if p.ID == id || p.RegionCode != "73.71" {
					t.Errorf("GET /proposals%s as Makassar lists proposal %d of %s", q, p.ID, p.RegionCode)
				}
			}
			if list.Total != len(list.Items) {
				t.Errorf("GET /proposals%s: total %d, %d items: the total counts what may not be seen", q, list.Total, len(list.Items))
			}
		}
		var list struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		e.Other.Do("GET", "/api/v1/proposals", nil, nil).Decode(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != ownID {
			t.Errorf("GET /proposals as Makassar = %v, want its own proposal %d only", list.Items, ownID)
		}
	})

	if after := snapProposal(t, e, id); after != before {
		t.Errorf("another region's calls changed the proposal: %+v, want %+v", after, before)
	}
}

// TestUnauthenticated: without a valid token every API route answers 401
// with problem+json and a WWW-Authenticate challenge; and roles without a
// part in the workflow (admin, auditor) cannot fire events or file proposals.
func TestUnauthenticated(t *testing.T) {
	e := apitest.NewEnv(t)
	id, doc, att := submittedWithFiles(t, e)
	before := snapProposal(t, e, id)
	routes := append(proposalRoutes(t, id, doc, att),
		route{name: "GET proposals", method: "GET", path: "/api/v1/proposals"},
		route{name: "POST proposals", method: "POST", path: "/api/v1/proposals", body: apitest.ProposalInput("revitalisasi", false)},
		route{name: "GET me", method: "GET", path: "/api/v1/me"},
		route{name: "PUT fiscal year", method: "PUT", path: "/api/v1/fiscal-years/2027", body: map[string]any{"ceiling": 1}},
	)
	tokens := map[string]string{"none": "", "unknown": "c2VzaS10aWRhay1hZGE", "logged out": ""}
	out := apitest.Login(t, e.URL, "auditor", apitest.Password)
	if r := out.Do("POST", "/api/v1/auth/logout", nil, nil); r.Status != http.StatusNoContent {
		t.Fatalf("logout = %d %s", r.Status, r.Body)
	}
	tokens["logged out"] = out.Token
	for name, token := range tokens {
		for _, rt := range routes {
			t.Run(name+"/"+rt.name, func(t *testing.T) {
				c := apitest.Anonymous(t, e.URL)
				c.Token = token
				r := rt.call(c)
				expectProblem(t, fmt.Sprintf("%s %s with token %s", rt.method, rt.path, name), r, http.StatusUnauthorized)
				if r.Header.Get("WWW-Authenticate") == "" {
					t.Errorf("%s %s: 401 without WWW-Authenticate", rt.method, rt.path)
				}
			})
		}
	}

	t.Run("admin and auditor", func(t *testing.T) {
		e := e.For(t)
		draft := e.Create(t, "pembangunan", false)
		for _, c := range []*apitest.Client{e.Admin, e.Auditor} {
			role := c.User["role"]
			for _, pid := range []int64{draft, id} {
				for _, ev := range []string{"submit", "withdraw", "start_review"} {
					r := c.Fire(pid, ev, "uji", nil, nil)
					expectProblem(t, fmt.Sprintf("Fire(%q) as %s", ev, role), r, http.StatusForbidden)
				}
			}
			r := c.Do("POST", "/api/v1/proposals", apitest.ProposalInput("revitalisasi", false), nil)
			expectProblem(t, fmt.Sprintf("POST /proposals as %s", role), r, http.StatusForbidden)
		}
		if got := snapProposal(t, e, draft).State; got != "draft" {
			t.Errorf("draft is now %s", got)
		}
	})

	if after := snapProposal(t, e, id); after != before {
		t.Errorf("refused calls changed the proposal: %+v, want %+v", after, before)
	}
}
