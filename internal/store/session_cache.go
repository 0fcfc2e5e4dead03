package store

import (
	"sync"
	"time"
)

// Every authenticated request resolves its token (SessionByToken): on a
// busy server that read was one database round trip of a transition's
// five, for a row that changes only when its user logs out or is edited.
// A session read is kept for sessionCacheTTL. What this process changes
// (a logout, an account edited or disabled) takes effect at once: it drops
// the entries it touches. What another process changes (another instance
// behind the load balancer, the `dakflow user` command) takes effect
// within sessionCacheTTL. Expiry is checked on every use, against the
// store's clock.

// sessionCacheTTL is how long a session read answers for its token.
const sessionCacheTTL = time.Second

// sessionCacheMax bounds the entries: only sessions that exist are kept,
// but a burst of them must not grow the map without end. Past it the cache
// starts over.
const sessionCacheMax = 20000

// sessionCache holds recent session reads by token hash. Its zero value
// is ready.
type sessionCache struct {
	mu      sync.Mutex
	entries map[string]cachedSession
	// gen counts the drops: a read that began before one is not kept, so
	// that a logout racing a read of the same session is never undone.
	gen uint64
}

type cachedSession struct {
	sess   Session
	readAt time.Time // wall clock with its monotonic reading, not the store's clock
}

// get returns the session read for hash less than sessionCacheTTL ago,
// if it has not expired by now.
func (c *sessionCache) get(hash string, now time.Time) (Session, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[hash]
	if !ok {
		return Session{}, false
	}
	if time.Since(e.readAt) >= sessionCacheTTL || !now.Before(e.sess.ExpiresAt) {
		delete(c.entries, hash)
		return Session{}, false
	}
	return e.sess, true
}

// generation is the count of drops so far, taken before a read.
func (c *sessionCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put keeps a session read that began at generation gen, unless something
// was dropped since.
func (c *sessionCache) put(hash string, sess Session, gen uint64, readAt time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.entries == nil || len(c.entries) >= sessionCacheMax {
		c.entries = make(map[string]cachedSession)
	}
	c.entries[hash] = cachedSession{sess: sess, readAt: readAt}
}

// drop forgets the session of hash.
func (c *sessionCache) drop(hash string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	delete(c.entries, hash)
}

// dropAll forgets every session, as when an account changes.
func (c *sessionCache) dropAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.entries)
}
