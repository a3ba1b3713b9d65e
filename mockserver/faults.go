package mockserver

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/ids"
)

// Fault injection, for client developers testing retry logic (control plane POST/DELETE
// /_mock/faults, or a one-shot request header). A rule matches requests by operation id, or by
// method and path pattern; it answers a service error (429 with Retry-After, 500, 502, 503) in
// the service's own error document, adds latency, or drops the connection; a number of times or
// with a probability. Every injected fault shows in the request journal.

// FaultHeader asks for a fault on one request: "503", "429", "drop", or a comma list such as
// "status=429,retry_after=2,latency_ms=100".
const FaultHeader = "X-Mock-Fault"

// Fault is one fault rule.
type Fault struct {
	ID          string  `json:"id,omitempty"`          // chosen by the mock when the rule is added
	Operation   string  `json:"operation,omitempty"`   // an OpenAPI operationId
	Method      string  `json:"method,omitempty"`      // with Path: an HTTP method ("" for any)
	Path        string  `json:"path,omitempty"`        // a path pattern: * matches one segment, a trailing /** the rest
	Status      int     `json:"status,omitempty"`      // 503 (default when nothing else is asked), 429, 500 or 502
	Code        string  `json:"code,omitempty"`        // default: the status's usual code
	Message     string  `json:"message,omitempty"`     // default: a sentence naming the fault
	RetryAfter  int     `json:"retry_after,omitempty"` // seconds, sent as Retry-After
	LatencyMS   int     `json:"latency_ms,omitempty"`  // wall-clock delay before answering
	Drop        bool    `json:"drop,omitempty"`        // close the connection without an answer
	Times       int     `json:"times,omitempty"`       // how many requests it still affects; 0 means until removed
	Probability float64 `json:"probability,omitempty"` // chance (0..1] that a matching request is affected; 0 means always
}

var faultKinds = map[int]struct {
	kind apierr.Kind
	code string
}{
	503: {apierr.Unavailable, "ServiceUnavailable"},
	429: {apierr.RateLimited, "RateLimited"},
	502: {apierr.Upstream, "UpstreamError"},
	500: {apierr.Internal, "InternalError"},
}

// check completes a rule and refuses a malformed one.
func (f *Fault) check(known func(op string) bool) error {
	bad := func(format string, args ...any) error {
		return apierr.New(apierr.Invalid, "UNPROCESSABLE_ENTITY", format, args...)
	}
	if f.Status == 0 && f.LatencyMS == 0 && !f.Drop {
		f.Status = 503
	}
	if f.Status != 0 {
		k, ok := faultKinds[f.Status]
		if !ok {
			return bad("status must be 503, 429, 500 or 502")
		}
		if f.Code == "" {
			f.Code = k.code
		}
		if f.Message == "" {
			f.Message = "The service is temporarily unable to handle the request (injected fault)"
		}
	}
	if f.Operation != "" && known != nil && !known(f.Operation) {
		return bad("unknown operation %q: use an operationId of openapi/", f.Operation)
	}
	if f.Path != "" && !strings.HasPrefix(f.Path, "/") {
		return bad("path must be an absolute path pattern")
	}
	if f.Times < 0 {
		return apierr.Located([]any{"times"}, "times may not be negative (0: until removed)")
	}
	if !(f.Probability >= 0 && f.Probability <= 1) {
		return apierr.Located([]any{"probability"}, "probability must be between 0 and 1")
	}
	if f.LatencyMS < 0 || f.LatencyMS > MaxFaultLatencyMS {
		return apierr.Located([]any{"latency_ms"}, "latency_ms must be between 0 and %d (10 minutes)", MaxFaultLatencyMS)
	}
	if f.RetryAfter < 0 || f.RetryAfter > MaxRetryAfter {
		return apierr.Located([]any{"retry_after"}, "retry_after must be between 0 and %d seconds (a day)", MaxRetryAfter)
	}
	return nil
}

// Bounds of a fault's delays: longer than any client waits for an answer, or before a retry.
const (
	MaxFaultLatencyMS = 600_000 // 10 minutes
	MaxRetryAfter     = 86_400  // a day
)

// matches reports whether a rule applies to a request (op is its operation id, if any).
func (f *Fault) matches(r *http.Request, op string) bool {
	if f.Operation != "" && f.Operation != op {
		return false
	}
	if f.Method != "" && !strings.EqualFold(f.Method, r.Method) {
		return false
	}
	if f.Path != "" && !pathMatches(f.Path, r.URL.Path) {
		return false
	}
	return f.Operation != "" || f.Method != "" || f.Path != ""
}

// pathMatches matches "/runs/*/cancel" or "/v0.10/**" against a request path.
func pathMatches(pattern, p string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "/**"); ok {
		return p == prefix || strings.HasPrefix(p, prefix+"/")
	}
	ok, err := path.Match(pattern, p)
	return err == nil && ok
}

// describe names a fault for the journal.
func (f Fault) describe() string {
	var parts []string
	if f.Status != 0 {
		parts = append(parts, fmt.Sprintf("status %d %s", f.Status, f.Code))
	}
	if f.RetryAfter > 0 {
		parts = append(parts, fmt.Sprintf("retry-after %ds", f.RetryAfter))
	}
	if f.LatencyMS > 0 {
		parts = append(parts, fmt.Sprintf("latency %dms", f.LatencyMS))
	}
	if f.Drop {
		parts = append(parts, "connection dropped")
	}
	return strings.Join(parts, ", ")
}

type faults struct {
	mu   sync.Mutex
	list []Fault
}

func (fs *faults) add(in Fault, known func(op string) bool) (Fault, error) {
	if in.ID != "" {
		return Fault{}, apierr.Located([]any{"id"}, "a fault's id is chosen by the mock")
	}
	if err := in.check(known); err != nil {
		return Fault{}, err
	}
	if in.Operation == "" && in.Method == "" && in.Path == "" {
		return Fault{}, apierr.New(apierr.Invalid, "UNPROCESSABLE_ENTITY", "a fault needs an operation, or a method and a path pattern")
	}
	in.ID = ids.UUID()
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.list = append(fs.list, in)
	return in, nil
}

// rules returns copies of the rules in the order they apply, with the times they have left.
func (fs *faults) rules() []Fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]Fault{}, fs.list...)
}

// remove deletes one rule; it reports whether the rule was there.
func (fs *faults) remove(id string) bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	n := len(fs.list)
	fs.list = slices.DeleteFunc(fs.list, func(f Fault) bool { return f.ID == id })
	return len(fs.list) < n
}

func (fs *faults) clear() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.list = nil
}

func (fs *faults) empty() bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return len(fs.list) == 0
}

// take returns the fault that applies to a request, counting it down; nil when none does.
func (fs *faults) take(r *http.Request, op string) *Fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i := range fs.list {
		f := &fs.list[i]
		if !f.matches(r, op) || (f.Probability > 0 && rand.Float64() >= f.Probability) {
			continue
		}
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				fs.list = append(fs.list[:i:i], fs.list[i+1:]...)
			}
		}
		out := *f
		return &out
	}
	return nil
}

// headerFault parses the one-shot fault header.
func headerFault(v string) (*Fault, error) {
	f := &Fault{Method: "*"}
	for _, part := range strings.Split(v, ",") {
		key, val, hasVal := strings.Cut(strings.TrimSpace(part), "=")
		n, err := strconv.Atoi(val)
		switch {
		case !hasVal && key == "drop":
			f.Drop = true
		case !hasVal:
			if f.Status, err = strconv.Atoi(key); err != nil {
				return nil, fmt.Errorf("unknown fault %q", key)
			}
		case err != nil:
			return nil, fmt.Errorf("fault %s needs a number", key)
		case key == "status":
			f.Status = n
		case key == "retry_after":
			f.RetryAfter = n
		case key == "latency_ms":
			f.LatencyMS = n
		default:
			return nil, fmt.Errorf("unknown fault setting %q", key)
		}
	}
	if err := f.check(nil); err != nil {
		return nil, err
	}
	return f, nil
}

// injectFault applies a fault to a request: it may wait, drop the connection or answer an error.
// It reports whether the request was answered (or dropped) here.
func (s *Server) injectFault(w http.ResponseWriter, r *http.Request, f *Fault, requestID string, j *journalEntry) bool {
	j.Fault = f.describe()
	if f.LatencyMS > 0 {
		time.Sleep(time.Duration(f.LatencyMS) * time.Millisecond)
	}
	if f.Drop {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				// Journaled before the client can notice the drop, so a client that retries
				// finds it there.
				j.Status, j.journaled = 0, true
				s.journal.add(*j)
				_ = conn.Close()
				return true
			}
		}
		// Without a connection to drop (an in-process client), answer what a proxy would.
		f.Status, f.Code, f.Message = 502, "UpstreamError", "The connection was dropped (injected fault)"
	}
	if f.Status == 0 {
		return false
	}
	if f.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
	}
	status, body := errorResponse(serviceOf(r.URL.Path), apierr.New(faultKinds[f.Status].kind, f.Code, "%s", f.Message), requestID, r.URL.Path)
	j.Status = status
	writeJSON(w, status, body)
	return true
}
