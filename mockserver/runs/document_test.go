package runs

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/globus-conformance/kit/mockserver/jsonw"
	"github.com/google/go-cmp/cmp"
)

// reflected is what encoding/json writes for v through reflection, HTML escaping off.
func reflected(t *testing.T, v any) string {
	t.Helper()
	b, err := jsonw.Reflect(nil, v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAppendJSONMatchesEncodingJSON compares the hand-written encoding of run documents and log
// entries with encoding/json's reflection over the same fields.
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	at := Timestamp(time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC))
	blocking := "3eb1n900-0000-4000-8000-000000000001"
	full := Document{RunID: "r", ActionID: "r", FlowID: "f", FlowTitle: "T <&> \"q\"\u2028", FlowLastUpdated: at, StartTime: at,
		CompletionTime: &at, Label: "l\n", Status: Succeeded, DisplayStatus: Succeeded,
		Details:  map[string]any{"code": "FlowSucceeded", "output": map[string]any{"n": json.Number("1.50"), "l": []any{true, nil, "x"}}},
		RunOwner: "urn:a", CreatedBy: "urn:a", RunManagers: []string{"urn:m"}, RunMonitors: []string{}, ManageBy: []string{"urn:m"},
		MonitorBy: []string{}, UserRole: "run_owner", UserRoles: []string{"run_owner", "run_manager"}, Tags: []string{"t"},
		BlockingWebInputID: &blocking, NotificationPolicy: map[string]any{"status": []string{"INACTIVE"}},
		FlowDescription: &FlowEmbed{ID: "f", FlowOwner: "urn:a", CreatedAt: at, UpdatedAt: at, DeletedAt: &at, Keywords: []string{}}}
	type plainDocument Document
	for name, d := range map[string]Document{"every field": full, "empty": {}} {
		t.Run(name, func(t *testing.T) {
			got, err := d.AppendJSON(nil)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(reflected(t, plainDocument(d)), string(got)); diff != "" {
				t.Errorf("AppendJSON differs from encoding/json (-want +got):\n%s", diff)
			}
		})
	}
	e := Entry{Time: time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC), Code: "PassStarted", Description: "<d>",
		Details: map[string]any{"input": map[string]any{"a": 1.0}}}
	want := reflected(t, struct {
		Time        Timestamp      `json:"time"`
		Code        string         `json:"code"`
		Description string         `json:"description"`
		Details     map[string]any `json:"details"`
	}{Timestamp(e.Time), e.Code, e.Description, e.Details})
	got, err := e.AppendJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("Entry.AppendJSON differs from encoding/json (-want +got):\n%s", diff)
	}
}
