package web_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"dakflow/internal/web/apitest"
)

// filingsGauge reads dakflow_filings{phase} from /metrics.
func filingsGauge(t *testing.T, e *apitest.Env, phase string) float64 {
	t.Helper()
	resp, err := http.Get(e.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), `dakflow_filings{phase="`+phase+`"} `); ok {
			var f float64
			fmt.Sscan(v, &f)
			return f
		}
	}
	return 0
}

// waitGauge waits until dakflow_filings{phase} is want.
func waitGauge(t *testing.T, e *apitest.Env, phase string, want float64) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if filingsGauge(t, e, phase) == want {
			return
		}
	}
	t.Fatalf("dakflow_filings{phase=%q} stayed %v, want %v", phase, filingsGauge(t, e, phase), want)
}

// TestFilingTurn: at most Config.FilingsAtOnce new drafts are filed at
// once, and a filing beyond them waits for its turn before its body is
// read (on deadline day hundreds of filings waited in the drafts' queue,
// each holding its parsed body and files, and the collector took a third
// of the server's CPU). With one place: a filing whose body is still on
// its way holds it; another waits (dakflow_filings{phase="waiting"}), and
// is filed once the first is; one that waits longer than Config.TurnWait
// is refused 503 and files nothing.
func TestFilingTurn(t *testing.T) {
	e := apitest.NewEnvWith(t, apitest.Options{FilingsAtOnce: 1, TurnWait: 2 * time.Second})
	body := func(title string) []byte {
		in := e.OwnSentraInput(t, "revitalisasi", false)
		in["title"] = title
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	drafts := func() int { return rowCount(t, e, `SELECT COUNT(*) FROM proposals`) }
	before := drafts()
	post := func(r io.Reader) (*http.Response, error) {
		req, err := http.NewRequest("POST", e.URL+"/api/v1/proposals", r)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+e.Pemda.Token)
		return http.DefaultClient.Do(req)
	}
	type answer struct {
		status int
		err    error
	}
	send := func(r io.Reader) <-chan answer {
		c := make(chan answer, 1)
		go func() {
			resp, err := post(r)
			if err != nil {
				c <- answer{err: err}
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			c <- answer{status: resp.StatusCode}
		}()
		return c
	}

	// The first filing's body arrives in two halves: it holds the turn
	// in between.
	slow := body("Revitalisasi Sentra IKM Tenun Tapis Giliran Pertama")
	pr, pw := io.Pipe()
	first := send(pr)
	if _, err := pw.Write(slow[:len(slow)/2]); err != nil {
		t.Fatal(err)
	}
	waitGauge(t, e, "filing", 1)

	// The second waits for the turn, and is filed once the first is.
	second := send(bytes.NewReader(body("Revitalisasi Sentra IKM Tenun Tapis Giliran Kedua")))
	waitGauge(t, e, "waiting", 1)
	select {
	case a := <-second:
		t.Fatalf("the second filing was answered (%d, %v) while the first held the only turn", a.status, a.err)
	case <-time.After(200 * time.Millisecond):
	}
	if _, err := pw.Write(slow[len(slow)/2:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	for i, c := range []<-chan answer{first, second} {
		if a := <-c; a.err != nil || a.status != http.StatusCreated {
			t.Fatalf("filing %d = %d, %v; want 201", i+1, a.status, a.err)
		}
	}
	if n := drafts(); n != before+2 {
		t.Fatalf("two filings in turn made %d drafts, want 2", n-before)
	}

	// One that waits longer than the turn's wait: 503, nothing filed.
	pr, pw = io.Pipe()
	held := send(pr)
	if _, err := pw.Write(slow[:10]); err != nil {
		t.Fatal(err)
	}
	waitGauge(t, e, "filing", 1)
	r := e.Pemda.Do("POST", "/api/v1/proposals", json.RawMessage(body("Revitalisasi Sentra IKM Tenun Tapis Giliran Ketiga")), nil)
	if r.Status != http.StatusServiceUnavailable || !strings.Contains(string(r.Body), "terlalu banyak usulan") {
		t.Errorf("a filing that waited past the turn's wait = %d %s, want 503", r.Status, r.Body)
	}
	pw.CloseWithError(io.ErrUnexpectedEOF) // the held one goes away
	<-held
	waitGauge(t, e, "filing", 0)
	if n := drafts(); n != before+2 {
		t.Fatalf("a refused and an abandoned filing made %d drafts, want none", n-before-2)
	}
}
