package steps

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Proof that the suite catches defects: each mutant below is a realistic mistake injected into
// the in-process mock by wrapping its handler (this file only; the shipped binary carries none).
// TestMutants runs the relevant scenarios against each and asserts that at least one fails.
// `make mutants` prints each defect with the scenarios that catch it.

// mutant is one injected defect.
type mutant struct {
	name string
	tags string // the scenarios to run against it (all when empty)
	wrap func(next http.Handler) http.Handler
}

// serve runs a request through next and returns the recorded response.
func serve(next http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	next.ServeHTTP(rec, r)
	return rec
}

// clone copies a request with its body, optionally with another bearer token.
func clone(r *http.Request, body []byte, token string) *http.Request {
	c := r.Clone(r.Context())
	c.Body = io.NopCloser(bytes.NewReader(body))
	c.ContentLength = int64(len(body))
	if token != "" {
		c.Header.Set("Authorization", "Bearer "+token)
	}
	return c
}

func readBody(r *http.Request) []byte {
	if r.Body == nil {
		return nil
	}
	b, _ := io.ReadAll(r.Body)
	return b
}

func decode(b []byte) map[string]any {
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	_ = dec.Decode(&m)
	return m
}

func writeDoc(w http.ResponseWriter, status int, doc any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(doc)
}

// rewrite returns a mutant wrapper that edits matching responses.
func rewrite(match func(r *http.Request) bool, edit func(r *http.Request, status int, doc map[string]any) (int, any)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !match(r) {
				next.ServeHTTP(w, r)
				return
			}
			body := readBody(r)
			rec := serve(next, clone(r, body, ""))
			doc := decode(rec.Body.Bytes())
			if doc == nil {
				w.WriteHeader(rec.Code)
				_, _ = w.Write(rec.Body.Bytes())
				return
			}
			status, out := edit(clone(r, body, ""), rec.Code, doc)
			writeDoc(w, status, out)
		})
	}
}

// editRequest returns a mutant wrapper that changes matching request bodies.
func editRequest(match func(r *http.Request) bool, edit func(doc map[string]any)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body := readBody(r)
			if match(r) {
				if doc := decode(body); doc != nil {
					edit(doc)
					body, _ = json.Marshal(doc)
				}
			}
			next.ServeHTTP(w, clone(r, body, ""))
		})
	}
}

func is(method string, path *regexp.Regexp) func(*http.Request) bool {
	return func(r *http.Request) bool { return r.Method == method && path.MatchString(r.URL.Path) }
}

func token(r *http.Request) string {
	return strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
}

var (
	flowsList      = regexp.MustCompile(`^/flows$`)
	flowPath       = regexp.MustCompile(`^/flows/[0-9a-f-]{36}$`)
	runPath        = regexp.MustCompile(`^/runs/[0-9a-f-]{36}$`)
	runsList       = regexp.MustCompile(`^/runs$`)
	runStart       = regexp.MustCompile(`^/flows/[0-9a-f-]{36}/run$`)
	cancelPath     = regexp.MustCompile(`^/runs/[0-9a-f-]{36}/cancel$`)
	releasePath    = regexp.MustCompile(`^/runs/[0-9a-f-]{36}/release$`)
	logPath        = regexp.MustCompile(`^/runs/[0-9a-f-]{36}/log$`)
	resumePath     = regexp.MustCompile(`^/runs/[0-9a-f-]{36}/resume$`)
	policyPath     = regexp.MustCompile(`^/v2/api/policies/[0-9a-f-]{36}$`)
	projectsList   = regexp.MustCompile(`^/v2/api/projects$`)
	projectPath    = regexp.MustCompile(`^/v2/api/projects/[0-9a-f-]{36}$`)
	accessPath     = regexp.MustCompile(`^/v0.10/endpoint/[^/]+/access$`)
	aclList        = regexp.MustCompile(`^/v0.10/endpoint/[^/]+/access_list$`)
	rulePath       = regexp.MustCompile(`^/v0.10/endpoint/[^/]+/access/[^/]+$`)
	roleCreate     = regexp.MustCompile(`^/v0.10/endpoint/[^/]+/role$`)
	rolePath       = regexp.MustCompile(`^/v0.10/endpoint/[^/]+/role/[^/]+$`)
	anyPath        = regexp.MustCompile(`.`)
	worldToken     = regexp.MustCompile(`^w[0-9a-f]+-(tok-\w+)$`)
	apisList       = regexp.MustCompile(`^/registered_apis$`)
	apiPath        = regexp.MustCompile(`^/registered_apis/[0-9a-f-]{36}$`)
	inputsList     = regexp.MustCompile(`^/web_inputs$`)
	respondPath    = regexp.MustCompile(`^/web_inputs/[0-9a-f-]{36}/respond$`)
	introspectPath = regexp.MustCompile(`^/v2/oauth2/token/introspect$`)
	validatePath   = regexp.MustCompile(`^/v2/oauth2/token/validate$`)
	endpointPath   = regexp.MustCompile(`^/v0.10/endpoint/[^/]+$`)
	batchPath      = regexp.MustCompile(`^/batch/runs$`)
	tokenPath      = regexp.MustCompile(`^/v2/oauth2/token$`)
)

func created() map[string]any {
	return map[string]any{"DATA_TYPE": "access_create_result", "code": "Created", "message": "Access rule created successfully.",
		"access_id": "00000000-0000-4000-8000-00000000beef", "request_id": "x", "resource": "/endpoint/x/access"}
}

// stripKey removes a key at any depth wherever drop says so of its value.
func stripKey(v any, key string, drop func(any) bool) {
	switch x := v.(type) {
	case map[string]any:
		if e, ok := x[key]; ok && drop(e) {
			delete(x, key)
		}
		for _, e := range x {
			stripKey(e, key, drop)
		}
	case []any:
		for _, e := range x {
			stripKey(e, key, drop)
		}
	}
}

func always(any) bool { return true }

// notNames tells a value that is not a list of strings.
func notNames(v any) bool {
	list, ok := v.([]any)
	for _, e := range list {
		if _, isStr := e.(string); !isStr {
			return true
		}
	}
	return !ok
}

// writesDefinition matches the requests that send a definition.
func writesDefinition(r *http.Request) bool {
	return (r.Method == http.MethodPost && (flowsList.MatchString(r.URL.Path) || r.URL.Path == "/flows/validate")) ||
		(r.Method == http.MethodPut && flowPath.MatchString(r.URL.Path))
}

// forgetFilters keeps only the page position of a marker.
func forgetFilters(r *http.Request) {
	editMarker(r, func(query map[string]any) {
		for k := range query {
			if k != "offset" && k != "per_page" {
				delete(query, k)
			}
		}
	})
}

// editMarker changes the query a request's marker encodes (the mock's markers are base64 JSON).
func editMarker(r *http.Request, edit func(query map[string]any)) {
	q := r.URL.Query()
	m := q.Get("marker")
	b, err := base64.RawURLEncoding.DecodeString(m)
	if m == "" || err != nil {
		return
	}
	var query map[string]any
	if json.Unmarshal(b, &query) != nil {
		return
	}
	edit(query)
	nb, _ := json.Marshal(query)
	q.Set("marker", base64.RawURLEncoding.EncodeToString(nb))
	r.URL.RawQuery = q.Encode()
}

// replayRefused answers a 403 carrying code as if the owner (who has every scope and a fresh
// enough standing) had asked: the check that refused it is skipped.
func replayRefused(code string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body := readBody(r)
			rec := serve(next, clone(r, body, ""))
			if rec.Code == http.StatusForbidden && strings.Contains(rec.Body.String(), code) {
				rec = serve(next, clone(r, body, "tok-alice"))
			}
			writeDoc(w, rec.Code, decode(rec.Body.Bytes()))
		})
	}
}

var mutants = []mutant{
	// Worlds that share the default world's state: a world's persona token acts as the default
	// world's persona.
	{"worlds share the default world", "@worlds", func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if m := worldToken.FindStringSubmatch(token(r)); m != nil {
				r = clone(r, readBody(r), m[1])
			}
			next.ServeHTTP(w, r)
		})
	}},
	{"ID token claims changed after signing", "@login", rewrite(is("POST", tokenPath), func(_ *http.Request, st int, d map[string]any) (int, any) {
		if jwt, ok := d["id_token"].(string); ok {
			parts := strings.Split(jwt, ".")
			parts[1] = base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"00000000-0000-4000-8000-000000000000"}`))
			d["id_token"] = strings.Join(parts, ".")
		}
		return st, d
	})},
	{"HA definition shown in listings", "@high-assurance", rewrite(is("GET", flowsList), func(_ *http.Request, st int, d map[string]any) (int, any) {
		flows, _ := d["flows"].([]any)
		for _, f := range flows {
			if m := f.(map[string]any); m["is_high_assurance"] == true {
				m["definition"] = map[string]any{"StartAt": "Leak", "States": map[string]any{}}
			}
		}
		return st, d
	})},
	{"GARE returned as 401", "@high-assurance", rewrite(func(*http.Request) bool { return true }, func(_ *http.Request, st int, d map[string]any) (int, any) {
		if d["code"] == "AuthenticationPolicyRequired" {
			st = http.StatusUnauthorized
		}
		return st, d
	})},
	{"GARE without session_required_policies", "@high-assurance", rewrite(func(*http.Request) bool { return true }, func(_ *http.Request, st int, d map[string]any) (int, any) {
		if p, ok := d["authorization_parameters"].(map[string]any); ok {
			delete(p, "session_required_policies")
		}
		return st, d
	})},
	{"web input GARE without its error and summary", "@high-assurance", rewrite(func(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/web_inputs/") },
		func(_ *http.Request, st int, d map[string]any) (int, any) {
			if d["code"] == "AuthenticationPolicyRequired" {
				delete(d, "error")
				delete(d, "web_input_summary")
			}
			return st, d
		})},
	{"deleted policy still readable", "@high-assurance,@policies", func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodDelete && policyPath.MatchString(r.URL.Path) {
				get := clone(r, nil, "")
				get.Method = http.MethodGet
				rec := serve(next, get)
				writeDoc(w, rec.Code, decode(rec.Body.Bytes()))
				return
			}
			next.ServeHTTP(w, r)
		})
	}},
	{"duplicate ACL rule accepted", "@acl", rewrite(is("POST", accessPath), func(_ *http.Request, st int, d map[string]any) (int, any) {
		if d["code"] == "Exists" {
			return http.StatusCreated, created()
		}
		return st, d
	})},
	{"the 1001st rule accepted", "@acl", rewrite(is("POST", accessPath), func(_ *http.Request, st int, d map[string]any) (int, any) {
		if d["code"] == "LimitExceeded" {
			return http.StatusCreated, created()
		}
		return st, d
	})},
	{"restricted_administrator allowed to create rules", "@roles && @transfer", rewrite(is("POST", accessPath), func(r *http.Request, st int, d map[string]any) (int, any) {
		if st == http.StatusForbidden && token(r) == "tok-erin" {
			return http.StatusCreated, created()
		}
		return st, d
	})},
	{"implicit rules missing from the rule list", "@acl", rewrite(is("GET", aclList), func(_ *http.Request, st int, d map[string]any) (int, any) {
		if data, ok := d["DATA"].([]any); ok {
			var kept []any
			for _, e := range data {
				if e.(map[string]any)["id"] != nil {
					kept = append(kept, e)
				}
			}
			d["DATA"], d["length"] = kept, len(kept)
		}
		return st, d
	})},
	{"Transfer errors without request_id", "@acl", rewrite(func(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/v0.10/") },
		func(_ *http.Request, st int, d map[string]any) (int, any) {
			if st >= 400 {
				delete(d, "request_id")
			}
			return st, d
		})},
	{"a flow administrator seeing runs", "@runs && @roles", func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := serve(next, clone(r, nil, ""))
			if r.Method == http.MethodGet && runPath.MatchString(r.URL.Path) && rec.Code == http.StatusNotFound {
				rec = serve(next, clone(r, nil, "tok-alice"))
			}
			writeDoc(w, rec.Code, decode(rec.Body.Bytes()))
		})
	}},
	{"private parameters in logs", "@engine", editRequest(writesDefinition,
		func(d map[string]any) { stripKey(d["definition"], "__Private_Parameters", always) })},
	{"private parameter lists that are not lists of names ignored", "@validation", editRequest(writesDefinition,
		func(d map[string]any) { stripKey(d["definition"], "__Private_Parameters", notNames) })},
	{"cancel gives SUCCEEDED", "@runs", rewrite(is("POST", cancelPath), func(_ *http.Request, st int, d map[string]any) (int, any) {
		if d["status"] == "FAILED" {
			d["status"], d["display_status"] = "SUCCEEDED", "SUCCEEDED"
			d["details"] = map[string]any{"code": "FlowSucceeded", "description": "done"}
		}
		return st, d
	})},
	{"a flow pagination marker that forgets the filters", "@listing && @flows", func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if flowsList.MatchString(r.URL.Path) {
				forgetFilters(r)
			}
			next.ServeHTTP(w, r)
		})
	}},
	{"a run pagination marker that forgets the filters", "@listing && @runs", func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if runsList.MatchString(r.URL.Path) {
				forgetFilters(r)
			}
			next.ServeHTTP(w, r)
		})
	}},
	{"a hidden flow answers 403, leaking its existence", "@roles && @flows", rewrite(is("GET", flowPath), func(_ *http.Request, st int, d map[string]any) (int, any) {
		if st == http.StatusNotFound {
			return http.StatusForbidden, map[string]any{"error": map[string]any{"code": "FORBIDDEN", "detail": "no"}}
		}
		return st, d
	})},
	{"role lists shown to viewers", "@roles && @flows", func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := serve(next, clone(r, nil, ""))
			doc := decode(rec.Body.Bytes())
			if r.Method == http.MethodGet && flowPath.MatchString(r.URL.Path) && rec.Code == http.StatusOK && token(r) != "tok-alice" {
				if owner := decode(serve(next, clone(r, nil, "tok-alice")).Body.Bytes()); owner != nil {
					for _, k := range []string{"flow_viewers", "flow_starters", "flow_administrators"} {
						doc[k] = owner[k]
					}
				}
			}
			writeDoc(w, rec.Code, doc)
		})
	}},
	{"the input schema not enforced", "@runs", editRequest(func(r *http.Request) bool {
		return (r.Method == http.MethodPost && flowsList.MatchString(r.URL.Path)) || (r.Method == http.MethodPut && flowPath.MatchString(r.URL.Path))
	}, func(d map[string]any) { delete(d, "input_schema") })},
	{"run labels longer than 64 characters accepted", "@runs", editRequest(is("POST", runStart), func(d map[string]any) {
		if l, ok := d["label"].(string); ok && len(l) > 64 {
			d["label"] = l[:64]
		}
	})},
	{"an active run released", "@runs", func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && releasePath.MatchString(r.URL.Path) {
				cancel := clone(r, nil, "")
				cancel.URL.Path = strings.TrimSuffix(r.URL.Path, "/release") + "/cancel"
				serve(next, cancel)
			}
			next.ServeHTTP(w, r)
		})
	}},
	{"POST /flows answers 200", "@flows", rewrite(is("POST", flowsList), func(_ *http.Request, st int, d map[string]any) (int, any) {
		if st == http.StatusCreated {
			st = http.StatusOK
		}
		return st, d
	})},
	{"run tags not normalized", "@runs", func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body := readBody(r)
			rec := serve(next, clone(r, body, ""))
			doc := decode(rec.Body.Bytes())
			if r.Method == http.MethodPost && runStart.MatchString(r.URL.Path) && rec.Code == http.StatusCreated {
				if in := decode(body); in != nil && in["tags"] != nil {
					doc["tags"] = in["tags"]
				}
			}
			writeDoc(w, rec.Code, doc)
		})
	}},
	{"timestamps without microseconds", "@flows", rewrite(func(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/flows") },
		func(_ *http.Request, st int, d map[string]any) (int, any) {
			if c, ok := d["created_at"].(string); ok && len(c) > 19 {
				d["created_at"] = c[:19] + "Z"
			}
			return st, d
		})},
	{"log entries in reverse order", "@runs,@engine", rewrite(is("GET", logPath), func(r *http.Request, st int, d map[string]any) (int, any) {
		if e, ok := d["entries"].([]any); ok && r.URL.Query().Get("reverse_order") == "" {
			for i, j := 0, len(e)-1; i < j; i, j = i+1, j-1 {
				e[i], e[j] = e[j], e[i]
			}
		}
		return st, d
	})},
	// Behave as if the scope were not checked.
	{"scopes not checked", "@auth,@runs", replayRefused("MISSING_SCOPE")},
	{"run details of HA flows shown in listings", "@high-assurance", rewrite(is("GET", runsList), func(_ *http.Request, st int, d map[string]any) (int, any) {
		runs, _ := d["runs"].([]any)
		for _, r := range runs {
			if m := r.(map[string]any); m["details"] == nil {
				m["details"] = map[string]any{"code": "FlowStarting"}
			}
		}
		return st, d
	})},
	// Behave as if the session were checked against the wrong (any) identity.
	{"a fresh session not required", "@high-assurance", replayRefused("AuthenticationPolicyRequired")},
	{"a web input viewer allowed to respond", "@web-inputs", rewrite(is("POST", respondPath), func(_ *http.Request, st int, d map[string]any) (int, any) {
		if st == http.StatusForbidden {
			return http.StatusOK, map[string]any{"status": "ok"}
		}
		return st, d
	})},
	{"closed web inputs listed by default", "@web-inputs", defaultQuery(inputsList, "filter_states", "open,closed")},
	{"registered APIs of every role listed by default", "@registered-apis", defaultQuery(apisList, "filter_roles", "viewer")},
	{"a batch of runs without the session check", "@high-assurance && @runs", only(is("POST", batchPath), replayRefused("AuthenticationPolicyRequired"))},
	{"a batch of runs without the role-list limit", "@batch", rewrite(is("POST", batchPath), func(_ *http.Request, st int, d map[string]any) (int, any) {
		if st == http.StatusUnprocessableEntity && strings.Contains(fmt.Sprint(d), "at most 16 items") {
			return http.StatusAccepted, map[string]any{}
		}
		return st, d
	})},
	{"a registered API administrator changing the owners", "@registered-apis", only(is("PATCH", apiPath), replayRefused("owners or administrators"))},
	{"a hidden registered API answers 403, leaking its existence", "@registered-apis", rewrite(is("GET", apiPath), func(_ *http.Request, st int, d map[string]any) (int, any) {
		if st == http.StatusNotFound {
			return http.StatusForbidden, map[string]any{"error": map[string]any{"code": "FORBIDDEN", "detail": "no"}}
		}
		return st, d
	})},
	{"introspection answered to a bearer token", "@auth", func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if is("POST", introspectPath)(r) && strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
				r = clone(r, readBody(r), "")
				r.SetBasicAuth("0c11e570-0000-4000-8000-000000000401", "mock-client-secret")
			}
			next.ServeHTTP(w, r)
		})
	}},
	{"token validation calling every token active", "@login", rewrite(is("POST", validatePath), func(_ *http.Request, st int, d map[string]any) (int, any) {
		if st == http.StatusOK {
			d["active"] = true
		}
		return st, d
	})},
	{"endpoint roles null for a caller with none", "@transfer && @roles", rewrite(is("GET", endpointPath), func(_ *http.Request, st int, d map[string]any) (int, any) {
		if roles, ok := d["my_effective_roles"].([]any); ok && len(roles) == 0 {
			d["my_effective_roles"] = nil
		}
		return st, d
	})},
	{"body keys matched by case", "@runs,@flows", editRequest(func(r *http.Request) bool {
		return is("PUT", runPath)(r) || is("POST", flowsList)(r)
	}, func(d map[string]any) {
		for k, v := range d {
			if lower := strings.ToLower(k); lower != k {
				d[lower] = v
				delete(d, k)
			}
		}
	})},
	{"an empty query value refused by Flows", "@listing,@web-inputs,@registered-apis", func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && isFlowsPath(r.URL.Path) && strings.Contains("&"+r.URL.RawQuery+"&", "=&") {
				writeDoc(w, http.StatusBadRequest, map[string]any{"error": map[string]any{"code": "BAD_REQUEST", "detail": "empty value is not allowed"}, "debug_id": "x"})
				return
			}
			next.ServeHTTP(w, r)
		})
	}},
	{"Transfer's 401 code without its ClientError prefix", "@auth", rewrite(func(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/v0.10/") },
		func(_ *http.Request, st int, d map[string]any) (int, any) {
			if d["code"] == "ClientError.AuthenticationFailed" {
				d["code"] = "AuthenticationFailed"
			}
			return st, d
		})},
	{"the token endpoint refusing the scopes of services the mock does not serve", "@auth", func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body := readBody(r)
			if is("POST", tokenPath)(r) {
				form, _ := url.ParseQuery(string(body))
				for _, sc := range strings.Fields(form.Get("scope")) {
					rs, _, _ := strings.Cut(strings.TrimPrefix(sc, "urn:globus:auth:scope:"), ":")
					if strings.HasPrefix(sc, "urn:") && !slices.Contains([]string{"auth.globus.org", "transfer.api.globus.org", "groups.api.globus.org"}, rs) {
						writeDoc(w, http.StatusBadRequest, map[string]any{"error": "invalid_scope",
							"errors": []any{map[string]any{"code": "invalid_scope", "status": "400", "detail": "Unknown scope " + sc}}})
						return
					}
				}
			}
			next.ServeHTTP(w, clone(r, body, ""))
		})
	}},
	{"the dependent-token grant ignoring the scope a provider asks for", "@providers", func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body := readBody(r)
			if is("POST", tokenPath)(r) {
				if form, err := url.ParseQuery(string(body)); err == nil && form.Get("grant_type") == "urn:globus:auth:grant_type:dependent_token" {
					form.Del("scope")
					body = []byte(form.Encode())
				}
			}
			next.ServeHTTP(w, clone(r, body, ""))
		})
	}},
	{"a flow viewer allowed to start runs", "@matrix && @flows", only(is("POST", runStart), replayRefused("Missing permissions: RUN"))},
	{"the flow's run managers and monitors allowed to change the flow", "@matrix && @flows", func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body := readBody(r)
			rec := serve(next, clone(r, body, ""))
			if (r.Method == http.MethodPut || r.Method == http.MethodDelete) && flowPath.MatchString(r.URL.Path) && rec.Code == http.StatusForbidden {
				get := clone(r, nil, "")
				get.Method = http.MethodGet
				roles := fmt.Sprint(decode(serve(next, get).Body.Bytes())["user_roles"])
				if strings.Contains(roles, "flow_run_") {
					rec = serve(next, clone(r, body, "tok-alice"))
				}
			}
			writeDoc(w, rec.Code, decode(rec.Body.Bytes()))
		})
	}},
	{"flow roles not cumulative in filter_roles", "@matrix && @flows", rewrite(is("GET", flowsList), func(r *http.Request, st int, d map[string]any) (int, any) {
		want := strings.Split(r.URL.Query().Get("filter_roles"), ",")
		if flows, ok := d["flows"].([]any); ok && want[0] != "" {
			var kept []any
			for _, f := range flows {
				if slices.Contains(want, fmt.Sprint(f.(map[string]any)["user_role"])) {
					kept = append(kept, f)
				}
			}
			d["flows"] = kept
		}
		return st, d
	})},
	{"a hidden flow's update, deletion or run answers 403", "@matrix && @flows", leakAsForbidden(func(r *http.Request) bool {
		return is("PUT", flowPath)(r) || is("DELETE", flowPath)(r) || is("POST", runStart)(r)
	}, "Missing permissions")},
	{"group principals dropped from flow role lists", "@matrix && @flows", editRequest(func(r *http.Request) bool {
		return is("POST", flowsList)(r) || is("PUT", flowPath)(r)
	}, dropGroups("flow_administrators", "flow_starters", "flow_viewers", "run_managers", "run_monitors"))},
	{"run monitors allowed to change the run", "@matrix && @runs", only(func(r *http.Request) bool {
		return is("PUT", runPath)(r) || is("POST", cancelPath)(r) || is("POST", releasePath)(r)
	}, replayRefused("Missing permissions"))},
	{"flow run managers allowed to resume", "@matrix && @runs", func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := serve(next, clone(r, readBody(r), ""))
			if is("POST", resumePath)(r) && rec.Code == http.StatusNotFound && callerRunRole(next, r) == "flow_run_manager" {
				rec = serve(next, clone(r, nil, "tok-alice"))
			}
			writeDoc(w, rec.Code, decode(rec.Body.Bytes()))
		})
	}},
	{"a monitor's resume answers 403, not 404", "@matrix && @runs", func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := serve(next, clone(r, readBody(r), ""))
			if is("POST", resumePath)(r) && rec.Code == http.StatusNotFound && callerRunRole(next, r) != "" {
				writeDoc(w, http.StatusForbidden, map[string]any{"error": map[string]any{"code": "FORBIDDEN", "detail": "Missing permissions: RESUME"}})
				return
			}
			writeDoc(w, rec.Code, decode(rec.Body.Bytes()))
		})
	}},
	{"group principals dropped from run role lists", "@matrix && @runs", editRequest(func(r *http.Request) bool {
		return is("POST", runStart)(r) || is("PUT", runPath)(r)
	}, dropGroups("run_managers", "run_monitors"))},
	{"group principals dropped from web input respondents and viewers", "@matrix && @web-inputs", editRequest(writesDefinition, dropGroups("RespondentUrns", "ViewerUrns"))},
	{"activity managers allowed to read rules", "@matrix && @transfer", roleMayDo(func(r *http.Request) bool {
		return is("GET", aclList)(r) || is("GET", rulePath)(r)
	}, "activity_manager")},
	{"access managers allowed to assign and remove roles", "@matrix && @transfer", roleMayDo(func(r *http.Request) bool {
		return is("POST", roleCreate)(r) || is("DELETE", rolePath)(r)
	}, "access_manager")},
	{"restricted administrators allowed to update rules", "@matrix && @transfer", roleMayDo(is("PUT", rulePath), "restricted_administrator")},
	{"registered API viewers allowed to change it", "@matrix && @registered-apis", only(is("PATCH", apiPath), replayRefused("an administrator or an owner"))},
	{"a hidden registered API's change or deletion answers 403", "@matrix && @registered-apis", leakAsForbidden(func(r *http.Request) bool {
		return is("PATCH", apiPath)(r) || is("DELETE", apiPath)(r)
	}, "Caller must be an owner")},
	{"any caller allowed to change or delete a policy", "@matrix && @policies", replayHidden(func(r *http.Request) bool {
		return is("PUT", policyPath)(r) || is("DELETE", policyPath)(r)
	})},
	{"project administrator groups ignored beside named administrators", "@projects,@policies", editRequest(func(r *http.Request) bool {
		return is("POST", projectsList)(r) || is("PUT", projectPath)(r)
	}, func(d map[string]any) {
		if p, ok := d["project"].(map[string]any); ok && p["admin_ids"] != nil {
			delete(p, "admin_group_ids")
		}
	})},
	{"a project update adds administrators instead of replacing them", "@projects,@policies", func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body := readBody(r)
			if is("PUT", projectPath)(r) {
				before := decode(serve(next, clone(httptest.NewRequest(http.MethodGet, r.URL.Path, nil), nil, token(r))).Body.Bytes())
				doc := decode(body)
				old, _ := before["project"].(map[string]any)
				p, _ := doc["project"].(map[string]any)
				if ids, ok := p["admin_ids"].([]any); ok && old != nil {
					prior, _ := old["admin_ids"].([]any)
					p["admin_ids"] = append(prior, ids...)
					body, _ = json.Marshal(doc)
				}
			}
			next.ServeHTTP(w, clone(r, body, ""))
		})
	}},
	{"a project deleted with its policies", "@projects", func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if is("DELETE", projectPath)(r) {
				id := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
				list := decode(serve(next, clone(httptest.NewRequest(http.MethodGet, "/v2/api/policies", nil), nil, token(r))).Body.Bytes())
				policies, _ := list["policies"].([]any)
				for _, p := range policies {
					if p := p.(map[string]any); p["project_id"] == id {
						serve(next, clone(httptest.NewRequest(http.MethodDelete, "/v2/api/policies/"+fmt.Sprint(p["id"]), nil), nil, token(r)))
					}
				}
			}
			next.ServeHTTP(w, clone(r, readBody(r), ""))
		})
	}},
	{"per_page=50 refused (the maximum taken as exclusive)", "@boundaries", refuseQuery("per_page", "50")},
	{"a log limit of 100 refused (the maximum taken as exclusive)", "@boundaries", refuseQuery("limit", "100")},
	{"principal lists longer than 16 accepted", "@boundaries", editRequest(func(r *http.Request) bool {
		return writesDefinition(r) || is("POST", runStart)(r) || is("PUT", runPath)(r)
	}, func(d map[string]any) {
		for _, k := range []string{"flow_administrators", "flow_starters", "flow_viewers", "run_managers", "run_monitors"} {
			if list, ok := d[k].([]any); ok && len(list) > 16 {
				d[k] = list[:16]
			}
		}
	})},
	{"flow text fields longer than their limits accepted", "@boundaries", editRequest(writesDefinition, func(d map[string]any) {
		for k, limit := range map[string]int{"title": 128, "subtitle": 128, "description": 4096} {
			if t, ok := d[k].(string); ok && len(t) > limit {
				d[k] = t[:limit]
			}
		}
		if kw, ok := d["keywords"].([]any); ok && len(fmt.Sprint(kw...)) > 1024 {
			d["keywords"] = []any{"k"}
		}
	})},
	{"strict Choice comparisons evaluated as loose", "@boundaries", editRequest(writesDefinition, func(d map[string]any) {
		b, _ := json.Marshal(d["definition"])
		loose := regexp.MustCompile(`"(Numeric|String|Timestamp)(GreaterThan|LessThan)"`).ReplaceAll(b, []byte(`"$1${2}Equals"`))
		d["definition"] = json.RawMessage(loose)
	})},
	{"only the first orderby criterion applied", "@orders", func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if q := r.URL.Query(); r.Method == http.MethodGet && len(q["orderby"]) > 0 {
				first, _, _ := strings.Cut(q["orderby"][0], ",")
				q["orderby"] = []string{first}
				r.URL.RawQuery = q.Encode()
			}
			next.ServeHTTP(w, r)
		})
	}},
	{"a marker that starts its page one item early", "@orders", func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			editMarker(r, func(m map[string]any) {
				if n, ok := m["offset"].(float64); ok && n > 0 {
					m["offset"] = n - 1
				}
			})
			next.ServeHTTP(w, r)
		})
	}},
	{"ACL rules told apart by their permissions and expiration", "@identity", judgedOn(accessPath, "/access_list", "principal_type", "principal", "path", "permissions", "expiration_date")},
	{"ACL rules the same whatever their path", "@identity", judgedOn(accessPath, "/access_list", "principal_type", "principal")},
	{"endpoint roles the same whatever the role", "@identity", judgedOn(roleCreate, "/role_list", "principal_type", "principal")},
	{"listings redact only when filtered by role", "@redaction", rewrite(func(r *http.Request) bool {
		return (is("GET", flowsList)(r) || is("GET", runsList)(r)) && r.URL.Query().Get("filter_roles") == ""
	}, func(_ *http.Request, st int, d map[string]any) (int, any) {
		for _, key := range []string{"flows", "runs"} {
			items, _ := d[key].([]any)
			for _, item := range items {
				m := item.(map[string]any)
				if m["is_high_assurance"] == true {
					m["definition"] = map[string]any{"StartAt": "Leak", "States": map[string]any{}}
				}
				if _, isRun := m["run_id"]; isRun && m["details"] == nil {
					m["details"] = map[string]any{"code": "Leak"}
				}
			}
		}
		return st, d
	})},
	{"private parameters and role lists shown in listings", "@redaction", asOwnerInListings("flows", "/flows/", "id", "definition", "flow_viewers")},
	{"run role lists shown in run listings", "@redaction", asOwnerInListings("runs", "/runs/", "run_id", "run_monitors", "run_managers")},
	{"a deleted flow only marked deleted, still listed and run", "@effects", pretendDeleted(flowPath, func(d map[string]any) { d["DELETED"] = true })},
	{"a removed endpoint role only acknowledged", "@effects", pretendDeleted(rolePath, func(d map[string]any) {
		for k := range d {
			delete(d, k)
		}
		d["DATA_TYPE"], d["code"], d["message"], d["request_id"], d["resource"] = "result", "Deleted", "Role deleted successfully", "x", "/endpoint/x/role/x"
	})},
}

// dropGroups removes the group URNs from the principal lists under keys, at any depth: roles
// matched against the caller's identities only.
func dropGroups(keys ...string) func(map[string]any) {
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if list, ok := e.([]any); ok && slices.Contains(keys, k) {
					x[k] = slices.DeleteFunc(list, func(p any) bool { return strings.Contains(fmt.Sprint(p), ":groups:") })
				}
				walk(x[k])
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	return func(d map[string]any) { walk(d) }
}

// replayHidden answers a matching request the service hides from the caller (404) as if the
// owner (alice, every scenario's creator) had sent it: the check of the caller's role is skipped.
func replayHidden(match func(*http.Request) bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body := readBody(r)
			rec := serve(next, clone(r, body, ""))
			if match(r) && rec.Code == http.StatusNotFound {
				rec = serve(next, clone(r, body, "tok-alice"))
			}
			writeDoc(w, rec.Code, decode(rec.Body.Bytes()))
		})
	}
}

// refuseQuery answers 400 to any Flows listing asked for key=value, a bound taken as exclusive.
func refuseQuery(key, value string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && isFlowsPath(r.URL.Path) && r.URL.Query().Get(key) == value {
				writeDoc(w, http.StatusBadRequest, map[string]any{"error": map[string]any{"code": "BAD_REQUEST", "detail": key + " out of range"}, "debug_id": "x"})
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// judgedOn makes a create request a duplicate exactly when the collection already holds a thing
// (in the listing at list) equal to it on keys: a mistaken idea of what makes two things the same.
func judgedOn(create *regexp.Regexp, list string, keys ...string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !is("POST", create)(r) {
				next.ServeHTTP(w, r)
				return
			}
			body := readBody(r)
			get := clone(r, nil, "")
			get.Method = http.MethodGet
			get.URL.Path = endpointOf.FindString(r.URL.Path) + list
			items, _ := decode(serve(next, get).Body.Bytes())["DATA"].([]any)
			want := decode(body)
			same := slices.ContainsFunc(items, func(item any) bool {
				m, _ := item.(map[string]any)
				return !slices.ContainsFunc(keys, func(k string) bool { return fmt.Sprint(m[k]) != fmt.Sprint(want[k]) })
			})
			rec := serve(next, clone(r, body, ""))
			switch {
			case same && rec.Code == http.StatusCreated:
				writeDoc(w, http.StatusConflict, map[string]any{"code": "Exists", "message": "It already exists", "request_id": "x", "resource": r.URL.Path})
			case !same && rec.Code == http.StatusConflict:
				writeDoc(w, http.StatusCreated, created())
			default:
				writeDoc(w, rec.Code, decode(rec.Body.Bytes()))
			}
		})
	}
}

// asOwnerInListings fills fields of each listed item from the item's own document as the owner
// (alice) reads it: a listing that skips the per-caller redaction the documents get.
func asOwnerInListings(key, itemPath, idField string, fields ...string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := serve(next, clone(r, readBody(r), ""))
			doc := decode(rec.Body.Bytes())
			items, _ := doc[key].([]any)
			for _, item := range items {
				m, _ := item.(map[string]any)
				get := clone(r, nil, "tok-alice")
				get.Method, get.URL.Path, get.URL.RawQuery = http.MethodGet, itemPath+fmt.Sprint(m[idField]), ""
				if own := decode(serve(next, get).Body.Bytes()); own != nil && own[idField] != nil {
					for _, f := range fields {
						m[f] = own[f]
					}
				}
			}
			writeDoc(w, rec.Code, doc)
		})
	}
}

// pretendDeleted answers a DELETE with the thing's document, edited as a deletion's answer, and
// deletes nothing: what depends on the thing is never told it went away.
func pretendDeleted(path *regexp.Regexp, answer func(doc map[string]any)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !is("DELETE", path)(r) {
				next.ServeHTTP(w, r)
				return
			}
			get := clone(r, nil, "")
			get.Method = http.MethodGet
			rec := serve(next, get)
			doc := decode(rec.Body.Bytes())
			if rec.Code == http.StatusOK && doc != nil {
				answer(doc)
			}
			writeDoc(w, rec.Code, doc)
		})
	}
}

// leakAsForbidden answers 403 where the service hides a thing the caller may not see (404): the
// permission is checked before the visibility.
func leakAsForbidden(match func(*http.Request) bool, detail string) func(http.Handler) http.Handler {
	return rewrite(match, func(_ *http.Request, st int, d map[string]any) (int, any) {
		if st == http.StatusNotFound {
			return http.StatusForbidden, map[string]any{"error": map[string]any{"code": "FORBIDDEN", "detail": detail}}
		}
		return st, d
	})
}

// callerRunRole is the caller's user_role on the run a request names ("" when the run is hidden).
func callerRunRole(next http.Handler, r *http.Request) string {
	get := clone(r, nil, "")
	get.Method = http.MethodGet
	get.URL.Path = runPath.FindString(strings.TrimSuffix(r.URL.Path, "/resume"))
	if role, ok := decode(serve(next, get).Body.Bytes())["user_role"].(string); ok {
		return role
	}
	return ""
}

// roleMayDo lets an endpoint role do what Transfer refuses it: a matching request refused with
// 403 is answered as the collection's owner would be when the caller's effective roles on the
// collection include role.
func roleMayDo(match func(*http.Request) bool, role string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body := readBody(r)
			rec := serve(next, clone(r, body, ""))
			if match(r) && rec.Code == http.StatusForbidden {
				get := clone(r, nil, "")
				get.Method = http.MethodGet
				get.URL.Path = endpointOf.FindString(r.URL.Path)
				if roles, ok := decode(serve(next, get).Body.Bytes())["my_effective_roles"].([]any); ok && slices.Contains(roles, any(role)) {
					rec = serve(next, clone(r, body, "tok-alice"))
				}
			}
			writeDoc(w, rec.Code, decode(rec.Body.Bytes()))
		})
	}
}

var endpointOf = regexp.MustCompile(`^/v0.10/endpoint/[^/]+`)

// isFlowsPath tells the paths of the Flows service from those of Transfer, Auth and the control plane.
func isFlowsPath(p string) bool {
	return !strings.HasPrefix(p, "/v0.10/") && !strings.HasPrefix(p, "/v2/") && !strings.HasPrefix(p, "/_mock")
}

// only applies a mutant wrapper to the matching requests.
func only(match func(*http.Request) bool, wrap func(http.Handler) http.Handler) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		mutated := wrap(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if match(r) {
				mutated.ServeHTTP(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// defaultQuery gives a listing another default: the parameter is set when the client leaves it out.
func defaultQuery(list *regexp.Regexp, key, value string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if q := r.URL.Query(); is("GET", list)(r) && q.Get(key) == "" && q.Get("marker") == "" {
				q.Set(key, value)
				r.URL.RawQuery = q.Encode()
			}
			next.ServeHTTP(w, r)
		})
	}
}

func TestMutants(t *testing.T) {
	if testing.Short() {
		t.Skip("mutation testing runs the suite once per defect")
	}
	if len(mutants) < 20 {
		t.Fatalf("%d mutants; the suite must prove itself against at least 20 defects", len(mutants))
	}
	for _, m := range mutants {
		t.Run(m.name, func(t *testing.T) {
			rec := NewRecorder()
			Run(RunOptions{Target: InProcess{Wrap: m.wrap}, Tags: m.tags, Format: "progress", Output: io.Discard,
				Concurrency: 4, Randomize: 0, Recorder: rec})
			caught := rec.Failed()
			if len(caught) == 0 {
				t.Fatalf("no scenario catches the defect %q", m.name)
			}
			t.Logf("%s — caught by %d scenarios:\n  - %s", m.name, len(caught), strings.Join(caught, "\n  - "))
		})
	}
}
