package store

// SessionCacheTTL is how long a session read answers, for the test that
// waits it out.
const SessionCacheTTL = sessionCacheTTL
