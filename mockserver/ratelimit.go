package mockserver

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/globus-conformance/kit/mockserver/apierr"
)

// Per-token rate limiting, off unless asked for (Options.RateLimit, --rate-limit, or PUT
// /_mock/rate-limit): each bearer token (or client id, or the anonymous caller) has a bucket of
// Burst requests refilled at PerSecond in wall time, since clients wait in wall time before they
// retry. A request beyond it answers 429 with Retry-After in the service's error format.

// RateLimit configures the limiter.
type RateLimit struct {
	PerSecond float64 `json:"per_second"`
	Burst     int     `json:"burst"`
}

func (l RateLimit) check() error {
	if !(l.PerSecond > 0 && l.PerSecond <= 1e6) {
		return apierr.Located([]any{"per_second"}, "per_second must be more than 0 and at most 1e6")
	}
	if l.Burst < 0 || l.Burst > 1e6 {
		return apierr.Located([]any{"burst"}, "burst must be between 0 and 1e6")
	}
	return nil
}

type bucket struct {
	tokens float64
	last   time.Time
}

type limiter struct {
	mu      sync.Mutex
	cfg     *RateLimit
	buckets map[string]*bucket
	now     func() time.Time
}

func newLimiter(cfg *RateLimit) *limiter {
	return &limiter{cfg: cfg, buckets: map[string]*bucket{}, now: time.Now}
}

func (l *limiter) set(cfg *RateLimit) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cfg, l.buckets = cfg, map[string]*bucket{}
}

func (l *limiter) config() *RateLimit {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.cfg
}

// take spends one request of key's bucket; when it is empty it says how long until one is back.
func (l *limiter) take(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cfg == nil {
		return true, 0
	}
	capacity := math.Max(1, float64(l.cfg.Burst))
	now := l.now()
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: capacity, last: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(capacity, b.tokens+now.Sub(b.last).Seconds()*l.cfg.PerSecond)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.cfg.PerSecond * float64(time.Second))
}

// callerKey is who a request counts against.
func callerKey(r *http.Request) string {
	if tok, ok := bearer(r); ok {
		return "token:" + tok
	}
	if id, _, ok := r.BasicAuth(); ok {
		return "client:" + id
	}
	return "anonymous"
}

// rateLimited answers 429 when the caller's bucket is empty.
func (s *Server) rateLimited(w http.ResponseWriter, r *http.Request, requestID string, j *journalEntry) bool {
	ok, wait := s.limiter.take(callerKey(r))
	if ok {
		return false
	}
	secs := int(math.Ceil(wait.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(max(1, secs)))
	status, body := errorResponse(serviceOf(r.URL.Path), apierr.New(apierr.RateLimited, "RateLimited",
		"Too many requests for this token; retry after %d s", max(1, secs)), requestID, r.URL.Path)
	j.Status, j.Fault = status, "rate limit"
	writeJSON(w, status, body)
	return true
}
