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
		}}}}
	cases := []struct {
		name    string
		params  map[string]any
		want    Request
		wantErr string
	}{
		{name: "every place", params: map[string]any{"path": map[string]any{"thing_id": "a b"}, "query": map[string]any{"mode": "fast", "tag": []any{"x", "y"}},
			"header": map[string]any{"X-Trace": 7}, "body": map[string]any{"n": 1.0}},
			want: Request{Method: "POST", URL: "https://api.example.org/things/a%20b?mode=fast&tag=x&tag=y", Header: map[string]string{"X-Trace": "7"},
				Body: map[string]any{"n": 1.0}, HasBody: true}},
		{name: "missing path variable", params: map[string]any{"query": map[string]any{"mode": "x"}}, wantErr: "Parameters.path.thing_id is required by the destination https://api.example.org/things/{thing_id}"},
		{name: "missing required query", params: map[string]any{"path": map[string]any{"thing_id": "a"}}, wantErr: "Parameters.query.mode is required by the registered API"},
		{name: "unknown place", params: map[string]any{"cookie": map[string]any{}}, wantErr: `Parameters of a registered API call take path, query, header and body; "cookie" is not one of them`},
		{name: "place not an object", params: map[string]any{"path": "a"}, wantErr: "Parameters.path must be an object"},
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

func TestStateInputSchema(t *testing.T) {
	api := API{Target: Target{Specification: map[string]any{
		"parameters":  []any{map[string]any{"name": "id", "in": "path", "schema": map[string]any{"type": "string"}}},
		"requestBody": map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object"}}}},
	}}}
	want := map[string]any{"type": "object", "additionalProperties": false, "required": []any{"path", "body"},
		"properties": map[string]any{
			"path": map[string]any{"type": "object", "required": []string{"id"}, "properties": map[string]any{"id": map[string]any{"type": "string"}}},
			"body": map[string]any{"type": "object"},
		}}
	if diff := cmp.Diff(want, api.StateInputSchema()); diff != "" {
		t.Errorf("state_input_schema (-want +got):\n%s", diff)
	}
}
