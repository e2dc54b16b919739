package gateway

import (
	"fmt"
	"testing"
	"time"
)

// TestTokenCache: a token accepted is remembered, with its caller, from
// when it was checked until it expires; a clock set back, or its expiry
// passed, checks it again; and no more than maxLen are ever kept, the
// expired ones dropped first.
func TestTokenCache(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	who := caller{issuer: "https://idp.example", subject: "user-1", userID: "555000000001", roleProfileID: "555000000002"}
	var c tokenCache
	c.maxLen = 3
	if _, ok := c.get("token-1", start); ok {
		t.Fatal("a token never seen was found")
	}
	c.put("token-1", who, start.Add(time.Hour), start)
	tests := []struct {
		name  string
		at    time.Time
		found bool
	}{
		{"when checked", start, true},
		{"later", start.Add(59 * time.Minute), true},
		{"at its expiry", start.Add(time.Hour), false},
		{"after its expiry", start.Add(2 * time.Hour), false},
		{"before it was checked (a clock set back)", start.Add(-time.Second), false},
	}
	for _, tt := range tests {
		got, ok := c.get("token-1", tt.at)
		if ok != tt.found || ok && got != who {
			t.Errorf("%s: %+v, %v; want found %v", tt.name, got, ok, tt.found)
		}
	}
	if _, ok := c.get("token-2", start); ok {
		t.Error("another token was found")
	}

	c.put("token-2", who, start.Add(time.Minute), start)
	c.put("token-3", who, start.Add(time.Hour), start)
	c.put("token-4", who, start.Add(time.Hour), start.Add(2*time.Minute)) // token-2 has expired: dropped
	if _, ok := c.get("token-2", start); ok || c.size() != 3 {
		t.Errorf("past maxLen, with one expired: %d kept, the expired one found %v", c.size(), ok)
	}
	c.put("token-5", who, start.Add(time.Hour), start.Add(2*time.Minute)) // none expired: all dropped
	if _, ok := c.get("token-5", start.Add(2*time.Minute)); !ok || c.size() != 1 {
		t.Errorf("past maxLen, none expired: %d kept, the new one found %v; want only it", c.size(), ok)
	}
	for i := range 10 {
		c.put(fmt.Sprint("token-", 10+i), who, start.Add(time.Hour), start.Add(2*time.Minute))
	}
	if c.size() > 3 {
		t.Errorf("%d kept, more than maxLen", c.size())
	}
}
