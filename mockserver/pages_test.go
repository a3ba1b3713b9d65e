package mockserver

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/globus-conformance/kit/mockserver/runs"
	"github.com/google/go-cmp/cmp"
)

// TestPageJSON: a listing page decodes to what the documented listing document holds, with the
// marker present on every page but the last, and null there where the listing says so.
func TestPageJSON(t *testing.T) {
	entry := runs.Entry{Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Code: "FlowStarted", Description: "d", Details: map[string]any{"input": map[string]any{}}}
	entryDoc := map[string]any{"time": "2026-01-02T03:04:05.000000+00:00", "code": "FlowStarted", "description": "d", "details": map[string]any{"input": map[string]any{}}}
	tests := []struct {
		name string
		page page[runs.Entry]
		want map[string]any
	}{
		{"more to come", page[runs.Entry]{key: "entries", items: []runs.Entry{entry}, limit: 1, hasNext: true, marker: "m\"1"},
			map[string]any{"entries": []any{entryDoc}, "limit": 1.0, "has_next_page": true, "marker": "m\"1"}},
		{"last page, marker left out", page[runs.Entry]{key: "entries", items: []runs.Entry{}, limit: 10},
			map[string]any{"entries": []any{}, "limit": 10.0, "has_next_page": false}},
		{"last page, null marker", page[runs.Entry]{key: "actions", items: nil, limit: 20, nullMarker: true},
			map[string]any{"actions": nil, "limit": 20.0, "has_next_page": false, "marker": nil}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := tc.page.AppendJSON(nil)
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, b)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("page (-want +got):\n%s", diff)
			}
		})
	}
}
