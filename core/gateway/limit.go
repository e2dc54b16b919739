package gateway

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// maxUsers bounds how many users' limits are kept at once.
const maxUsers = 10_000

// limiter is a token bucket per user. Its memory is bounded: a user's
// bucket is dropped once it has been idle long enough to be full again
// (when it is the same as a new one), and, past maxUsers, the bucket idle
// the longest is dropped first. It needs no goroutine: it tidies itself as
// requests come, which is all a Worker allows.
type limiter struct {
	rate   rate.Limit
	burst  int
	refill time.Duration // how long an empty bucket takes to fill

	mu     sync.Mutex
	users  map[string]*bucket
	sweep  time.Time // when idle buckets were last dropped
	maxLen int
}

type bucket struct {
	*rate.Limiter
	seen time.Time
}

func newUserLimiter(r float64, burst int) *limiter {
	refill := time.Duration(math.Ceil(float64(burst) / r * float64(time.Second)))
	return &limiter{rate: rate.Limit(r), burst: burst, refill: refill, users: map[string]*bucket{}, maxLen: maxUsers}
}

// allow takes one request of user's at now from its bucket; when the bucket
// is empty it takes nothing and returns how long until it may.
func (l *limiter) allow(user string, now time.Time) (wait time.Duration, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.sweep) >= l.refill {
		l.dropIdle(now)
	}
	b := l.users[user]
	if b == nil {
		if len(l.users) >= l.maxLen {
			l.dropIdle(now)
			if len(l.users) >= l.maxLen {
				l.dropOldest()
			}
		}
		b = &bucket{Limiter: rate.NewLimiter(l.rate, l.burst)}
		l.users[user] = b
	}
	b.seen = now
	r := b.ReserveN(now, 1)
	if !r.OK() {
		return l.refill, false
	}
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return d, false
	}
	return 0, true
}

// dropIdle drops the buckets that have filled up again.
func (l *limiter) dropIdle(now time.Time) {
	l.sweep = now
	for user, b := range l.users {
		if now.Sub(b.seen) >= l.refill {
			delete(l.users, user)
		}
	}
}

// dropOldest drops the bucket idle the longest.
func (l *limiter) dropOldest() {
	var oldest *string
	var seen time.Time
	for user, b := range l.users {
		if oldest == nil || b.seen.Before(seen) {
			oldest, seen = &user, b.seen
		}
	}
	if oldest != nil {
		delete(l.users, *oldest)
	}
}

// size returns how many buckets are kept.
func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.users)
}
