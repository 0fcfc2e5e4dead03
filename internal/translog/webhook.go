package translog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// Webhook posts signed checkpoints to a URL the database operator does not
// control (DAKFLOW_CHECKPOINT_WEBHOOK): the body is the note, text/plain.
// Offer never blocks; Run posts in the background and, after a failure,
// retries with a growing delay. Only the newest checkpoint is kept
// waiting: any two checkpoints can be proven consistent, so a receiver
// needs the latest one, not every one (and must accept one twice).
type Webhook struct {
	URL    string
	Client *http.Client
	Log    *slog.Logger
	// MinRetry and MaxRetry bound the delay between tries (30 s and 10 min
	// when zero).
	MinRetry, MaxRetry time.Duration

	mu    sync.Mutex
	next  []byte
	ready chan struct{}
}

// NewWebhook returns a webhook poster for url.
func NewWebhook(url string, log *slog.Logger) *Webhook {
	return &Webhook{URL: url, Client: &http.Client{Timeout: 15 * time.Second}, Log: log, ready: make(chan struct{}, 1)}
}

// Offer queues msg to be posted, replacing any checkpoint still waiting.
func (w *Webhook) Offer(msg []byte) {
	w.mu.Lock()
	w.next = msg
	w.mu.Unlock()
	select {
	case w.ready <- struct{}{}:
	default:
	}
}

// Post sends one checkpoint now.
func (w *Webhook) Post(ctx context.Context, msg []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(msg))
	if err != nil {
		return redactErr(err)
	}
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	resp, err := w.Client.Do(req)
	if err != nil {
		return redactErr(err)
	}
	defer resp.Body.Close()
	// Drained so the connection is reused; the status is the answer, and a
	// body cut short costs only that reuse.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("checkpoint webhook: %s answered %s", redactURL(w.URL), resp.Status)
	}
	return nil
}

// Run posts what is offered until ctx ends; a failed post is logged and
// tried again later, unless a newer checkpoint replaces it meanwhile.
func (w *Webhook) Run(ctx context.Context) {
	minRetry, maxRetry := w.MinRetry, w.MaxRetry
	if minRetry <= 0 {
		minRetry = 30 * time.Second
	}
	if maxRetry < minRetry {
		maxRetry = max(minRetry, 10*time.Minute)
	}
	delay := minRetry
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.ready:
		}
		w.mu.Lock()
		msg := w.next
		w.next = nil
		w.mu.Unlock()
		if msg == nil {
			continue
		}
		if err := w.Post(ctx, msg); err != nil {
			if ctx.Err() != nil {
				return
			}
			w.Log.Warn("checkpoint webhook failed; will retry", "err", err, "retry_in", delay)
			w.mu.Lock()
			if w.next == nil {
				w.next = msg
			}
			w.mu.Unlock()
			select {
			case <-ctx.Done():
				return
			case <-time.After(delay):
			}
			delay = min(2*delay, maxRetry)
			select { // try again with what is waiting now
			case w.ready <- struct{}{}:
			default:
			}
			continue
		}
		delay = minRetry
	}
}

// redactErr wraps a failed post without the URL's path and query (the
// error is logged).
func redactErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = redactURL(ue.URL)
	}
	return fmt.Errorf("checkpoint webhook: %w", err)
}

// redactURL keeps a webhook URL's scheme and host for logs: its path and
// query may carry the receiver's token.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(webhook URL)"
	}
	return u.Scheme + "://" + u.Host + "/…"
}
