package web_test

import (
	"bytes"
	"context"
	"fmt"
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
		Templates: templates.FS, Keys: e.Keys, ReadHeaderTimeout: 300 * time.Millisecond, ReadTimeout: time.Second, IdleTimeout: 300 * time.Millisecond,
		WriteTimeout: 300 * time.Millisecond})
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

	// A client that asks for a 12 MiB file and stops reading is dropped
	// once a write has waited WriteTimeout: the rest never comes.
	id := e.Create(t, "revitalisasi", false)
	file := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte{0x9c, 0x11, 0x5a, 0xe3}, 3<<20)...)
	up := e.Pemda.Upload(id, "surat_usulan", "besar.pdf", file)
	if up.Status != http.StatusCreated {
		t.Fatalf("upload = %d %s", up.Status, up.Body)
	}
	var att struct{ ID int64 }
	up.Decode(t, &att)
	stalled, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer stalled.Close()
	// A small receive window, so that the file cannot all wait in the
	// loopback's buffers (several MiB each way when they grow).
	if err := stalled.(*net.TCPConn).SetReadBuffer(16 << 10); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(stalled, "GET /api/v1/attachments/%d/file HTTP/1.1\r\nHost: dakflow\r\nAuthorization: Bearer %s\r\n\r\n", att.ID, e.Pemda.Token)
	// Wait for the answer to begin (reading the file from a busy database
	// may take a while), then stop reading for five write timeouts.
	_ = stalled.SetReadDeadline(time.Now().Add(30 * time.Second))
	first := make([]byte, 1)
	if _, err := io.ReadFull(stalled, first); err != nil {
		t.Fatalf("the download never began: %v", err)
	}
	time.Sleep(1500 * time.Millisecond)
	_ = stalled.SetReadDeadline(time.Now().Add(5 * time.Second))
	got, _ := io.Copy(io.Discard, stalled)
	got += int64(len(first))
	if got >= int64(len(file)) {
		t.Errorf("a client that stopped reading for 1.5 s still got all %d bytes: no write timeout", got)
	}

	resp, err := http.Get("http://" + addr + "/readyz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("/readyz after slow clients = %v, %v", resp, err)
	}
	resp.Body.Close()
}
