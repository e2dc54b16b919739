package gateway

import (
	"fmt"
	"testing"
	"time"
)

// TestLimiterBounded: a user's bucket is dropped once it is full again,
// and no more than maxLen are ever kept, the one idle longest dropped
// first.
func TestLimiterBounded(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	l := newUserLimiter(1, 2) // full again 2 s after its last use
	l.maxLen = 3
	for i := range 3 {
		if _, ok := l.allow(fmt.Sprint("user", i), start.Add(time.Duration(i)*time.Millisecond)); !ok {
			t.Fatalf("user %d refused", i)
		}
	}
	if _, ok := l.allow("user3", start.Add(time.Second)); !ok || l.size() != 3 {
		t.Fatalf("past maxLen: %d buckets kept", l.size())
	}
	if _, kept := l.users["user0"]; kept {
		t.Error("the bucket idle longest was kept")
	}
	l.allow("user3", start.Add(time.Second))
	if wait, ok := l.allow("user3", start.Add(time.Second)); ok || wait != time.Second {
		t.Errorf("user3's third request at once: wait %v, allowed %v", wait, ok)
	}
	l.allow("user4", start.Add(10*time.Second))
	if l.size() != 1 {
		t.Errorf("after 10 s idle, %d buckets kept, want only the new one", l.size())
	}
}
