package engine

import (
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLookup(t *testing.T) {
	state := jsonValue(t, `{"a": {"b": [10, {"c": "x"}]}, "list": [{"n": 1}, {"n": 2}], "nil": null}`)
	ctx := map[string]any{"run_id": "r"}
	tests := []struct {
		path, want, wantErr string
	}{
		{"$", `{"a": {"b": [10, {"c": "x"}]}, "list": [{"n": 1}, {"n": 2}], "nil": null, "_context": {"run_id": "r"}}`, ""},
		{"$.a.b[0]", `10`, ""},
		{"$.a.b[1].c", `"x"`, ""},
		{"$['a']['b'][-1].c", `"x"`, ""},
		{"$.nil", `null`, ""},
		{"$._context.run_id", `"r"`, ""},
		{"$.list[*].n", `[1, 2]`, ""},
		{"$..n", `[1, 2]`, ""},
		{"$.list[?@.n > 1].n", `[2]`, ""},
		{"$.missing", "", "matches nothing"},
		{"$.a.b[5]", "", "matches nothing"},
		{"a.b", "", "must start with '$'"},
		{"$.a[", "", "invalid JSONPath"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			got, err := Lookup(tc.path, state, ctx)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Lookup(%s) error = %v, want %q", tc.path, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(jsonValue(t, tc.want), got); diff != "" {
				t.Errorf("Lookup(%s) (-want +got):\n%s", tc.path, diff)
			}
		})
	}
}

func TestPut(t *testing.T) {
	tests := []struct {
		name, state, path, value, want, wantErr string
	}{
		{"root replaces", `{"a": 1}`, "$", `{"b": 2}`, `{"b": 2}`, ""},
		{"overwrites one key", `{"a": {"x": 1, "y": 2}}`, "$.a.x", `5`, `{"a": {"x": 5, "y": 2}}`, ""},
		{"creates intermediates", `{"a": 1}`, "$.b.c.d", `true`, `{"a": 1, "b": {"c": {"d": true}}}`, ""},
		{"replaces a scalar on the way", `{"a": 1}`, "$.a.b", `2`, `{"a": {"b": 2}}`, ""},
		{"writes into a list", `{"l": [1, 2]}`, "$.l[1]", `9`, `{"l": [1, 9]}`, ""},
		{"writes into an object in a list", `{"l": [{"x": 1}, {"y": 2}], "k": {"z": 3}}`, "$.l[0].x", `9`, `{"l": [{"x": 9}, {"y": 2}], "k": {"z": 3}}`, ""},
		{"bracket names", `{}`, "$['odd key']", `1`, `{"odd key": 1}`, ""},
		{"non-object state becomes an object", `[1]`, "$.a", `1`, `{"a": 1}`, ""},
		{"index out of range", `{"l": [1]}`, "$.l[3]", `9`, "", "does not match"},
		{"wildcards are not references", `{"l": [1]}`, "$.l[*]", `9`, "", "not a reference path"},
		{"descendants are not references", `{}`, "$..x", `9`, "", "not a reference path"},
		{"context is read-only", `{}`, "$._context.run_id", `9`, "", "read-only"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			state := jsonValue(t, tc.state)
			got, err := Put(state, tc.path, jsonValue(t, tc.value))
			// Run states are shared by log entries and documents: Put must leave its input alone.
			if diff := cmp.Diff(jsonValue(t, tc.state), state); diff != "" {
				t.Errorf("Put(%s) changed the state it was given (-before +after):\n%s", tc.path, diff)
			}
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Put(%s) error = %v, want %q", tc.path, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(jsonValue(t, tc.want), got); diff != "" {
				t.Errorf("Put(%s) (-want +got):\n%s", tc.path, diff)
			}
		})
	}
}

// TestRedactSharesWhatItKeeps: a value with nothing private is answered as it is (log entries and
// details share the run state), and only the objects that lose a key are new.
func TestRedactSharesWhatItKeeps(t *testing.T) {
	v := jsonValue(t, `{"a": {"x": 1}, "b": {"secret": 2, "y": 3}}`).(map[string]any)
	if got := Redact(v, nil); reflect.ValueOf(got).UnsafePointer() != reflect.ValueOf(v).UnsafePointer() {
		t.Error("Redact copied a value with nothing private")
	}
	got := Redact(v, []Location{at("b", "secret")}).(map[string]any)
	if reflect.ValueOf(got["a"]).UnsafePointer() != reflect.ValueOf(v["a"]).UnsafePointer() {
		t.Error("Redact copied an object that lost nothing")
	}
	if _, ok := v["b"].(map[string]any)["secret"]; !ok {
		t.Error("Redact removed the key from its input")
	}
}
