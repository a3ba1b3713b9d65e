package mockserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The benchmarks measure requests through the full pipeline (routing, request validation,
// authentication, the domain, encoding) next to a bare net/http JSON handler in the same run; the
// ratio bare/mock is the figure to watch (make bench prints it).

func benchServe(b *testing.B, h http.Handler, method, path, body string) {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var r *http.Request
		if body != "" {
			r = httptest.NewRequest(method, path, strings.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
		} else {
			r = httptest.NewRequest(method, path, nil)
		}
		r.Header.Set("Authorization", "Bearer tok-alice")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code >= 300 {
			b.Fatalf("%s %s: %d %s", method, path, w.Code, w.Body.String())
		}
	}
}

// bareHandler is the baseline: decode a small JSON body if any, encode a flow-sized document.
func bareHandler() http.Handler {
	doc := map[string]any{"id": "6f1c2d8e-3b1a-4f5e-9c2d-1a2b3c4d5e6f", "title": "T", "definition": map[string]any{
		"StartAt": "A", "States": map[string]any{"A": map[string]any{"Type": "Pass", "End": true}}}}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			var in map[string]any
			_ = json.NewDecoder(r.Body).Decode(&in)
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(doc)
	})
}

func BenchmarkBareGet(b *testing.B) { benchServe(b, bareHandler(), "GET", "/flows/x", "") }

func BenchmarkBarePost(b *testing.B) { benchServe(b, bareHandler(), "POST", "/flows", simpleFlow) }

// newFlowBench starts a mock holding one flow created from body, and returns the flow's id.
func newFlowBench(b *testing.B, body string) (*Server, string) {
	b.Helper()
	s, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	r := httptest.NewRequest("POST", "/flows", strings.NewReader(body))
	r.Header.Set("Authorization", "Bearer tok-alice")
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	var doc map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil || w.Code != http.StatusCreated {
		b.Fatalf("create flow: %d %s", w.Code, w.Body.String())
	}
	return s, doc["id"].(string)
}

func BenchmarkGetFlow(b *testing.B) {
	s, id := newFlowBench(b, simpleFlow)
	benchServe(b, s, "GET", "/flows/"+id, "")
}

func BenchmarkCreateFlow(b *testing.B) {
	s, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	benchServe(b, s, "POST", "/flows", simpleFlow)
}

// fiveStates is the flow of the run benchmarks: one state of each non-Action type but Fail.
const fiveStates = `{"title": "Five", "definition": {"StartAt": "Prepare", "States": {
  "Prepare": {"Type": "Pass", "Parameters": {"n.$": "$.n"}, "ResultPath": "$.p", "Next": "Compute"},
  "Compute": {"Type": "ExpressionEval", "Parameters": {"double.=": "p.n * 2"}, "ResultPath": "$.c", "Next": "Check"},
  "Check": {"Type": "Choice", "Choices": [{"Variable": "$.c.double", "NumericGreaterThan": 1, "Next": "Pause"}], "Default": "Done"},
  "Pause": {"Type": "Wait", "Seconds": 0, "Next": "Done"},
  "Done": {"Type": "Pass", "End": true}}}}`

func newRunBench(b *testing.B) (*Server, string) {
	s, id := newFlowBench(b, fiveStates)
	return s, "/flows/" + id + "/run"
}

// BenchmarkStartRun measures POST /flows/{id}/run (the run executes in the background).
func BenchmarkStartRun(b *testing.B) {
	s, path := newRunBench(b)
	benchServe(b, s, "POST", path, `{"body": {"n": 2}}`)
	b.StopTimer()
	s.Settle()
}

// BenchmarkTenThousandRuns starts 10,000 runs of the five-state flow from 8 clients at once and
// waits until all have SUCCEEDED; it reports the time per batch, runs per second and the heap each
// finished run keeps (its document, state and log).
func BenchmarkTenThousandRuns(b *testing.B) {
	const runs, clients = 10_000, 8
	for range b.N {
		b.StopTimer()
		s, path := newRunBench(b)
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		b.StartTimer()
		start := time.Now()
		var wg sync.WaitGroup
		for c := range clients {
			wg.Go(func() {
				for i := c; i < runs; i += clients {
					r := httptest.NewRequest("POST", path, strings.NewReader(`{"body": {"n": 2}}`))
					r.Header.Set("Authorization", "Bearer tok-alice")
					r.Header.Set("Content-Type", "application/json")
					w := httptest.NewRecorder()
					s.ServeHTTP(w, r)
					if w.Code != http.StatusCreated {
						b.Errorf("start: %d %s", w.Code, w.Body.String())
						return
					}
				}
			})
		}
		wg.Wait()
		s.Settle()
		elapsed := time.Since(start)
		b.StopTimer()
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		if got := len(s.runs.Snapshot()); got != runs {
			b.Fatalf("%d runs, want %d", got, runs)
		}
		b.ReportMetric(float64(runs)/elapsed.Seconds(), "runs/s")
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/runs, "heap-bytes/run")
		b.StartTimer()
	}
}

// BenchmarkBareTenThousand is the baseline of BenchmarkTenThousandRuns: 10,000 POSTs to the bare
// handler from 8 clients.
func BenchmarkBareTenThousand(b *testing.B) {
	const runs, clients = 10_000, 8
	h := bareHandler()
	for range b.N {
		var wg sync.WaitGroup
		for c := range clients {
			wg.Go(func() {
				for i := c; i < runs; i += clients {
					r := httptest.NewRequest("POST", "/run", strings.NewReader(`{"body": {"n": 2}}`))
					w := httptest.NewRecorder()
					h.ServeHTTP(w, r)
				}
			})
		}
		wg.Wait()
	}
}

const benchCollection = "c011ec70-0000-4000-8000-000000000301"

// BenchmarkListFlows measures GET /flows with a page of 20 of the caller's flows.
func BenchmarkListFlows(b *testing.B) {
	s, _ := newFlowBench(b, simpleFlow)
	for range 24 {
		benchOnce(b, s, "POST", "/flows", simpleFlow)
	}
	benchServe(b, s, "GET", "/flows?per_page=20", "")
}

// BenchmarkAccessList measures GET access_list of a collection with 20 rules.
func BenchmarkAccessList(b *testing.B) {
	s, _ := newFlowBench(b, simpleFlow)
	for i := range 20 {
		benchOnce(b, s, "POST", "/v0.10/endpoint/"+benchCollection+"/access", ruleBody(i))
	}
	benchServe(b, s, "GET", "/v0.10/endpoint/"+benchCollection+"/access_list", "")
}

// BenchmarkCreateRule measures POST access (a new rule each time; a collection holds 1000, so the
// benchmark moves to a fresh server when one is full).
func BenchmarkCreateRule(b *testing.B) {
	b.ReportAllocs()
	var s *Server
	for i := 0; i < b.N; i++ {
		if i%1000 == 0 {
			b.StopTimer()
			s, _ = newFlowBench(b, simpleFlow)
			b.StartTimer()
		}
		benchOnce(b, s, "POST", "/v0.10/endpoint/"+benchCollection+"/access", ruleBody(i))
	}
}

func ruleBody(i int) string {
	return `{"DATA_TYPE": "access", "principal_type": "identity", "principal": "0b0b0000-0000-4000-8000-000000000002", "path": "/bench/` +
		strconv.Itoa(i) + `/", "permissions": "r"}`
}

// benchOnce sends one request and fails the benchmark on an error answer.
func benchOnce(b *testing.B, h http.Handler, method, path, body string) {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Header.Set("Authorization", "Bearer tok-alice")
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code >= 300 {
		b.Fatalf("%s %s: %d %s", method, path, w.Code, w.Body.String())
	}
}
