package flows

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/globus-conformance/kit/mockserver/jsonw"
	"github.com/google/go-cmp/cmp"
)

func TestAppendTimestampMatchesTheLayout(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(2023, 4, 11, 20, 1, 22, 917000000, time.UTC),
		time.Date(1999, 12, 31, 23, 59, 59, 999999999, time.FixedZone("x", 3600)),
		time.Date(2030, 1, 2, 3, 4, 5, 6000, time.UTC),
		time.Unix(0, 0),
	} {
		want := at.UTC().Format(Format)
		if got := string(AppendTimestamp(nil, at)); got != want {
			t.Errorf("AppendTimestamp(%v) = %s, want %s", at, got, want)
		}
	}
}

// TestAppendJSONMatchesEncodingJSON compares the hand-written encoding of flow documents with
// encoding/json's, over the views callers get: owner, viewer of a flow with private parameters,
// a high-assurance flow in a listing, a deleted flow, a flow not stored, a
// document without its definition's JSON.
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
	sub, policy := "5ub5c41b-0000-4000-8000-000000000001", "9011c700-0000-4000-8000-000000000001"
	base := func() *Flow {
		f := &Flow{ID: "f10a0000-0000-4000-8000-000000000001", Title: "T <&> \"q\"", Subtitle: "s\u2028", Description: "d\n",
			Keywords: []string{"k1", "k2"}, Owner: "urn:globus:auth:identity:a", CreatedBy: "urn:globus:auth:identity:a",
			Viewers: []string{"public"}, Starters: []string{}, Administrators: nil, RunManagers: []string{"urn:x"}, RunMonitors: []string{},
			Definition: map[string]any{"StartAt": "A", "States": map[string]any{"A": map[string]any{"Type": "Action", "End": true,
				"Parameters": map[string]any{"secret": "s", "open": json.Number("1.50"), "__Private_Parameters": []any{"secret"}}}}},
			InputSchema: map[string]any{"type": "object", "properties": map[string]any{"x": map[string]any{"type": "number"}}},
			CreatedAt:   at, UpdatedAt: at.Add(time.Hour)}
		f.encode()
		return f
	}
	ha := base()
	ha.SubscriptionID, ha.AuthenticationPolicyID = sub, policy
	unstored := base()
	unstored.enc = nil
	unwritten := render(base(), Access{Role: Owner}, false)
	unwritten.definitionJSON, unwritten.inputSchemaJSON = nil, nil
	deleted := render(base(), Access{Role: Owner}, false)
	deleted.Deleted, deleted.DeletedAt = true, &deleted.UpdatedAt
	cases := map[string]Document{
		"owner":                        render(base(), Access{Role: Owner}, false),
		"viewer (private parameters)":  render(base(), Access{Role: Viewer, RunMonitor: true}, false),
		"run manager only":             render(base(), Access{RunManager: true}, true),
		"high assurance, listed":       render(ha, Access{Role: Administrator}, true),
		"high assurance, fetched":      render(ha, Access{Role: Administrator}, false),
		"deleted":                      deleted,
		"flow not stored":              render(unstored, Access{Role: Viewer}, false),
		"definition not written ahead": unwritten,
	}
	for name, d := range cases {
		t.Run(name, func(t *testing.T) {
			want, err := jsonw.Reflect(nil, d)
			if err != nil {
				t.Fatal(err)
			}
			got, err := d.AppendJSON(nil)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("AppendJSON differs from encoding/json (-want +got):\n%s", diff)
			}
		})
	}
	if got := string(render(base(), Access{Role: Viewer}, false).definitionJSON); strings.Contains(got, "secret") {
		t.Errorf("a viewer's definition holds the private parameter: %s", got)
	}
}
