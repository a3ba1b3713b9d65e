package mockserver

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/globus-conformance/kit/openapi"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// The fidelity test: every answer the Python SDK records for an operation this mock serves
// (globus_sdk.testing.data, extracted by scripts/extract-sdk-fixtures.py into
// testdata/sdk-fixtures.json) is asked of the mock, in a world arranged so that the request can
// succeed or fail as the recorded one did, and the mock's answer must have the recorded shape:
// the same status, the same keys, the same JSON types, the same formats of timestamps, UUIDs and
// URNs, the same DATA_TYPEs and error codes. Values differ; shapes must not. Every difference the
// mock chooses is listed, with its reason, in testdata/fidelity-allowlist.tsv; a difference not
// listed, or a listed one that no longer occurs, fails the test.

const (
	sdkFixturesFile = "testdata/sdk-fixtures.json"
	allowlistFile   = "testdata/fidelity-allowlist.tsv"
)

// sdkFixture is one recorded response of the SDK's test data, with the request it answers.
type sdkFixture struct {
	Service  string            `json:"service"`
	Module   string            `json:"module"` // the SDK method, e.g. get_endpoint
	Case     string            `json:"case"`
	Index    int               `json:"index"` // the place in a series (pages)
	Method   string            `json:"method"`
	Path     string            `json:"path"`
	Status   int               `json:"status"`
	JSON     any               `json:"json"`
	Metadata map[string]any    `json:"metadata"`
	Query    map[string]string `json:"query"` // what the request's query must hold, when the SDK says
	Body     any               `json:"body"`  // what the request's JSON body must hold, when the SDK says
}

func (f sdkFixture) name() string {
	if f.Index > 0 {
		return fmt.Sprintf("%s/%s#%d", f.Module, f.Case, f.Index)
	}
	return f.Module + "/" + f.Case
}

type sdkFixtures struct {
	SDK      string       `json:"sdk"`
	Version  string       `json:"version"`
	Fixtures []sdkFixture `json:"fixtures"`
}

func loadSDKFixtures(t *testing.T) sdkFixtures {
	t.Helper()
	raw, err := os.ReadFile(sdkFixturesFile)
	require.NoError(t, err, "make sdk-fixtures writes %s", sdkFixturesFile)
	var out sdkFixtures
	require.NoError(t, json.Unmarshal(raw, &out))
	require.NotEmpty(t, out.Fixtures)
	return out
}

// The kinds of difference.
const (
	diffStatus      = "status"      // another HTTP status
	diffMissing     = "missing"     // a key the recorded answer has and the mock's lacks
	diffExtra       = "extra"       // a key the mock sends that the recorded answer lacks
	diffType        = "type"        // another JSON type
	diffNull        = "null"        // null where the recorded answer has a value
	diffFormat      = "format"      // a string in another format (timestamp, UUID, URN)
	diffValue       = "value"       // another DATA_TYPE or error code
	diffContent     = "content"     // (allowlist only) user content below: only its JSON type is compared
	diffUnsupported = "unsupported" // a request the mock does not serve (another grant type, ...)
)

// difference is one way the mock's answer differs from a recorded one.
type difference struct {
	fixture string
	op      string // the SDK method
	path    string // $.a.b[].c
	kind    string
	detail  string
}

func (d difference) key() allowKey { return allowKey{d.op, d.path, d.kind} }

type allowKey struct{ op, path, kind string }

type allowEntry struct {
	reason string
	line   int
	used   bool
}

// loadAllowlist reads the tab-separated allowlist: operations, JSON paths, kind, reason. The
// first two columns may list several, separated by commas, for one reason.
func loadAllowlist(t *testing.T) map[allowKey]*allowEntry {
	t.Helper()
	f, err := os.Open(allowlistFile)
	require.NoError(t, err)
	defer func() { _ = f.Close() }()
	out := map[allowKey]*allowEntry{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		require.Len(t, cols, 4, "%s:%d: operations, paths, kind, reason separated by tabs", allowlistFile, n)
		require.NotEmpty(t, strings.TrimSpace(cols[3]), "%s:%d: every allowed difference says why", allowlistFile, n)
		require.Contains(t, []string{diffStatus, diffMissing, diffExtra, diffType, diffNull, diffFormat, diffValue, diffContent, diffUnsupported},
			cols[2], "%s:%d: unknown kind", allowlistFile, n)
		for _, op := range strings.Split(cols[0], ",") {
			for _, path := range strings.Split(cols[1], ",") {
				k := allowKey{op, path, cols[2]}
				require.NotContains(t, out, k, "%s:%d: %s %s %s listed twice", allowlistFile, n, op, path, cols[2])
				out[k] = &allowEntry{reason: cols[3], line: n}
			}
		}
	}
	require.NoError(t, sc.Err())
	return out
}

// shapeComparer compares a mock answer with a recorded one.
type shapeComparer struct {
	op      string
	errorOf bool // the recorded answer is an error document: its codes must match
	content func(path string) bool
	diffs   []difference
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64, json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

var (
	uuidPattern      = `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`
	uuidFormat       = regexp.MustCompile(`^` + uuidPattern + `$`)
	identityURN      = regexp.MustCompile(`^urn:globus:auth:identity:` + uuidPattern + `$`)
	groupURN         = regexp.MustCompile(`^urn:globus:groups:id:` + uuidPattern + `$`)
	timestampPattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}([T ])\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$`)
)

// stringFormat names the format of a string that has one a client may parse: "" for free text.
// Timestamps are told apart by their separator and zone, which parsers care about; fractions of
// seconds vary within the real services' own answers.
func stringFormat(s string) string {
	switch {
	case uuidFormat.MatchString(s):
		return "uuid"
	case identityURN.MatchString(s):
		return "identity URN"
	case groupURN.MatchString(s):
		return "group URN"
	}
	if m := timestampPattern.FindStringSubmatch(s); m != nil {
		zone := "no zone"
		switch {
		case m[3] == "Z":
			zone = "Z"
		case m[3] != "":
			zone = "offset"
		}
		sep := "T"
		if m[1] == " " {
			sep = "space"
		}
		return "timestamp (" + sep + ", " + zone + ")"
	}
	return ""
}

func (c *shapeComparer) report(path, kind, format string, args ...any) {
	c.diffs = append(c.diffs, difference{op: c.op, path: path, kind: kind, detail: fmt.Sprintf(format, args...)})
}

// valueKeys are keys whose values are part of the shape: a client branches on them.
func (c *shapeComparer) comparesValue(path string) bool {
	if strings.HasSuffix(path, ".DATA_TYPE") {
		return true
	}
	return c.errorOf && (path == "$.code" || path == "$.error.code")
}

func (c *shapeComparer) compare(path string, want, got any) {
	if want == nil {
		return // a recorded null says nothing of the type
	}
	if got == nil {
		c.report(path, diffNull, "recorded %s, mock null", jsonType(want))
		return
	}
	if wt, gt := jsonType(want), jsonType(got); wt != gt {
		c.report(path, diffType, "recorded %s, mock %s", wt, gt)
		return
	}
	if c.content(path) {
		return
	}
	switch w := want.(type) {
	case map[string]any:
		g := got.(map[string]any)
		for _, k := range sortedKeys(w) {
			if _, ok := g[k]; !ok {
				c.report(path+"."+k, diffMissing, "recorded %s", jsonType(w[k]))
				continue
			}
			c.compare(path+"."+k, w[k], g[k])
		}
		for _, k := range sortedKeys(g) {
			if _, ok := w[k]; !ok {
				c.report(path+"."+k, diffExtra, "mock %s", jsonType(g[k]))
			}
		}
	case []any:
		g := got.([]any)
		if len(w) == 0 {
			return
		}
		for _, item := range g {
			c.diffs = append(c.diffs, c.bestMatch(path+"[]", w, item)...)
		}
	case string:
		g := got.(string)
		if c.comparesValue(path) {
			if w != g {
				c.report(path, diffValue, "recorded %q, mock %q", w, g)
			}
			return
		}
		if wf := stringFormat(w); wf != "" && stringFormat(g) != wf {
			c.report(path, diffFormat, "recorded %s (%q), mock %q", wf, w, g)
		}
	}
}

// bestMatch compares an item of a list with the recorded item it differs least from: lists
// such as log entries hold documents of several shapes.
func (c *shapeComparer) bestMatch(path string, recorded []any, item any) []difference {
	if same := sameKind(recorded, item); len(same) > 0 {
		recorded = same
	}
	var best []difference
	for i, w := range recorded {
		sub := &shapeComparer{op: c.op, errorOf: c.errorOf, content: c.content}
		sub.compare(path, w, item)
		if i == 0 || len(sub.diffs) < len(best) {
			best = sub.diffs
		}
		if len(best) == 0 {
			break
		}
	}
	return best
}

// sameKind are the recorded items of the item's kind: with the same code (log entries) or
// DATA_TYPE.
func sameKind(recorded []any, item any) []any {
	m, _ := item.(map[string]any)
	var out []any
	for _, key := range []string{"code", "DATA_TYPE"} {
		v, ok := m[key].(string)
		if !ok {
			continue
		}
		for _, r := range recorded {
			if rm, _ := r.(map[string]any); rm[key] == v {
				out = append(out, r)
			}
		}
		return out
	}
	return nil
}

func sortedKeys(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }

// fidelityRequest is what an arrangement asks of the mock for a fixture.
type fidelityRequest struct {
	method, path string
	query        url.Values
	body         any        // sent as JSON
	form         url.Values // sent as a form (the token endpoint)
	token        string     // a bearer token ("" sends none)
	basic        [2]string  // HTTP Basic client credentials
	unsupported  string     // why the mock cannot be asked this (then nothing is sent)
}

// send asks the mock and decodes its answer.
func send(t *testing.T, s *Server, req fidelityRequest) (int, any) {
	t.Helper()
	target := req.path
	if len(req.query) > 0 {
		target += "?" + req.query.Encode()
	}
	var body []byte
	ctype := ""
	switch {
	case req.form != nil:
		body, ctype = []byte(req.form.Encode()), "application/x-www-form-urlencoded"
	case req.body != nil:
		var err error
		body, err = json.Marshal(req.body)
		require.NoError(t, err)
		ctype = "application/json"
	}
	r := localRequest(req.method, target, bytes.NewReader(body))
	if ctype != "" {
		r.Header.Set("Content-Type", ctype)
	}
	if req.token != "" {
		r.Header.Set("Authorization", "Bearer "+req.token)
	}
	if req.basic[0] != "" {
		r.SetBasicAuth(req.basic[0], req.basic[1])
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	var doc any
	if w.Body.Len() > 0 {
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &doc), "%s %s answered %d: %s", req.method, target, w.Code, w.Body.String())
	}
	return w.Code, doc
}

// servedOperation names the operation of the contract a fixture's request reaches, if the mock
// serves it.
func servedOperation(spec *openapi.Spec, served map[string]operation, f sdkFixture) (string, bool) {
	route, err := spec.FindRoute(httptest.NewRequest(f.Method, f.Path, nil))
	if err != nil {
		return "", false
	}
	_, ok := served[route.OperationID]
	return route.OperationID, ok
}

func TestSDKFixtureFidelity(t *testing.T) {
	recorded := loadSDKFixtures(t)
	allow := loadAllowlist(t)
	spec := openapi.MustLoad()
	served := newTestServer(t).operations()

	// A series (the pages of a listing) is asked in order in one world.
	type series struct {
		op       string
		fixtures []sdkFixture
	}
	var all []*series
	byName := map[string]*series{}
	notServed := map[string]bool{}
	for _, f := range recorded.Fixtures {
		op, ok := servedOperation(spec, served, f)
		if !ok {
			notServed[f.Service+"."+f.Module] = true
			continue
		}
		key := f.Module + "/" + f.Case
		if byName[key] == nil {
			byName[key] = &series{op: op}
			all = append(all, byName[key])
		}
		byName[key].fixtures = append(byName[key].fixtures, f)
	}

	var diffs []difference
	compared := 0
	for _, ser := range all {
		first := ser.fixtures[0]
		arrange, ok := arrangements[first.Module]
		if !ok {
			t.Errorf("%s: the mock serves %s but the test has no arrangement for this SDK method", first.name(), ser.op)
			continue
		}
		t.Run(first.Module+"/"+first.Case, func(t *testing.T) {
			s := newTestServer(t)
			w := &fidelityWorld{t: t, s: s, ids: map[string]string{}}
			var prev any
			for _, f := range ser.fixtures {
				req := arrange(w, f, prev)
				if req.unsupported != "" {
					diffs = append(diffs, difference{fixture: f.name(), op: f.Module, path: "$", kind: diffUnsupported, detail: req.unsupported})
					continue
				}
				if req.method == "" {
					req.method = f.Method
				}
				status, doc := send(t, s, req)
				compared++
				c := &shapeComparer{op: f.Module, errorOf: f.Status >= 400, content: func(path string) bool {
					e := allow[allowKey{f.Module, path, diffContent}]
					if e != nil {
						e.used = true
					}
					return e != nil
				}}
				if status != f.Status {
					c.report("$", diffStatus, "recorded %d, mock %d", f.Status, status)
				}
				if (status >= 400) != (f.Status >= 400) {
					t.Errorf("%s: recorded %d, the mock answered %d: %v", f.name(), f.Status, status, doc)
				} else {
					c.compare("$", f.JSON, doc)
				}
				for i := range c.diffs {
					c.diffs[i].fixture = f.name()
				}
				diffs = append(diffs, c.diffs...)
				prev = doc
			}
		})
	}

	// Report: every difference must be allowed, and every allowance must still be needed.
	seen := map[allowKey]bool{}
	var unlisted []string
	for _, d := range diffs {
		if e := allow[d.key()]; e != nil {
			e.used = true
			continue
		}
		if !seen[d.key()] {
			seen[d.key()] = true
			unlisted = append(unlisted, fmt.Sprintf("%s\t%s\t%s\t(%s: %s)", d.op, d.path, d.kind, d.fixture, d.detail))
		}
	}
	if len(unlisted) > 0 {
		t.Errorf("%d differences from the SDK's recorded answers are not in %s:\n%s", len(unlisted), allowlistFile, strings.Join(unlisted, "\n"))
	}
	var stale []string
	for k, e := range allow {
		if !e.used {
			stale = append(stale, fmt.Sprintf("%s:%d: %s %s %s", allowlistFile, e.line, k.op, k.path, k.kind))
		}
	}
	slices.Sort(stale)
	if len(stale) > 0 {
		t.Errorf("allowed differences that no longer occur (remove them):\n%s", strings.Join(stale, "\n"))
	}
	skipped := make([]string, 0, len(notServed))
	for m := range notServed {
		skipped = append(skipped, m)
	}
	slices.Sort(skipped)
	t.Logf("%s %s: %d answers compared; fixtures of operations the mock does not serve: %s",
		recorded.SDK, recorded.Version, compared, strings.Join(skipped, ", "))
}

// The comparer itself: each kind of difference is found, and only differences are.
func TestShapeComparer(t *testing.T) {
	parse := func(s string) any {
		var v any
		require.NoError(t, json.Unmarshal([]byte(s), &v))
		return v
	}
	cases := []struct {
		name, recorded, mock string
		errorOf              bool
		content              string
		want                 []string
	}{
		{name: "same shape, other values", recorded: `{"id": "0a11ce00-0000-4000-8000-000000000001", "n": 1, "t": "2020-01-01T00:00:00+00:00", "l": [1]}`,
			mock: `{"id": "0b0b0000-0000-4000-8000-000000000002", "n": 2, "t": "2026-05-06T07:08:09.123456+00:00", "l": [3, 4]}`},
		{name: "missing and extra keys", recorded: `{"a": 1, "b": {"c": "x"}}`, mock: `{"b": {"d": "y"}, "e": null}`,
			want: []string{"$.a missing", "$.b.c missing", "$.b.d extra", "$.e extra"}},
		{name: "types and nulls", recorded: `{"a": "x", "b": [1], "c": null, "d": true}`, mock: `{"a": 1, "b": null, "c": "anything", "d": true}`,
			want: []string{"$.a type", "$.b null"}},
		{name: "formats", recorded: `{"id": "0a11ce00-0000-4000-8000-000000000001", "u": "urn:globus:auth:identity:0a11ce00-0000-4000-8000-000000000001", "t": "2020-01-01T00:00:00+00:00", "s": "2000-01-02 03:45:06+00:00", "x": "text"}`,
			mock: `{"id": "abc", "u": "urn:globus:groups:id:0a11ce00-0000-4000-8000-000000000001", "t": "2020-01-01T00:00:00Z", "s": "2000-01-02T03:45:06+00:00", "x": "2020-01-01T00:00:00Z"}`,
			want: []string{"$.id format", "$.s format", "$.t format", "$.u format"}},
		{name: "DATA_TYPE values", recorded: `{"DATA_TYPE": "endpoint", "DATA": [{"DATA_TYPE": "server"}]}`, mock: `{"DATA_TYPE": "result", "DATA": [{"DATA_TYPE": "server"}]}`,
			want: []string{"$.DATA_TYPE value"}},
		{name: "error codes", errorOf: true, recorded: `{"error": {"code": "NOT_FOUND", "detail": "x"}}`, mock: `{"error": {"code": "FORBIDDEN", "detail": "y"}}`,
			want: []string{"$.error.code value"}},
		{name: "codes of answers that are no errors are values", recorded: `{"code": "Created"}`, mock: `{"code": "Updated"}`},
		{name: "list items meet the recorded item of their kind", recorded: `{"entries": [{"code": "A", "details": {"x": 1}}, {"code": "B", "details": {"y": 1}}]}`,
			mock: `{"entries": [{"code": "B", "details": {"y": 2}}, {"code": "A", "details": {"x": 2, "z": 3}}]}`,
			want: []string{"$.entries[].details.z extra"}},
		{name: "user content is compared by type only", content: "$.output", recorded: `{"output": {"a": 1}}`, mock: `{"output": {"b": "c"}}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc := &shapeComparer{op: "op", errorOf: c.errorOf, content: func(path string) bool { return path == c.content }}
			sc.compare("$", parse(c.recorded), parse(c.mock))
			var got []string
			for _, d := range sc.diffs {
				got = append(got, d.path+" "+d.kind)
			}
			slices.Sort(got)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("differences (-want +got):\n%s", diff)
			}
		})
	}
}
