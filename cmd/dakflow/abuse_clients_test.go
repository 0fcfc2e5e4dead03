package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// The clients of TestMemoryUnderAbuse: each speaks HTTP/1.1 over a raw
// connection, so that it can declare a body it never finishes, trickle
// one, or stop half-way through the headers, and it reads the answer while
// it is still sending, as an attacker's client would (net/http's client
// stops at the first failed write and may lose an early 413).

// Outcomes of a request that got no answer.
const (
	stillSending = "still sending at the end"
	closedSilent = "closed without an answer"
)

// tally counts the outcomes of the storm by what was sent, and keeps the
// problems; the clients never touch testing.T.
type tally struct {
	mu       sync.Mutex
	counts   map[string]map[string]int
	problems []string
}

func (t *tally) add(what, outcome string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.counts == nil {
		t.counts = map[string]map[string]int{}
	}
	if t.counts[what] == nil {
		t.counts[what] = map[string]int{}
	}
	t.counts[what][outcome]++
}

// check counts outcome and records a problem unless it is one of want.
func (t *tally) check(what, outcome string, want ...string) {
	t.add(what, outcome)
	if !slices.Contains(want, outcome) {
		t.mu.Lock()
		if len(t.problems) < 50 {
			t.problems = append(t.problems, fmt.Sprintf("%s: %s, want %s", what, outcome, strings.Join(want, " or ")))
		}
		t.mu.Unlock()
	}
}

// String lists every kind of request with its outcomes, one a line.
func (t *tally) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var lines []string
	for what, outcomes := range t.counts {
		var parts []string
		for o, n := range outcomes {
			parts = append(parts, fmt.Sprintf("%d × %s", n, o))
		}
		slices.Sort(parts)
		lines = append(lines, fmt.Sprintf("  %-58s %s", what, strings.Join(parts, ", ")))
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// rawRequest sends head (the request line and headers, without the blank
// line that ends them) and then whatever body writes, while reading the
// answer. It returns the answer's status code as text, stillSending when
// ctx ended first (the connection is then closed), or closedSilent when
// the server closed the connection without an answer.
func rawRequest(ctx context.Context, addr, head string, body func(io.Writer) error) string {
	conn, err := (&net.Dialer{Timeout: 10 * time.Second}).DialContext(ctx, "tcp", addr)
	if err != nil {
		if over(ctx) {
			return stillSending
		}
		return "dial: " + err.Error()
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	go func() { // ends with a write error once the connection is closed
		if _, err := io.WriteString(conn, head+"\r\n"); err == nil && body != nil {
			_ = body(conn)
		}
	}()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	switch {
	case err == nil:
		resp.Body.Close()
		return fmt.Sprint(resp.StatusCode)
	case over(ctx):
		return stillSending
	default:
		return closedSilent
	}
}

// over reports whether the storm is over: ctx is done, or its deadline
// passed (a dial fails at once after it, before a loaded machine's timer
// has ended ctx).
func over(ctx context.Context) bool {
	end, ok := ctx.Deadline()
	return ctx.Err() != nil || ok && !time.Now().Before(end)
}

// filler is what the clients send as the bulk of a body.
var filler = []byte(strings.Repeat("x", 64<<10))

// sendFast writes prefix and then filler up to n bytes in all (forever
// when n < 0), as fast as the server reads.
func sendFast(prefix []byte, n int64) func(io.Writer) error {
	return func(w io.Writer) error {
		if _, err := w.Write(prefix); err != nil {
			return err
		}
		for sent := int64(len(prefix)); n < 0 || sent < n; {
			chunk := filler
			if n >= 0 && int64(len(chunk)) > n-sent {
				chunk = chunk[:n-sent]
			}
			if _, err := w.Write(chunk); err != nil {
				return err
			}
			sent += int64(len(chunk))
		}
		return nil
	}
}

// sendChunked writes prefix and then filler, in chunked transfer coding,
// without end: every piece bytes, pausing pause between pieces (a
// trickle when pause > 0).
func sendChunked(prefix []byte, piece int, pause time.Duration) func(io.Writer) error {
	return func(w io.Writer) error {
		if _, err := fmt.Fprintf(w, "%x\r\n%s\r\n", len(prefix), prefix); err != nil {
			return err
		}
		for {
			if _, err := fmt.Fprintf(w, "%x\r\n%s\r\n", piece, filler[:piece]); err != nil {
				return err
			}
			time.Sleep(pause)
		}
	}
}

// sendSlice writes b, whole.
func sendSlice(b []byte) func(io.Writer) error {
	return func(w io.Writer) error { _, err := w.Write(b); return err }
}

// holdIdle opens a connection that sends nothing, or half a request's
// headers when half is set, and returns how long the server kept it open;
// ok is false when it was still open after wait.
func holdIdle(ctx context.Context, addr string, half bool, wait time.Duration) (open time.Duration, ok bool, err error) {
	conn, err := (&net.Dialer{Timeout: 10 * time.Second}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return 0, false, err
	}
	defer conn.Close()
	start := time.Now()
	if half {
		if _, err := io.WriteString(conn, "POST /api/v1/auth/login HTTP/1.1\r\nHost: dakflow\r\nContent-Le"); err != nil {
			return 0, false, err
		}
	}
	_ = conn.SetReadDeadline(start.Add(wait))
	_, err = io.Copy(io.Discard, conn) // until the server closes it
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return time.Since(start), false, nil
	}
	return time.Since(start), true, nil
}
