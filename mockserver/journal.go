package mockserver

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// The request journal (control plane GET/DELETE /_mock/requests): the last requests of the
// emulated services with what identifies their client (X-Globus-Client-Info, User-Agent), their
// status and any injected fault, so a client developer can assert what their client sent.

// JournalSize bounds the journal; older entries are forgotten.
const JournalSize = 1000

type journalEntry struct {
	Time   time.Time `json:"time"`
	Method string    `json:"method"`
	Path   string    `json:"path"`
	Query  string    `json:"query,omitempty"`
	Status int       `json:"status"`
	// ClientID is the client an Auth request authenticated as with HTTP Basic (never its secret),
	// GrantType the grant a token request asked for: what a provider's own calls show.
	ClientID   string  `json:"client_id,omitempty"`
	GrantType  string  `json:"grant_type,omitempty"`
	ClientInfo string  `json:"client_info,omitempty"`
	UserAgent  string  `json:"user_agent,omitempty"`
	RequestID  string  `json:"request_id"`
	Fault      string  `json:"fault,omitempty"`
	DurationMS float64 `json:"duration_ms"`
	// RequestBody and ResponseBody are filled in a listing that asks for bodies, masked.
	RequestBody  any  `json:"request_body,omitempty"`
	ResponseBody any  `json:"response_body,omitempty"`
	journaled    bool // already in the journal (a dropped connection)
	request      rawBody
	response     rawBody
}

type journalKey struct{}

// withJournal makes a request's journal entry reachable from its handler.
func withJournal(r *http.Request, e *journalEntry) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), journalKey{}, e))
}

// noteGrant records the grant a token request asked for in its journal entry.
func noteGrant(r *http.Request, grant string) {
	if e, ok := r.Context().Value(journalKey{}).(*journalEntry); ok {
		e.GrantType = grant
	}
}

// rawBody is the start of a body as it went through, masked only when it is shown (so serving
// a request costs a copy, not a parse).
type rawBody struct {
	data        []byte
	contentType string
	size        int
}

// journal is a ring of the last JournalSize entries: adding one never copies the others.
type journal struct {
	mu      sync.Mutex
	entries []journalEntry
	next    int // where the next entry goes once the ring is full
}

func (j *journal) add(e journalEntry) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if len(j.entries) < JournalSize {
		j.entries = append(j.entries, e)
		return
	}
	j.entries[j.next] = e
	j.next = (j.next + 1) % JournalSize
}

func (j *journal) clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries, j.next = nil, 0
}

// ordered returns the entries oldest first.
func (j *journal) orderedLocked() []journalEntry {
	return append(slices.Clone(j.entries[j.next:]), j.entries[:j.next]...)
}

// list returns the entries, oldest first, filtered by method, path pattern (as fault rules take
// them) and a substring of the client info or user agent.
func (j *journal) list(r *http.Request) []journalEntry {
	q := r.URL.Query()
	method, pattern, client := q.Get("method"), q.Get("path"), q.Get("client")
	bodies := q.Get("bodies") == "true"
	j.mu.Lock()
	defer j.mu.Unlock()
	out := []journalEntry{}
	for _, e := range j.orderedLocked() {
		switch {
		case method != "" && !strings.EqualFold(method, e.Method):
		case pattern != "" && !pathMatches(pattern, e.Path):
		case client != "" && !strings.Contains(e.ClientInfo, client) && !strings.Contains(e.UserAgent, client):
		default:
			if bodies {
				e.RequestBody, e.ResponseBody = e.request.shown(), e.response.shown()
			}
			out = append(out, e)
		}
	}
	return out
}
