package openapi

import (
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLoadAndRoute(t *testing.T) {
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		method, target string
		wantOp         string
		wantErr        error
	}{
		{"GET", "http://127.0.0.1:9/flows", "listFlows", nil},
		{"GET", "http://example.org/flows/6f1c2d8e-3b1a-4f5e-9c2d-1a2b3c4d5e6f", "getFlow", nil},
		{"POST", "/flows/validate", "validateFlow", nil},
		{"PATCH", "/flows", "", ErrMethodNotAllowed},
		{"GET", "/nope", "", ErrNoRoute},
		{"POST", "/v2/oauth2/token", "issueToken", nil},
		{"POST", "/runs/6f1c2d8e-3b1a-4f5e-9c2d-1a2b3c4d5e6f/cancel", "cancelRun", nil},
		{"GET", "/flows/6f1c2d8e-3b1a-4f5e-9c2d-1a2b3c4d5e6f/runs", "listFlowRuns", nil},
		{"GET", "/flows/6f1c2d8e-3b1a-4f5e-9c2d-1a2b3c4d5e6f/6f1c2d8e-3b1a-4f5e-9c2d-1a2b3c4d5e6f/status", "getFlowRunStatus", nil},
		{"GET", "/flows/6f1c2d8e-3b1a-4f5e-9c2d-1a2b3c4d5e6f/runs/6f1c2d8e-3b1a-4f5e-9c2d-1a2b3c4d5e6f/log", "getFlowRunLogs", nil},
	}
	for _, c := range cases {
		t.Run(c.method+" "+c.target, func(t *testing.T) {
			r, err := s.FindRoute(httptest.NewRequest(c.method, c.target, nil))
			if err != c.wantErr {
				t.Fatalf("err = %v, want %v", err, c.wantErr)
			}
			if err == nil && r.OperationID != c.wantOp {
				t.Fatalf("op = %s, want %s", r.OperationID, c.wantOp)
			}
		})
	}
}

func TestMethodsOfAPath(t *testing.T) {
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		path string
		want []string
	}{
		{"/flows", []string{"GET", "POST"}},
		{"/runs/6f1c2d8e-3b1a-4f5e-9c2d-1a2b3c4d5e6f/cancel", []string{"POST"}},
		// The router tries every template a path matches, so a literal path also answers the
		// methods of the parameter template beside it.
		{"/flows/validate", []string{"DELETE", "GET", "POST", "PUT"}},
		{"/v2/groups/my_groups", []string{"GET"}},
		{"/nope", nil},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			if diff := cmp.Diff(c.want, s.Methods(c.path)); diff != "" {
				t.Errorf("Methods(%s) (-want +got):\n%s", c.path, diff)
			}
		})
	}
}
