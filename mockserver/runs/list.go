package runs

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/auth"
)

// Listing runs (reference flows-api.md §5 "Query params", §16.2-§16.4): without a role filter only
// the caller's own runs; filter_roles means "any of"; page size 20 by default, at most 50; the
// marker encodes the whole query, so other arguments are ignored when it is given.

// Page sizes of GET /runs.
const (
	DefaultPerPage = 20
	MaxPerPage     = 50
)

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

func badQuery(format string, args ...any) error {
	return apierr.New(apierr.BadRequest, "BAD_REQUEST", format, args...)
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

type order struct {
	cmp  func(a, b *Record) int
	desc bool
}

func parseOrder(criteria []string) ([]order, error) {
	if len(criteria) == 0 {
		criteria = DefaultOrder
	}
	var out []order
	for _, c := range criteria {
		f := strings.Fields(c)
		if len(f) == 0 || len(f) > 2 {
			return nil, badQuery("Invalid orderby criterion %q: expected \"FIELD ASC\" or \"FIELD DESC\"", c)
		}
		fn, ok := orderFields[f[0]]
		if !ok {
			return nil, badQuery("Invalid orderby field %q: supported fields are id, start_time, completion_time, status, label", f[0])
		}
		o := order{cmp: fn}
		if len(f) == 2 {
			switch strings.ToUpper(f[1]) {
			case "ASC":
			case "DESC":
				o.desc = true
			default:
				return nil, badQuery("Invalid orderby ordering %q: expected ASC or DESC", f[1])
			}
		}
		out = append(out, o)
	}
	return out, nil
}

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
	return time.Time{}, badQuery("Invalid datetime %q: expected ISO 8601", s)
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
			return nil, badQuery("Invalid %s: %v", name, err.(*apierr.Error).Detail)
		}
	}
	if to = strings.TrimSpace(to); to != "" {
		if r.to, err = parseTime(to); err != nil {
			return nil, badQuery("Invalid %s: %v", name, err.(*apierr.Error).Detail)
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
	order             []order
}

func (q Query) parse() (*matcher, error) {
	m := &matcher{q: q}
	for _, r := range q.Roles {
		if _, ok := roleFilters[r]; !ok {
			return nil, badQuery("Invalid filter_roles value %q", r)
		}
	}
	for _, st := range q.Status {
		if !slices.Contains(statuses, st) {
			return nil, badQuery("Invalid filter_status value %q: expected one of %s", st, strings.Join(statuses, ", "))
		}
	}
	var err error
	if m.started, err = parseRange("filter_start_time", q.StartTime); err != nil {
		return nil, err
	}
	if m.complete, err = parseRange("filter_completion_time", q.CompletionTime); err != nil {
		return nil, err
	}
	if m.order, err = parseOrder(q.OrderBy); err != nil {
		return nil, err
	}
	if q.PerPage < 0 || q.PerPage > MaxPerPage {
		return nil, badQuery("per_page must be between 1 and %d", MaxPerPage)
	}
	return m, nil
}

func containsFold(haystack string, needles []string) bool {
	h := strings.ToLower(haystack)
	return slices.ContainsFunc(needles, func(n string) bool { return strings.Contains(h, strings.ToLower(n)) })
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
	if len(q.Label) > 0 && !containsFold(r.Label, q.Label) {
		return false
	}
	if len(q.FlowTitle) > 0 && !containsFold(r.FlowTitle, q.FlowTitle) {
		return false
	}
	if len(q.FlowIDs) > 0 && !slices.Contains(q.FlowIDs, r.FlowID) {
		return false
	}
	start := r.StartTime
	return m.started.contains(&start) && m.complete.contains(r.CompletionTime)
}

// EncodeMarker and DecodeMarker turn a query into the opaque marker and back.
func EncodeMarker(v any) string {
	b, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeMarker parses a marker; one this mock did not make is a bad request.
func DecodeMarker(marker string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(marker)
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		return badQuery("Invalid marker: it was not issued by this service")
	}
	return nil
}

// List returns a page of the runs the caller may see that match the query.
func (s *Store) List(c auth.Caller, q Query) (Page, error) {
	m, err := q.parse()
	if err != nil {
		return Page{}, err
	}
	principals := c.Principals()
	s.mu.RLock()
	all := make([]*run, 0, len(s.runs))
	for _, r := range s.runs {
		all = append(all, r)
	}
	s.mu.RUnlock()
	type hit struct {
		rec Record
		a   access
	}
	flowRoles := map[string][2][]string{}
	var hits []hit
	for _, r := range all {
		roles, ok := flowRoles[r.FlowID]
		if !ok {
			managers, monitors := s.flows.RunRoles(r.FlowID)
			roles = [2][]string{managers, monitors}
			flowRoles[r.FlowID] = roles
		}
		r.mu.Lock()
		a := r.accessLocked(principals, roles[0], roles[1])
		if a.canView() && m.matches(&r.Record, a) {
			// A shallow copy is safe: a run's fields are replaced, never changed in place, and
			// rendering deep-copies what it shows.
			hits = append(hits, hit{rec: r.Record, a: a})
		}
		r.mu.Unlock()
	}
	slices.SortStableFunc(hits, func(x, y hit) int {
		for _, o := range m.order {
			if c := o.cmp(&x.rec, &y.rec); c != 0 {
				if o.desc {
					return -c
				}
				return c
			}
		}
		return cmp.Compare(x.rec.ID, y.rec.ID)
	})
	per := q.PerPage
	if per == 0 {
		per = DefaultPerPage
	}
	start := min(q.Offset, len(hits))
	end := min(start+per, len(hits))
	page := Page{Runs: make([]Document, 0, end-start), Limit: per}
	for _, h := range hits[start:end] {
		r := &run{Record: h.rec}
		page.Runs = append(page.Runs, r.renderLocked(h.a))
	}
	if end < len(hits) {
		next := q
		next.Offset, next.PerPage = end, per
		page.HasNextPage, page.Marker = true, EncodeMarker(next)
	}
	return page, nil
}

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
		return LogPage{}, badQuery("limit must be between 1 and %d", MaxLogLimit)
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
	start := min(q.Offset, len(entries))
	end := min(start+q.Limit, len(entries))
	page := LogPage{Entries: entries[start:end], Limit: q.Limit}
	if end < len(entries) {
		next := q
		next.Offset = end
		page.HasNextPage, page.Marker = true, EncodeMarker(next)
	}
	return page, nil
}
