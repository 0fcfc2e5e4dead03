package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"dakflow/internal/web/apitest"
)

// TestPageRevisionNotesWhereTheyAreNeeded: the notes of a proposal sent
// back stand in a box at the top of its page and of its edit form, each
// again next to the field it names, and the box goes once it is resubmitted.
func TestPageRevisionNotesWhereTheyAreNeeded(t *testing.T) {
	env := apitest.NewEnv(t)
	id := env.Create(t, "revitalisasi", false)
	env.Pemda.MustFire(id, "submit", "", nil)
	env.Verifier.MustFire(id, "start_review", "", nil)
	env.Verifier.MustFire(id, "request_revision", "Lengkapi sebelum diajukan ulang", map[string]any{"notes": []map[string]any{
		{"field": "title", "note": "Judul belum menyebut lokasi"}, {"field": "budget_lines", "note": "Harga mesin terlalu tinggi"},
		{"field": "attachments.tor", "note": "TOR belum ditandatangani"}}})

	pemda := loggedIn(t, env, "pemda")
	path := fmt.Sprintf("/proposals/%d", id)
	p := pemda.get(path)
	box, actions := strings.Index(p.Body, "data-revision-notes"), strings.Index(p.Body, "data-actions")
	if box < 0 || actions < 0 || box > actions {
		t.Fatalf("the notes box is not above the actions (box at %d, actions at %d)", box, actions)
	}
	for _, want := range []string{"Lengkapi sebelum diajukan ulang", `href="` + path + `/edit#f-title"`, "Judul belum menyebut lokasi",
		`href="#lampiran"`, "Lampiran: ", "TOR belum ditandatangani", "Minta perbaikan"} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("proposal page: notes box lacks %q", want)
		}
	}
	edit := pemda.get(path + "/edit")
	if !strings.Contains(edit.Body, "data-revision-notes") {
		t.Errorf("the edit form has no notes box")
	}
	for field, note := range map[string]string{"title": "Judul belum menyebut lokasi", "budget_lines": "Harga mesin terlalu tinggi"} {
		re := regexp.MustCompile(`data-note-for="` + regexp.QuoteMeta(field) + `"[^>]*>Catatan perbaikan: ` + regexp.QuoteMeta(note))
		if !re.MatchString(edit.Body) {
			t.Errorf("edit form: no note beside %s", field)
		}
	}
	if strings.Contains(edit.Body, `data-note-for="sentra.name"`) {
		t.Errorf("edit form: a note beside a field no note names")
	}

	p = pemda.post(path+"/events/submit", url.Values{"csrf_token": {p.csrf(t)}, "version": {p.field(t, "submit", "version")},
		"idempotency_key": {p.field(t, "submit", "idempotency_key")}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("resubmit = %d %.400s", p.Status, p.Body)
	}
	if p = pemda.get(path); strings.Contains(p.Body, "data-revision-notes") {
		t.Errorf("the notes box stays after the proposal was resubmitted")
	}
}

// TestPageApproverQueueAndWording: the approver's queue lists what waits
// for a decision, not what it may only extend; buttons are verbs; tables
// show amounts without ",00"; the engine's refusals name events and roles
// in Indonesian; an upload of the wrong type is refused in words beside
// the upload field; error summaries link to their fields.
func TestPageApproverQueueAndWording(t *testing.T) {
	env := apitest.NewEnv(t)
	waiting := env.Create(t, "revitalisasi", false)
	env.WalkTo(t, waiting, false, "recommended")
	extendOnly := env.Create(t, "revitalisasi", false)
	env.WalkTo(t, extendOnly, false, "rk_approved")

	approver := loggedIn(t, env, "penetap")
	home := approver.get("/")
	if !strings.Contains(home.Body, fmt.Sprintf(`data-proposal="%d"`, waiting)) {
		t.Errorf("the approver's queue lacks the recommended proposal")
	}
	if strings.Contains(home.Body, fmt.Sprintf(`data-proposal="%d"`, extendOnly)) {
		t.Errorf("the approver's queue lists a proposal whose only approver action is extending a deadline")
	}
	if !strings.Contains(home.Body, "<th>Tenggat</th>") {
		t.Errorf("the approver's queue has no deadline column")
	}

	review := env.Create(t, "revitalisasi", false)
	env.WalkTo(t, review, false, "in_review")
	verifier := loggedIn(t, env, "verifikator")
	p := verifier.get(fmt.Sprintf("/proposals/%d", review))
	for _, want := range []string{`data-event="reject" class="danger" aria-controls="form-reject" aria-expanded="false">Tolak</button>`,
		`>Rekomendasikan</button>`, `>Minta perbaikan</button>`} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("verifier's buttons lack %q", want)
		}
	}
	if !strings.Contains(p.Body, `data-label="Jumlah" class="num">Rp350.000.000</td>`) || strings.Contains(p.Body, `class="num">Rp350.000.000,00`) {
		t.Errorf("the RAB table does not show Rp350.000.000 without ,00")
	}
	if !strings.Contains(p.Body, "-5,41; 105,26") {
		t.Errorf("coordinates not written with a decimal comma")
	}

	if r := env.Pemda.Fire(review, "start_review", "", nil, nil); r.Status != http.StatusForbidden ||
		!strings.Contains(string(r.Body), "Pemerintah Daerah") || strings.Contains(string(r.Body), "peran pemda") {
		t.Errorf("a role refused: %d %s", r.Status, r.Body)
	}
	draft := env.Create(t, "revitalisasi", false)
	env.Pemda.Do("PUT", fmt.Sprintf("/api/v1/proposals/%d", draft), map[string]any{"fiscal_year": apitest.Year, "menu": "revitalisasi", "title": "Judul saja"},
		map[string]string{"If-Match": `"1"`})
	if r := env.Pemda.Fire(draft, "submit", "", nil, nil); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(string(r.Body), `syarat untuk \"Ajukan usulan\" belum terpenuhi`) || strings.Contains(string(r.Body), "peristiwa submit") {
		t.Errorf("guards refused: %d %s", r.Status, r.Body)
	}

	pemda := loggedIn(t, env, "pemda")
	edit := pemda.get(fmt.Sprintf("/proposals/%d/edit", draft))
	up := pemda.postFile(fmt.Sprintf("/proposals/%d/attachments", draft), map[string]string{"csrf_token": edit.csrf(t), "back": "edit", "kind": "tor"},
		"tor.txt", []byte("bukan PDF"))
	if up.Status != http.StatusUnsupportedMediaType {
		t.Fatalf("wrong type upload = %d", up.Status)
	}
	err := regexp.MustCompile(`<div class="err" id="up-file-err"[^>]*>([^<]*)</div>`).FindStringSubmatch(up.Body)
	if err == nil || err[1] != "Berkas harus PDF, JPEG atau PNG" {
		t.Errorf("the upload error beside its field = %v", err)
	}
	if !strings.Contains(up.Body, `attachments#lampiran"`) || !strings.Contains(up.Body, `autofocus aria-invalid="true"`) {
		t.Errorf("the page answering an upload does not open at the upload form")
	}
	up = pemda.postFile(fmt.Sprintf("/proposals/%d/attachments", draft), map[string]string{"csrf_token": edit.csrf(t), "back": "view", "kind": "tor"},
		"tor.pdf", pngBytes)
	if msg := regexp.MustCompile(`data-upload-error[^>]*>([^<]*)`).FindStringSubmatch(up.Body); msg == nil ||
		!strings.Contains(msg[1], "isi berkas PNG, tetapi namanya berakhiran .pdf") || strings.Contains(msg[1], "image/") {
		t.Errorf("a PNG named .pdf: %d %v", up.Status, msg)
	}

	form := url.Values{"csrf_token": {edit.csrf(t)}, "version": {hidden(t, edit.Body, "version")}}
	flatten("", apitest.ProposalInput("revitalisasi", false), form)
	form.Set("sentra.latitude", "lima derajat")
	bad := pemda.post(fmt.Sprintf("/proposals/%d/edit", draft), form)
	if !strings.Contains(bad.Body, `data-form-errors tabindex="-1" autofocus`) ||
		!strings.Contains(bad.Body, `<a href="#f-sentra-latitude" data-field="sentra.latitude">`) {
		t.Errorf("the error summary is not focused and linked: %d", bad.Status)
	}
}
