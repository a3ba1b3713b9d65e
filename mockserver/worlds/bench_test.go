package worlds

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/globus-conformance/kit/mockserver"
)

// The benchmarks put a world's cost next to a baseline of the same run (make bench prints the
// ratios): creating a world next to mockserver.New of the default world (the OpenAPI contract
// is loaded once and shared), a world's reset through the multiplexer next to the plain
// server's, and a request routed by its token among 32 worlds next to the same request to a
// plain server.

func newMux(b *testing.B) *Mux {
	b.Helper()
	m, err := New(mockserver.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return m
}

func BenchmarkNewDefaultServer(b *testing.B) {
	newMux(b) // the contract is loaded once, before the clock runs, as for the worlds
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := mockserver.New(mockserver.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCreateWorld(b *testing.B) {
	m := newMux(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w, err := m.Create(nil)
		if err != nil {
			b.Fatal(err)
		}
		if err := m.Delete(w.ID); err != nil {
			b.Fatal(err)
		}
	}
}

// serve sends one request to h and fails unless it succeeds.
func serve(b *testing.B, h http.Handler, method, path, token, body string) {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Host = "127.0.0.1" // a host the control plane answers under
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code >= 300 {
		b.Fatalf("%s %s: %d %s", method, path, w.Code, w.Body.String())
	}
}

// benchServe measures one request to h.
func benchServe(b *testing.B, h http.Handler, method, path, token string) {
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		serve(b, h, method, path, token, "")
	}
}

// withWorlds is a multiplexer holding n worlds of the default seed, and the last one.
func withWorlds(b *testing.B, n int) (*Mux, *World) {
	m := newMux(b)
	var last *World
	for range n {
		w, err := m.Create(nil)
		if err != nil {
			b.Fatal(err)
		}
		last = w
	}
	return m, last
}

func BenchmarkResetDefault(b *testing.B) {
	benchServe(b, newMux(b).Default(), "POST", "/_mock/reset", "")
}

func BenchmarkResetWorld(b *testing.B) {
	m, w := withWorlds(b, 1)
	benchServe(b, m, "POST", w.Control+"/reset", "")
}

func BenchmarkListFlowsPlain(b *testing.B) {
	benchServe(b, newMux(b).Default(), "GET", "/flows", "tok-alice")
}

func BenchmarkListFlowsRouted(b *testing.B) {
	m, w := withWorlds(b, 32)
	benchServe(b, m, "GET", "/flows", w.Tokens["alice"])
}
