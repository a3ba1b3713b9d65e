package webinputs

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/globus-conformance/kit/mockserver/auth"
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
	got, err := ParseSpec(valid(), t0)
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
	if got, err := ParseSpec(p, t0); err != nil || !got.ExpiresAt.Equal(at) {
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
			if _, err := ParseSpec(p, t0); err == nil || err.Error() != c.want {
				t.Fatalf("err = %v, want %q", err, c.want)
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
	other := s.Create(Origin{RunID: "run-1"}, Spec{Options: []Option{{Label: "Yes", Value: "y"}}, Respondents: []string{bob}}, t0)
	b := auth.Caller{Identity: auth.Identity{ID: "0b0b0000-0000-4000-8000-000000000002"}}
	b.IdentitySet = []auth.Identity{b.Identity}
	if _, err := s.Respond(b, other.ID, map[string]any{"value": other.Options[0].ID}, t0); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Outcome{Found: true, Value: "y"}, s.Await(other.ID, "run-1", t0)); diff != "" {
		t.Errorf("await after the answer (-want +got):\n%s", diff)
	}
}
