package webinputs

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/engine"
	"github.com/google/go-cmp/cmp"
)

var t0 = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

const bob = "urn:globus:auth:identity:0b0b0000-0000-4000-8000-000000000002"

func TestParseSpec(t *testing.T) {
	valid := func() map[string]any {
		return map[string]any{"InputType": "Selection", "Context": map[string]any{"Title": "T", "Rows": []any{map[string]any{"Field": "n", "Value": 3.0}}},
			"Options": []any{map[string]any{"Label": "Yes", "Value": true}}, "RespondentUrns": []any{bob}, "ExpiresIn": 30.0}
	}
	at := t0.Add(30 * time.Second)
	got, err := ParseSpec(valid(), nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	want := Spec{Context: Context{Title: "T", Style: "table", Rows: []Row{{Field: "n", Value: "3"}}},
		Options: []Option{{Label: "Yes", Value: true}}, Respondents: []string{bob}, Viewers: []string{}, ExpiresAt: &at}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("spec (-want +got):\n%s", diff)
	}
	// Numbers decoded from a request body arrive as json.Number.
	p := valid()
	p["ExpiresIn"] = json.Number("30")
	if got, err := ParseSpec(p, nil, t0); err != nil || !got.ExpiresAt.Equal(at) {
		t.Fatalf("ExpiresIn as json.Number: %v, %v", got.ExpiresAt, err)
	}
	const expiry = "CreateWebInput: ExpiresIn must be a positive number of seconds, at most 31536000 (a year, the longest a run lives)"
	cases := []struct {
		name string
		edit func(p map[string]any)
		want string
	}{
		{"input type", func(p map[string]any) { p["InputType"] = "Text" }, `CreateWebInput: InputType must be "Selection"`},
		{"title", func(p map[string]any) { p["Context"] = map[string]any{} }, "CreateWebInput: Context.Title is required"},
		{"style", func(p map[string]any) { p["Context"] = map[string]any{"Title": "T", "PresentationStyle": "Chart"} }, `CreateWebInput: Context.PresentationStyle must be "Table" or "Text"`},
		{"options", func(p map[string]any) { p["Options"] = []any{} }, "CreateWebInput: Options must list at least one option"},
		{"option value", func(p map[string]any) { p["Options"] = []any{map[string]any{"Label": "x"}} }, "CreateWebInput: Options[0] needs a Label and a Value"},
		{"respondents", func(p map[string]any) { p["RespondentUrns"] = []any{} }, "CreateWebInput: RespondentUrns must name at least one identity or group"},
		{"respondent urn", func(p map[string]any) { p["RespondentUrns"] = []any{"bob"} }, "CreateWebInput: RespondentUrns: bob is not an identity or group URN"},
		{"expiry", func(p map[string]any) { p["ExpiresIn"] = -1.0 }, expiry},
		{"no expiry", func(p map[string]any) { p["ExpiresIn"] = 0.0 }, expiry},
		{"expiry past a year", func(p map[string]any) { p["ExpiresIn"] = 31536001.0 }, expiry},
		{"expiry too large for a duration", func(p map[string]any) { p["ExpiresIn"] = json.Number("1e300") }, expiry},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := valid()
			c.edit(p)
			if _, err := ParseSpec(p, nil, t0); err == nil || err.Error() != c.want {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
}

// TestParseSpecPrivate: a private option value is kept and marked; a private value where the web
// input shows it is refused, and no error repeats a private value.
func TestParseSpecPrivate(t *testing.T) {
	params := func() map[string]any {
		return map[string]any{"InputType": "Selection", "Context": map[string]any{"Title": "T", "PresentationStyle": "Text", "Text": "x"},
			"Options":        []any{map[string]any{"Label": "Yes", "Value": "k3y"}, map[string]any{"Label": "No", "Value": map[string]any{"a": 1, "pin": 2}}},
			"RespondentUrns": []any{bob}, "ViewerUrns": []any{}, "note": "n0te"}
	}
	opt := func(i int, steps ...engine.PathStep) engine.Location {
		return append(engine.Location{engine.KeyStep("Options"), engine.IndexStep(i)}, steps...)
	}
	value := engine.KeyStep("Value")
	shown := "CreateWebInput: what a web input shows people (its Context, the options' Label and Description, RespondentUrns and ViewerUrns) cannot be private"
	cases := []struct {
		name    string
		edit    func(p map[string]any)
		private []engine.Location
		want    [][]engine.Location // each option's Private
		wantErr string
	}{
		{"a private parameter the web input does not show", nil, []engine.Location{{engine.KeyStep("note")}}, [][]engine.Location{nil, nil}, ""},
		{"private option values", nil, []engine.Location{opt(0, value), opt(1, value, engine.KeyStep("pin"))},
			[][]engine.Location{{{}}, {{engine.KeyStep("pin")}}}, ""},
		{"a private title", nil, []engine.Location{{engine.KeyStep("Context"), engine.KeyStep("Title")}}, nil, shown},
		{"a private label", nil, []engine.Location{opt(1, engine.KeyStep("Label"))}, nil, shown},
		{"a private option", nil, []engine.Location{opt(1)}, nil, shown},
		{"private viewers", func(p map[string]any) { p["ViewerUrns"] = []any{bob} }, []engine.Location{{engine.KeyStep("ViewerUrns")}}, nil, shown},
		{"a _private key where the web input shows it", func(p map[string]any) {
			p["Context"] = map[string]any{"Title": "T", "Rows": []any{map[string]any{"Field": "f", "Value": map[string]any{"_private_x": "s3cret"}}}}
		}, nil, nil, shown},
		{"an invalid private respondent", func(p map[string]any) { p["RespondentUrns"] = []any{"s3cret"} },
			[]engine.Location{{engine.KeyStep("RespondentUrns")}}, nil, "CreateWebInput: RespondentUrns must name at least one identity or group"},
		{"an invalid private viewer", func(p map[string]any) { p["ViewerUrns"] = []any{"s3cret"} },
			[]engine.Location{{engine.KeyStep("ViewerUrns")}}, nil, "CreateWebInput: a private parameter is not valid; its error is not shown"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := params()
			if c.edit != nil {
				c.edit(p)
			}
			got, err := ParseSpec(p, c.private, t0)
			if gotErr := fmt.Sprint(err); (err != nil || c.wantErr != "") && gotErr != c.wantErr {
				t.Fatalf("err = %s, want %q", gotErr, c.wantErr)
			}
			var privates [][]engine.Location
			for _, o := range got.Options {
				privates = append(privates, o.Private)
				if o.Label == "Yes" && o.Value != "k3y" {
					t.Errorf("option value = %v", o.Value)
				}
			}
			if diff := cmp.Diff(c.want, privates); diff != "" {
				t.Errorf("options' private locations (-want +got):\n%s", diff)
			}
		})
	}
}

type openFlows struct{}

func (openFlows) CheckSession(auth.Caller, string, func(auth.Caller) bool) error { return nil }
func (openFlows) IsHighAssurance(string) bool                                    { return false }

func TestAwaitSeesAnswersAndExpiry(t *testing.T) {
	s := NewStore(openFlows{})
	at := t0.Add(time.Minute)
	w := s.Create(Origin{RunID: "run-1"}, Spec{Options: []Option{{Label: "Yes", Value: "y"}}, Respondents: []string{bob}, ExpiresAt: &at}, t0)
	if got := s.Await(w.ID, "run-2", t0); got.Found {
		t.Fatal("a run must not await another run's web input")
	}
	if got := s.Await(w.ID, "run-1", t0); !got.Open || !got.ExpiresAt.Equal(at) {
		t.Fatalf("await = %+v, want open until %v", got, at)
	}
	if got := s.Await(w.ID, "run-1", at); !got.Expired {
		t.Fatalf("await at the expiry = %+v, want expired", got)
	}
	secret := []engine.Location{{}}
	other := s.Create(Origin{RunID: "run-1"}, Spec{Options: []Option{{Label: "Yes", Value: "y", Private: secret}}, Respondents: []string{bob}}, t0)
	b := auth.Caller{Identity: auth.Identity{ID: "0b0b0000-0000-4000-8000-000000000002"}}
	b.IdentitySet = []auth.Identity{b.Identity}
	if _, err := s.Respond(b, other.ID, map[string]any{"value": other.Options[0].ID}, t0); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Outcome{Found: true, Value: "y", Private: secret}, s.Await(other.ID, "run-1", t0)); diff != "" {
		t.Errorf("await after the answer (-want +got):\n%s", diff)
	}
}
