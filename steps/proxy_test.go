package steps

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/globus-conformance/kit/mockserver"
)

func TestValidatingProxy(t *testing.T) {
	// An upstream that answers a flow without its required fields, and an undocumented status.
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/flows" {
			w.WriteHeader(http.StatusTeapot)
		}
		_, _ = io.WriteString(w, `{"id": "not a flow"}`)
	}))
	defer bad.Close()
	mock, err := mockserver.New(mockserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	good := httptest.NewServer(mock)
	defer good.Close()

	tests := []struct {
		name           string
		upstream       string
		path           string
		wantViolations int64
	}{
		{"a conformant implementation", good.URL, "/flows", 0},
		{"a body that breaks its schema", bad.URL, "/flows/6f1c2d8e-3b1a-4f5e-9c2d-1a2b3c4d5e6f", 1},
		{"an undocumented status", bad.URL, "/flows", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, _ := url.Parse(tc.upstream)
			p := NewValidatingProxy(u, slog.New(slog.DiscardHandler))
			front := httptest.NewServer(p)
			defer front.Close()
			req, _ := http.NewRequest(http.MethodGet, front.URL+tc.path, nil)
			req.Header.Set("Authorization", "Bearer tok-alice")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			checked, violations := p.Counts()
			if checked != 1 || violations != tc.wantViolations {
				t.Fatalf("checked %d, violations %d; want 1 and %d", checked, violations, tc.wantViolations)
			}
		})
	}
}
