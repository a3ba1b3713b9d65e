package runs

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/listing"
)

// Listing runs (reference flows-api.md §5 "Query params", §16.2-§16.4): without a role filter only
// the caller's own runs; filter_roles means "any of"; page size 20 by default, at most 50; the
// marker encodes the whole query, so other arguments are ignored when it is given.

// Query is a GET /runs (or /flows/{id}/runs) query; its JSON form is the pagination marker.
type Query struct {
	Roles          []string `json:"roles,omitempty"`
	Role           string   `json:"role,omitempty"`
	Status         []string `json:"status,omitempty"`
	Label          []string `json:"label,omitempty"`
	FlowTitle      []string `json:"flow_title,omitempty"`
	FlowIDs        []string `json:"flow_ids,omitempty"`
	StartTime      string   `json:"start_time,omitempty"`
	CompletionTime string   `json:"completion_time,omitempty"`
	OrderBy        []string `json:"orderby,omitempty"`
	PerPage        int      `json:"per_page,omitempty"`
	Offset         int      `json:"offset,omitempty"`
}

// Page is one page of runs.
type Page struct {
	Runs        []Document
	Limit       int
	HasNextPage bool
	Marker      string
}

// roleFilters accepts the singular spellings the SDK and CLI send and the plural ones of the OAS enum.
var roleFilters = map[string]string{
	"run_owner": "run_owner", "run_manager": "run_manager", "run_managers": "run_manager",
	"run_monitor": "run_monitor", "run_monitors": "run_monitor",
	"flow_run_manager": "flow_run_manager", "flow_run_managers": "flow_run_manager",
	"flow_run_monitor": "flow_run_monitor", "flow_run_monitors": "flow_run_monitor",
}

var statuses = []string{Active, Inactive, Succeeded, Failed, Ended}

var orderFields = map[string]func(a, b *Record) int{
	"id":              func(a, b *Record) int { return cmp.Compare(a.ID, b.ID) },
	"start_time":      func(a, b *Record) int { return a.StartTime.Compare(b.StartTime) },
	"completion_time": func(a, b *Record) int { return compareOptionalTime(a.CompletionTime, b.CompletionTime) },
	"status":          func(a, b *Record) int { return cmp.Compare(a.Status, b.Status) },
	"label":           func(a, b *Record) int { return cmp.Compare(strings.ToLower(a.Label), strings.ToLower(b.Label)) },
}

func compareOptionalTime(a, b *time.Time) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1 // still running: after every finished run
	case b == nil:
		return -1
	}
	return a.Compare(*b)
}

// DefaultOrder lists the most recently started runs first.
var DefaultOrder = []string{"start_time DESC"}

// timeRange is a half-open [from, to) range; zero ends are open.
type timeRange struct{ from, to time.Time }

func parseTime(s string) (time.Time, error) {
	// A "+00:00" offset sent unencoded in a query string arrives as " 00:00".
	if i := strings.LastIndexByte(s, ' '); i > 0 && strings.Contains(s[:i], "T") {
		s = s[:i] + "+" + s[i+1:]
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, listing.BadQuery("Invalid datetime %q: expected ISO 8601", s)
}

// parseRange reads "DT1,DT2", "DT,", ",DT" or "DT" (the same as "DT,").
func parseRange(name, v string) (*timeRange, error) {
	if v == "" {
		return nil, nil
	}
	from, to, _ := strings.Cut(v, ",")
	var r timeRange
	var err error
	if from = strings.TrimSpace(from); from != "" {
		if r.from, err = parseTime(from); err != nil {
			return nil, listing.BadQuery("Invalid %s: %v", name, err.(*apierr.Error).Detail)
		}
	}
	if to = strings.TrimSpace(to); to != "" {
		if r.to, err = parseTime(to); err != nil {
			return nil, listing.BadQuery("Invalid %s: %v", name, err.(*apierr.Error).Detail)
		}
	}
	return &r, nil
}

func (r *timeRange) contains(t *time.Time) bool {
	if r == nil {
		return true
	}
	if t == nil {
		return false
	}
	return (r.from.IsZero() || !t.Before(r.from)) && (r.to.IsZero() || t.Before(r.to))
}

// matcher is a parsed query.
type matcher struct {
	q                 Query
	started, complete *timeRange
	order             []listing.Order[*Record]
}

func (q Query) parse() (*matcher, error) {
	m := &matcher{q: q}
	for _, r := range q.Roles {
		if _, ok := roleFilters[r]; !ok {
			return nil, listing.BadQuery("Invalid filter_roles value %q", r)
		}
	}
	for _, st := range q.Status {
		if !slices.Contains(statuses, st) {
			return nil, listing.BadQuery("Invalid filter_status value %q: expected one of %s", st, strings.Join(statuses, ", "))
		}
	}
	var err error
	if m.started, err = parseRange("filter_start_time", q.StartTime); err != nil {
		return nil, err
	}
	if m.complete, err = parseRange("filter_completion_time", q.CompletionTime); err != nil {
		return nil, err
	}
	if m.order, err = listing.ParseOrder(q.OrderBy, DefaultOrder, orderFields); err != nil {
		return nil, err
	}
	if m.q.PerPage, err = listing.PerPage(q.PerPage); err != nil {
		return nil, err
	}
	return m, nil
}

func (m *matcher) matches(r *Record, a access) bool {
	q := m.q
	roles := a.roles()
	switch {
	case len(q.Roles) > 0:
		if !slices.ContainsFunc(q.Roles, func(want string) bool { return slices.Contains(roles, roleFilters[want]) }) {
			return false
		}
	case q.Role != "":
		if !slices.Contains(roles, roleFilters[q.Role]) {
			return false
		}
	default:
		if !a.owner {
			return false
		}
	}
	if len(q.Status) > 0 && !slices.Contains(q.Status, r.Status) {
		return false
	}
	if len(q.Label) > 0 && !listing.ContainsAny(q.Label, r.Label) {
		return false
	}
	if len(q.FlowTitle) > 0 && !listing.ContainsAny(q.FlowTitle, r.FlowTitle) {
		return false
	}
	if len(q.FlowIDs) > 0 && !slices.Contains(q.FlowIDs, r.FlowID) {
		return false
	}
	start := r.StartTime
	return m.started.contains(&start) && m.complete.contains(r.CompletionTime)
}

// DecodeMarker reads the query a marker encodes.
func DecodeMarker(marker string, query any) error { return listing.DecodeMarker(marker, query) }

// List returns a page of the runs the caller may see that match the query.
func (s *Store) List(c auth.Caller, q Query) (Page, error) {
	m, err := q.parse()
	if err != nil {
		return Page{}, err
	}
	principals := c.Principals()
	if p, ok := s.ownRuns(principals, q, m); ok {
		return p, nil
	}
	return s.scan(principals, q, m), nil
}

// scan answers any listing by looking at every run.
func (s *Store) scan(principals map[string]bool, q Query, m *matcher) Page {
	s.mu.RLock()
	all := make([]*run, 0, len(s.runs))
	for _, r := range s.runs {
		all = append(all, r)
	}
	s.mu.RUnlock()
	type hit struct {
		rec *Record
		a   access
	}
	roles := flowRoles{flows: s.flows}
	var hits []hit
	for _, r := range all {
		managers, monitors := roles.of(r.FlowID)
		r.mu.Lock()
		a := r.accessLocked(principals, managers, monitors)
		if a.canView() && m.matches(&r.Record, a) {
			// A shallow copy is safe: a run's fields, and the JSON values they hold, are
			// replaced, never changed in place.
			rec := r.Record
			hits = append(hits, hit{rec: &rec, a: a})
		}
		r.mu.Unlock()
	}
	records := make([]*Record, len(hits))
	byRecord := make(map[*Record]access, len(hits))
	for i, h := range hits {
		records[i], byRecord[h.rec] = h.rec, h.a
	}
	listing.Sort(records, m.order, func(r *Record) string { return r.ID })
	win := listing.Slice(len(records), q.Offset, m.q.PerPage)
	page := s.page(q, m.q.PerPage, win)
	for _, rec := range records[win.Start:win.End] {
		page.Runs = append(page.Runs, s.listed(&run{Record: *rec}, byRecord[rec]))
	}
	return page
}

// flowRoles looks up each flow's run_managers and run_monitors once per listing.
type flowRoles struct {
	flows Flows
	seen  map[string][2][]string
}

func (f *flowRoles) of(flowID string) (managers, monitors []string) {
	if r, ok := f.seen[flowID]; ok {
		return r[0], r[1]
	}
	managers, monitors = f.flows.RunRoles(flowID)
	if f.seen == nil {
		f.seen = map[string][2][]string{}
	}
	f.seen[flowID] = [2][]string{managers, monitors}
	return managers, monitors
}

// listed renders a run for a listing: listings never show the details of high-assurance runs.
func (s *Store) listed(r *run, a access) Document {
	doc := r.renderLocked(a)
	if s.flows.IsHighAssurance(r.FlowID) {
		doc.Details = nil
	}
	return doc
}

// page starts a page for a window, with the marker of the next one.
func (s *Store) page(q Query, per int, win listing.Window) Page {
	page := Page{Runs: make([]Document, 0, win.End-win.Start), Limit: per}
	if win.More {
		next := q
		next.Offset, next.PerPage = win.End, per
		page.HasNextPage, page.Marker = true, listing.EncodeMarker(next)
	}
	return page
}

// ownRuns answers the default listing (the caller's own runs, most recently started first, no
// other filter), of every flow or of one (filter_flow_id, GET /flows/{id}/runs), from the owner
// indexes; ok is false for any other query, or for a caller who started runs under several
// identities.
func (s *Store) ownRuns(principals map[string]bool, q Query, m *matcher) (Page, bool) {
	flowIDs := slices.Compact(slices.Sorted(slices.Values(q.FlowIDs)))
	if len(q.Roles) > 0 || q.Role != "" || len(q.Status)+len(q.Label)+len(q.FlowTitle) > 0 || len(flowIDs) > 1 ||
		q.StartTime != "" || q.CompletionTime != "" || (len(q.OrderBy) > 0 && !slices.Equal(q.OrderBy, DefaultOrder)) {
		return Page{}, false
	}
	index, key := s.byOwner, func(owner string) string { return owner }
	if len(flowIDs) == 1 {
		index, key = s.byOwnerFlow, func(owner string) string { return ownerFlow(owner, flowIDs[0]) }
	}
	s.mu.RLock()
	owner := ""
	for p := range principals {
		if strings.HasPrefix(p, auth.IdentityURNPrefix) && index.Len(key(p)) > 0 {
			if owner != "" {
				s.mu.RUnlock()
				return Page{}, false
			}
			owner = p
		}
	}
	win := listing.Slice(index.Len(key(owner)), q.Offset, m.q.PerPage)
	runs := index.Page(key(owner), win.Start, win.End-win.Start)
	s.mu.RUnlock()
	page := s.page(q, m.q.PerPage, win)
	roles := flowRoles{flows: s.flows}
	for _, r := range runs {
		managers, monitors := roles.of(r.FlowID)
		r.mu.Lock()
		a, rec := r.accessLocked(principals, managers, monitors), r.Record // a shallow copy, as in the scan
		r.mu.Unlock()
		page.Runs = append(page.Runs, s.listed(&run{Record: rec}, a))
	}
	return page, true
}

// ownerFlow is the key of an owner's runs of one flow in the byOwnerFlow index.
func ownerFlow(owner, flowID string) string { return owner + " " + flowID }

// LogQuery is a GET /runs/{id}/log query; its JSON form is the marker.
type LogQuery struct {
	Limit   int  `json:"limit"`
	Reverse bool `json:"reverse,omitempty"`
	Offset  int  `json:"offset,omitempty"`
}

// Log limits (reference flows-api.md §8).
const (
	DefaultLogLimit = 10
	MaxLogLimit     = 100
)

// LogPage is one page of a run's log.
type LogPage struct {
	Entries     []Entry
	Limit       int
	HasNextPage bool
	Marker      string
}

// Log returns a page of the run's log, oldest first unless reversed.
func (s *Store) Log(c auth.Caller, id string, q LogQuery) (LogPage, error) {
	if q.Limit == 0 {
		q.Limit = DefaultLogLimit
	}
	if q.Limit < 1 || q.Limit > MaxLogLimit {
		return LogPage{}, listing.BadQuery("limit must be between 1 and %d", MaxLogLimit)
	}
	r, _, err := s.find(c, id)
	if err != nil {
		return LogPage{}, err
	}
	entries := slices.Clone(r.Log)
	r.mu.Unlock()
	if q.Reverse {
		slices.Reverse(entries)
	}
	win := listing.Slice(len(entries), q.Offset, q.Limit)
	page := LogPage{Entries: entries[win.Start:win.End], Limit: q.Limit}
	if win.More {
		next := q
		next.Offset = win.End
		page.HasNextPage, page.Marker = true, listing.EncodeMarker(next)
	}
	return page, nil
}
