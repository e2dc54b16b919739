package gateway

import (
	"crypto/sha256"
	"sync"
	"time"
)

// maxTokens bounds how many accepted tokens are remembered at once.
const maxTokens = 10_000

// tokenCache remembers the tokens the gateway accepted, by their SHA-256,
// with the caller each names and until when it holds. A portal sends the
// same token with every request until it expires; remembered, it is not
// parsed and its signature not checked again, only its expiry. The answer
// is the same as checking it whole: what a token says cannot change, and
// of its times only the expiry can refuse it later. A token refused is
// never remembered, and new keys start a new cache (SetKeys).
//
// Its memory is bounded: past maxLen tokens, the expired ones are dropped,
// then, if none had, all of them.
type tokenCache struct {
	mu      sync.Mutex
	entries map[[sha256.Size]byte]acceptedToken
	maxLen  int // 0: maxTokens
}

// acceptedToken is a token accepted, with its caller.
type acceptedToken struct {
	caller caller
	// checked is when it was checked whole, and expires when it is refused
	// from: its exp plus the leeway.
	checked, expires time.Time
}

// get returns the caller of token, if it was accepted and holds at now: from
// when it was checked (a clock set back checks it again) until it expires.
func (c *tokenCache) get(token string, now time.Time) (caller, bool) {
	sum := sha256.Sum256([]byte(token))
	c.mu.Lock()
	t, ok := c.entries[sum]
	c.mu.Unlock()
	if !ok || now.Before(t.checked) || !now.Before(t.expires) {
		return caller{}, false
	}
	return t.caller, true
}

// put remembers token, checked whole at now, as naming who until expires.
func (c *tokenCache) put(token string, who caller, expires, now time.Time) {
	sum := sha256.Sum256([]byte(token))
	c.mu.Lock()
	defer c.mu.Unlock()
	maxLen := c.maxLen
	if maxLen == 0 {
		maxLen = maxTokens
	}
	if len(c.entries) >= maxLen {
		for k, t := range c.entries {
			if !now.Before(t.expires) {
				delete(c.entries, k)
			}
		}
	}
	if c.entries == nil || len(c.entries) >= maxLen {
		c.entries = make(map[[sha256.Size]byte]acceptedToken)
	}
	c.entries[sum] = acceptedToken{caller: who, checked: now, expires: expires}
}

// size returns how many tokens are remembered.
func (c *tokenCache) size() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
