package registered

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRequest(t *testing.T) {
	api := API{Target: Target{Destination: Destination{Method: "post", URL: "https://api.example.org/things/{thing_id}"},
		Specification: map[string]any{"parameters": []any{
			map[string]any{"name": "thing_id", "in": "path", "required": true},
			map[string]any{"name": "mode", "in": "query", "required": true},
			map[string]any{"name": "tag", "in": "query"},
			map[string]any{"name": "X-Trace", "in": "header"},
		}}}}
	cases := []struct {
		name    string
		params  map[string]any
		want    Request
		wantErr string
	}{
		{name: "every place", params: map[string]any{"thing_id": "a b", "mode": "fast", "tag": []any{"x", "y"}, "X-Trace": 7, "body": map[string]any{"n": 1.0}, "other": 1},
			want: Request{Method: "POST", URL: "https://api.example.org/things/a%20b?mode=fast&tag=x&tag=y", Header: map[string]string{"X-Trace": "7"},
				Body: map[string]any{"n": 1.0}, HasBody: true}},
		{name: "missing path variable", params: map[string]any{"mode": "x"}, wantErr: "Parameters.thing_id is required by the destination https://api.example.org/things/{thing_id}"},
		{name: "missing required query", params: map[string]any{"thing_id": "a"}, wantErr: "Parameters.mode is required by the registered API"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := api.Request(c.params)
			if c.wantErr != "" {
				if err == nil || err.Error() != c.wantErr {
					t.Fatalf("err = %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
		})
	}
}

// The state input schema and the data templates have the recorded shape: the parameters flat
// by name, the body as "body" (SDK fixture get_registered_api).
func TestStateInputSchemaAndTemplates(t *testing.T) {
	api := API{Target: Target{Destination: Destination{URL: "https://api.example.org/{id}/{extra}"}, Specification: map[string]any{
		"parameters":  []any{map[string]any{"name": "id", "in": "path", "schema": map[string]any{"type": "string"}}, map[string]any{"name": "q", "in": "query"}},
		"requestBody": map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object"}}}},
	}}}
	want := map[string]any{"type": "object", "required": []any{"id", "extra", "body"},
		"properties": map[string]any{"id": map[string]any{"type": "string"}, "q": map[string]any{}, "extra": map[string]any{"type": "string"}, "body": map[string]any{"type": "object"}}}
	if diff := cmp.Diff(want, api.StateInputSchema()); diff != "" {
		t.Errorf("state_input_schema (-want +got):\n%s", diff)
	}
	wantRequest := map[string]any{"path": map[string]any{"$T_ref": "$"}, "query": map[string]any{"$T_ref": "$"}, "body": map[string]any{"$T_ref": "$.body"}}
	if diff := cmp.Diff(wantRequest, api.DataTemplates()["request"].(map[string]any)["template"]); diff != "" {
		t.Errorf("request template (-want +got):\n%s", diff)
	}
	none := API{Target: Target{Destination: Destination{URL: "https://api.example.org/status"}, Specification: map[string]any{}}}
	if diff := cmp.Diff(map[string]any{"type": "object", "properties": map[string]any{}}, none.StateInputSchema()); diff != "" {
		t.Errorf("an API without parameters (-want +got):\n%s", diff)
	}
}
