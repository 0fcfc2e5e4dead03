package web_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"dakflow/internal/web"
	"dakflow/internal/web/apitest"
	"dakflow/templates"
)

// TestSlowClientsClosed: a connection that sends half a request, or sits
// idle, is closed by the server's own timeouts (PRODUCT.md §7), while
// /readyz keeps answering.
func TestSlowClientsClosed(t *testing.T) {
	e := apitest.NewEnv(t)
	w, err := web.New(e.Store, e.Engine, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Config{BaseURL: e.URL,
		Templates: templates.FS, Keys: e.Keys, ReadHeaderTimeout: 300 * time.Millisecond, ReadTimeout: time.Second, IdleTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- w.Start(ctx, "127.0.0.1:0", func(a string) { addrc <- a }) }()
	t.Cleanup(func() { cancel(); <-done })
	addr := <-addrc

	closedWithin := func(name string, conn net.Conn, limit time.Duration) {
		t.Helper()
		start := time.Now()
		_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		buf := make([]byte, 4096)
		for {
			if _, err := conn.Read(buf); err != nil {
				if ne, ok := err.(net.Error); ok && ne.Timeout() {
					t.Fatalf("%s: the server kept the connection open for 5 s", name)
				}
				break
			}
		}
		if d := time.Since(start); d > limit {
			t.Errorf("%s: closed after %v, want within %v", name, d, limit)
		}
	}
	half, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer half.Close()
	if _, err := half.Write([]byte("GET /readyz HTTP/1.1\r\nHost: dakflow\r\nX-Slow: ")); err != nil {
		t.Fatal(err)
	}
	closedWithin("half a request", half, 3*time.Second)

	idle, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	closedWithin("an idle connection", idle, 3*time.Second)

	resp, err := http.Get("http://" + addr + "/readyz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("/readyz after slow clients = %v, %v", resp, err)
	}
	resp.Body.Close()
}
