package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"dakflow/internal/store/dbtest"
)

// serveWorkers are the functions of serve's background goroutines, as a
// goroutine dump names them.
var serveWorkers = []string{
	"main.cmdServe",
	"main.(*publisher).run",
	"dakflow/internal/translog.(*Webhook).Run",
	"dakflow/internal/web.(*Server).RunExports",
	"dakflow/internal/web.(*Server).Start",
	"dakflow/internal/workflow.(*Engine).RunScheduler",
	"dakflow/internal/workflow.(*Engine).RunLinker",
}

// runningWorkers lists the serve workers some goroutine is still in.
func runningWorkers() []string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var out []string
	for _, w := range serveWorkers {
		if strings.Contains(string(buf), w+"(") {
			out = append(out, w)
		}
	}
	return out
}

// serveArgs are the arguments of a serve with every background worker
// running: the checkpoint webhook too, posting to a test server.
func serveArgs(t *testing.T, addr string) []string {
	t.Helper()
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(hook.Close)
	return []string{"serve", "--addr", addr, "--database-url", dbtest.URL(t), "--data-dir", t.TempDir(),
		"--checkpoint-webhook", hook.URL}
}

// TestServeStartFailure: when serve cannot listen (the address is taken)
// it cancels the workers it started and returns the error once they have
// stopped, before the store closes, instead of waiting for a shutdown
// that nobody asks for.
func TestServeStartFailure(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	args := serveArgs(t, taken.Addr().String())
	go func() { errc <- run(ctx, args, nil, io.Discard, io.Discard, nil) }()
	select {
	case err := <-errc:
		if err == nil || !strings.Contains(err.Error(), "address already in use") {
			t.Errorf("serve on a taken address = %v, want address already in use", err)
		}
	case <-time.After(30 * time.Second):
		cancel()
		<-errc
		t.Fatal("serve did not return when it could not listen")
	}
	if w := runningWorkers(); len(w) > 0 {
		t.Errorf("after serve returned, still running: %v", w)
	}
}

// TestServeJoinsWorkers: when its context ends, serve returns only after
// every background goroutine it started has stopped, so none of them
// touches the store after it closed.
func TestServeJoinsWorkers(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addrc := make(chan string, 1)
	errc := make(chan error, 1)
	args := serveArgs(t, "127.0.0.1:0")
	go func() { errc <- run(ctx, args, nil, io.Discard, io.Discard, func(addr string) { addrc <- addr }) }()
	select {
	case addr := <-addrc:
		resp, err := http.Get("http://" + addr + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	case err := <-errc:
		t.Fatalf("serve = %v before it listened", err)
	case <-time.After(30 * time.Second):
		t.Fatal("server did not start")
	}
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("serve = %v, want nil after its context ended", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not return after its context ended")
	}
	if w := runningWorkers(); len(w) > 0 {
		t.Errorf("after serve returned, still running: %v", w)
	}
}
