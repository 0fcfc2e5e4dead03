package translog

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestWebhookErrorsHideToken: a failed post is logged, so its error names
// the receiver's host but not the path or query that may carry its token.
func TestWebhookErrorsHideToken(t *testing.T) {
	refused := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "no", http.StatusForbidden)
	}))
	defer refused.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	for _, base := range []string{refused.URL, closed} {
		w := NewWebhook(base+"/hook/s3cret-path?token=s3cret-token", slog.New(slog.NewTextHandler(io.Discard, nil)))
		err := w.Post(context.Background(), []byte("checkpoint\n"))
		if err == nil {
			t.Fatalf("Post(%s) = nil, want an error", base)
		}
		if strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), strings.TrimPrefix(base, "http://")) {
			t.Errorf("Post(%s) = %q, want the host without path or query", base, err)
		}
	}
}
