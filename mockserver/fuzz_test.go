package mockserver

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/globus-conformance/kit/openapi"
)

// Fuzz targets over the whole server: any body and any query string of any operation, with a
// valid token and the world seeded with one of everything, gets an answer below 500 that matches
// the contract (responses are validated: a violation would answer 500).

type fuzzTarget struct {
	s   *Server
	ops []openapi.Described
	ids map[string]string
}

func newFuzzTarget(f *testing.F) *fuzzTarget {
	s, err := New(Options{ValidateResponses: true, MaxBodyBytes: 1 << 20})
	if err != nil {
		f.Fatal(err)
	}
	ids := seedWorld(f, s)
	return &fuzzTarget{s: s, ops: openapi.MustLoad().Operations(), ids: ids}
}

func (ft *fuzzTarget) serve(t *testing.T, op uint8, query string, body []byte) {
	d := ft.ops[int(op)%len(ft.ops)]
	path := fill(d.Path, ft.ids)
	r := httptest.NewRequest(d.Method, path, strings.NewReader(string(body)))
	r.URL.RawQuery = query
	r.Header.Set("Authorization", "Bearer tok-alice")
	r.Header.Set("Content-Type", "application/json")
	if strings.HasPrefix(d.Path, "/v2/oauth2/") {
		r.SetBasicAuth("0c11e570-0000-4000-8000-000000000401", "mock-client-secret")
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	w := httptest.NewRecorder()
	ft.s.ServeHTTP(w, r)
	if w.Code >= 500 {
		t.Fatalf("%s %s?%s with %q: %d %s", d.Method, path, query, truncateBody(string(body)), w.Code, truncateBody(w.Body.String()))
	}
}

func FuzzRequestBody(f *testing.F) {
	ft := newFuzzTarget(f)
	for i := range ft.ops {
		for _, b := range []string{"{}", `{"title": "t", "definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}`,
			`{"body": {"x": 1}, "tags": ["a"]}`, `{"DATA_TYPE": "access", "principal_type": "identity", "principal": "x", "path": "/a/", "permissions": "rw"}`,
			`{"response": {"value": "x"}}`, `{"filters": {"run_ids": []}}`, `{"policy": {"high_assurance": true}}`, `null`, `[]`} {
			f.Add(uint8(i), []byte(b))
		}
	}
	f.Fuzz(func(t *testing.T, op uint8, body []byte) { ft.serve(t, op, "", body) })
}

func FuzzQuery(f *testing.F) {
	ft := newFuzzTarget(f)
	for i := range ft.ops {
		for _, q := range []string{"", "per_page=0", "filter_roles=flow_owner,run_manager&orderby=title%20ASC", "marker=xyz", "filter_start_time=2020-01-01,",
			"limit=101&reverse_order=maybe", "fields=id,path", "filter_states=open,closed&filter_run_ids=a,b", "include_flow_description=true"} {
			f.Add(uint8(i), q)
		}
	}
	f.Fuzz(func(t *testing.T, op uint8, query string) { ft.serve(t, op, query, nil) })
}
