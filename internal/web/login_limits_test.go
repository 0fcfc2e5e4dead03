package web_test

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"sync"
	"testing"

	"dakflow/internal/web/apitest"
)

// loginFrom posts an API login from the given loopback address.
func loginFrom(t *testing.T, base, from, username, password string) int {
	t.Helper()
	client := &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{
		LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}).DialContext}}
	body, _ := json.Marshal(map[string]string{"username": username, "password": password})
	resp, err := client.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("login from %s: %v", from, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestLoginLimits: parallel guesses count against each other, so at most
// five passwords are ever checked; the lock holds for the guessing address
// only, so an attacker cannot lock the owner out; usernames are one
// account whatever their case.
func TestLoginLimits(t *testing.T) {
	e := apitest.NewEnv(t)
	const n = 50
	codes := make(chan int, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes <- loginFrom(t, e.URL, "127.0.0.1", "auditor", "tebakan-salah")
		}()
	}
	wg.Wait()
	close(codes)
	counts := map[int]int{}
	for c := range codes {
		counts[c]++
	}
	if counts[http.StatusUnauthorized] > 5 || counts[http.StatusUnauthorized]+counts[http.StatusTooManyRequests] != n {
		t.Errorf("50 parallel wrong passwords: %v; want at most 5 checked (401), the rest 429", counts)
	}
	if got := loginFrom(t, e.URL, "127.0.0.1", "auditor", apitest.Password); got != http.StatusTooManyRequests {
		t.Errorf("right password from the guessing address = %d, want 429", got)
	}
	if got := loginFrom(t, e.URL, "127.0.0.2", "auditor", apitest.Password); got != http.StatusOK {
		t.Errorf("right password from another address = %d, want 200 (not locked out by someone else)", got)
	}
	if got := loginFrom(t, e.URL, "127.0.0.3", "AUDITOR", apitest.Password); got != http.StatusOK {
		t.Errorf("login as AUDITOR = %d, want 200 (usernames match without case)", got)
	}
	r := e.Admin.Do("POST", "/api/v1/users", map[string]any{"username": "Auditor", "role": "auditor", "full_name": "Auditor Kedua",
		"password": "kata-sandi-kedua-1"}, nil)
	if r.Status != http.StatusConflict {
		t.Errorf("creating Auditor beside auditor = %d %s, want 409", r.Status, r.Body)
	}
}
