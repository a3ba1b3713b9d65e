package mockserver

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/globus-conformance/kit/mockserver/jsonw"
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

// TestAccessListJSON compares the hand-written encoding of rule documents and access lists with
// encoding/json's reflection over the same fields.
func TestAccessListJSON(t *testing.T) {
	at, role := "2026-01-02T03:04:05+00:00", "r0"
	explicit := accessDocument{DataType: "access", ID: &role, PrincipalType: "identity", Principal: "p<&>", Path: "/a\"b/\u2028",
		Permissions: "rw", CreateTime: &at, ExpirationDate: &at}
	implicit := accessDocument{DataType: "access", RoleID: &role, RoleType: &role, PrincipalType: "group", Principal: "g", Path: "/", Permissions: "r"}
	list := accessList{"access_list", "c", 3, []any{explicit, implicit, map[string]any{"DATA_TYPE": "access", "path": "/x/"}}}
	type plainDoc accessDocument
	type plainList accessList
	for name, c := range map[string]struct {
		doc  jsonw.Appender
		want any
	}{
		"explicit rule": {explicit, plainDoc(explicit)},
		"implicit rule": {implicit, plainDoc(implicit)},
		"list":          {list, plainList{"access_list", "c", 3, []any{plainDoc(explicit), plainDoc(implicit), list.Data[2]}}},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := c.doc.AppendJSON(nil)
			if err != nil {
				t.Fatal(err)
			}
			want, err := jsonw.Reflect(nil, c.want)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("AppendJSON differs from encoding/json (-want +got):\n%s", diff)
			}
		})
	}
}
