package mockserver

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/globus-conformance/kit/openapi"
	"github.com/google/go-cmp/cmp"
)

// A bad query parameter is refused with its reason said once, in each service's own format.
// Transfer and Auth refuse an empty value, which Flows takes as not given.
func TestQueryProblemsSayTheirReasonOnce(t *testing.T) {
	s := newTestServer(t)
	guest := "/v0.10/endpoint/c011ec70-0000-4000-8000-000000000301/access_list"
	cases := []struct {
		name, path string
		message    func(map[string]any) any // where the service puts its message
		want       string
	}{
		{"Transfer, an empty integer", guest + "?limit=", transferMessage, "query.limit: empty value is not allowed"},
		{"Transfer, a bad integer", guest + "?limit=x", transferMessage, "query.limit: value x: an invalid integer: invalid syntax"},
		{"Auth, an empty list", "/v2/api/identities?ids=", authDetail, "empty value is not allowed"},
		{"Flows, a bad integer", "/flows?per_page=x", flowsDetail, "value x: an invalid integer: invalid syntax"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, doc := do(t, s, "GET", c.path, "tok-alice", "")
			if code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %v", code, doc)
			}
			if diff := cmp.Diff(c.want, c.message(doc)); diff != "" {
				t.Errorf("message (-want +got):\n%s\nbody: %v", diff, doc)
			}
		})
	}
}

func transferMessage(doc map[string]any) any { return doc["message"] }

func authDetail(doc map[string]any) any {
	errs, _ := doc["errors"].([]any)
	if len(errs) == 0 {
		return nil
	}
	return errs[0].(map[string]any)["detail"]
}

func flowsDetail(doc map[string]any) any {
	e, _ := doc["error"].(map[string]any)
	detail, _ := e["detail"].([]any)
	if len(detail) == 0 {
		return nil
	}
	return detail[0].(map[string]any)["msg"]
}

// Every Flows read takes an empty query value as not given, whichever parameter it is: the answer
// is the one the same request gets without it.
func TestFlowsTakeEmptyQueryValuesAsNotGiven(t *testing.T) {
	s := newTestServer(t)
	ids := seedWorld(t, s)
	spec := openapi.MustLoad()
	checked := 0
	for _, op := range spec.Operations() {
		if op.Service != openapi.Flows || op.Method != http.MethodGet {
			continue
		}
		item := spec.Doc(op.Service).Paths.Find(op.Path)
		params := append(item.Parameters, item.GetOperation(op.Method).Parameters...)
		path := fill(op.Path, ids)
		wantCode, want := raw(t, s, path)
		for _, p := range params {
			if p.Value.In != "query" {
				continue
			}
			t.Run(op.OperationID+" "+p.Value.Name, func(t *testing.T) {
				code, got := raw(t, s, path+"?"+p.Value.Name+"=")
				if code != wantCode {
					t.Fatalf("status %d, want %d as without %s: %s", code, wantCode, p.Value.Name, got)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("answer (-without +with an empty value):\n%s", diff)
				}
			})
			checked++
		}
	}
	if checked < 50 {
		t.Fatalf("only %d query parameters checked; the contract's Flows reads have more", checked)
	}
}

// raw is a GET as alice, its status and its body.
func raw(t *testing.T, s *Server, path string) (int, string) {
	t.Helper()
	r := localRequest(http.MethodGet, path, nil)
	r.Header.Set("Authorization", "Bearer tok-alice")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w.Code, w.Body.String()
}
