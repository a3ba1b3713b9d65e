package mockserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
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

func BenchmarkGetFlow(b *testing.B) {
	s, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	r := httptest.NewRequest("POST", "/flows", strings.NewReader(simpleFlow))
	r.Header.Set("Authorization", "Bearer tok-alice")
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	var doc map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &doc)
	benchServe(b, s, "GET", "/flows/"+doc["id"].(string), "")
}

func BenchmarkCreateFlow(b *testing.B) {
	s, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	benchServe(b, s, "POST", "/flows", simpleFlow)
}
