package engine

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// at builds a Location from keys (strings) and indexes (ints).
func at(steps ...any) Location {
	loc := Location{}
	for _, s := range steps {
		switch x := s.(type) {
		case string:
			loc = append(loc, KeyStep(x))
		case int:
			loc = append(loc, IndexStep(x))
		}
	}
	return loc
}

func TestRedact(t *testing.T) {
	tests := []struct {
		name    string
		value   string
		private []Location
		want    string
	}{
		{"named keys and _private keys at any depth",
			`{"a": {"secret": 1, "open": 2}, "_private": {"p": 1}, "deep": {"_private_x": 5, "y": [{"_private": 1, "z": 2}]}}`,
			[]Location{at("a", "secret")},
			`{"a": {"open": 2}, "deep": {"y": [{"z": 2}]}}`},
		{"an index reaches one element only",
			`{"l": [{"secret": 1, "k": 2}, {"secret": 3}]}`,
			[]Location{at("l", 0, "secret")},
			`{"l": [{"k": 2}, {"secret": 3}]}`},
		{"private elements show as null and the others keep their indexes",
			`{"l": ["a", "b", "c", "d"]}`,
			[]Location{at("l", 0), at("l", 2)},
			`{"l": [null, "b", null, "d"]}`},
		{"indexes inside indexes",
			`{"m": [[{"x": 1}], [{"x": 2}, {"x": 3, "y": 4}]]}`,
			[]Location{at("m", 1, 1, "x")},
			`{"m": [[{"x": 1}], [{"x": 2}, {"y": 4}]]}`},
		{"a state that is an array",
			`[{"pw": "s"}, {"pw": "t"}]`,
			[]Location{at(1, "pw")},
			`[{"pw": "s"}, {}]`},
		{"a key step that meets an array applies to every element",
			`{"l": [{"secret": 1, "k": 2}, {"secret": 3}]}`,
			[]Location{at("l", "secret")},
			`{"l": [{"k": 2}, {}]}`},
		{"an index on an object, past the end, or a key on a number matches nothing",
			`{"o": {"0": 1}, "l": [1], "n": 5}`,
			[]Location{at("o", 0), at("l", 3), at("n", "x"), at("missing", 0)},
			`{"o": {"0": 1}, "l": [1], "n": 5}`},
		{"the empty location is the whole value",
			`{"a": 1}`,
			[]Location{at()},
			`null`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := jsonValue(t, tc.value)
			got := Redact(v, tc.private)
			if diff := cmp.Diff(jsonValue(t, tc.want), got); diff != "" {
				t.Errorf("Redact (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(jsonValue(t, tc.value), v); diff != "" {
				t.Errorf("Redact changed its input (-before +after):\n%s", diff)
			}
		})
	}
}

func TestWithin(t *testing.T) {
	private := []Location{at("creds", "pw"), at("slots", 1), at("l", "token")}
	tests := []struct {
		name string
		at   Location
		want []Location
	}{
		{"an object holding a private value", at("creds"), []Location{at("pw")}},
		{"the private value itself", at("creds", "pw"), []Location{at()}},
		{"below a private value", at("slots", 1, "deep"), []Location{at()}},
		{"an array holding a private element", at("slots"), []Location{at(1)}},
		{"another element", at("slots", 0), nil},
		{"a legacy key step through an element", at("l", 4), []Location{at("token")}},
		{"below a _private key", at("box", "_private_x", "y"), []Location{at()}},
		{"the whole state", at(), private},
		{"nothing private there", at("open"), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Within(private, tc.at)); diff != "" {
				t.Errorf("Within(%v) (-want +got):\n%s", tc.at, diff)
			}
		})
	}
}

// TestStepKeepsIndexedPrivacy: private values written at an indexed ResultPath, or rendered inside
// a list, are recorded with their indexes, and a later write over them forgets them.
func TestStepKeepsIndexedPrivacy(t *testing.T) {
	def := jsonValue(t, `{"StartAt": "Keep", "States": {
		"Keep": {"Type": "ExpressionEval", "Parameters": {"pin": "1234", "user": "u", "__Private_Parameters": ["pin"]},
		         "ResultPath": "$.slots[1]", "Next": "List"},
		"List": {"Type": "Pass", "Parameters": {"l": [{"t": "x"}, {"t": "y", "__Private_Parameters": ["t"]}]},
		         "ResultPath": "$.list", "Next": "Over"},
		"Over": {"Type": "Pass", "Result": [], "ResultPath": "$.slots", "End": true}}}`).(map[string]any)
	state := jsonValue(t, `{"slots": [{}, {}]}`)
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	steps := []struct {
		name      string
		private   []Location
		shown     string
		completed string
	}{
		{"Keep", []Location{at("slots", 1, "pin")}, `{"slots": [{}, {"user": "u"}]}`, `{"user": "u"}`},
		{"List", []Location{at("slots", 1, "pin"), at("list", "l", 1, "t")},
			`{"slots": [{}, {"user": "u"}], "list": {"l": [{"t": "x"}, {}]}}`, `{"l": [{"t": "x"}, {}]}`},
		{"Over", []Location{at("list", "l", 1, "t")}, `{"slots": [], "list": {"l": [{"t": "x"}, {}]}}`, `[]`},
	}
	var private []Location
	for _, st := range steps {
		r := Step(def, st.name, state, private, nil, now)
		if r.Fail != nil {
			t.Fatalf("%s failed: %+v", st.name, r.Fail)
		}
		if diff := cmp.Diff(st.private, r.Private); diff != "" {
			t.Errorf("%s: private locations (-want +got):\n%s", st.name, diff)
		}
		if diff := cmp.Diff(jsonValue(t, st.shown), Redact(r.State, r.Private)); diff != "" {
			t.Errorf("%s: the state as shown (-want +got):\n%s", st.name, diff)
		}
		if diff := cmp.Diff(jsonValue(t, st.completed), r.Output); diff != "" {
			t.Errorf("%s: the output as logged (-want +got):\n%s", st.name, diff)
		}
		state, private = r.State, r.Private
	}
}

func TestLocationJSON(t *testing.T) {
	var got []Location
	if err := json.Unmarshal([]byte(`[["a", 0, "b"], ["legacy", "keys"], []]`), &got); err != nil {
		t.Fatal(err)
	}
	want := []Location{at("a", 0, "b"), at("legacy", "keys"), at()}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `[["a",0,"b"],["legacy","keys"],[]]` {
		t.Errorf("encoded %s", b)
	}
	for _, bad := range []string{`[[true]]`, `[[-1]]`, `[[1.5]]`} {
		if err := json.Unmarshal([]byte(bad), &got); err == nil {
			t.Errorf("%s decoded", bad)
		}
	}
}

// TestEchoes: the private texts of a body, and where an answer repeats them; short texts count
// only as whole strings.
func TestEchoes(t *testing.T) {
	body := jsonValue(t, `{"token": "s3cret-token", "pin": 1234, "short": "ab", "open": "x", "_private": {"k": "hidden-key"}}`)
	texts := PrivateTexts(body, []Location{at("token"), at("pin"), at("short")})
	sorted := cmpopts.SortSlices(func(a, b string) bool { return a < b })
	if diff := cmp.Diff([]string{"s3cret-token", "1234", "ab", "hidden-key"}, texts, sorted); diff != "" {
		t.Errorf("PrivateTexts (-want +got):\n%s", diff)
	}
	answer := jsonValue(t, `{"a": "the s3cret-token was refused", "b": 1234, "c": "abc", "d": "ab", "e": [1, "hidden-key"],
		"f": "fine", "g": "12345", "h": 12345}`)
	byText := cmpopts.SortSlices(func(a, b Location) bool { return fmt.Sprint(a) < fmt.Sprint(b) })
	want := []Location{at("a"), at("b"), at("d"), at("e", 1), at("g")}
	if diff := cmp.Diff(want, Echoes(answer, texts), byText); diff != "" {
		t.Errorf("Echoes (-want +got):\n%s", diff)
	}
	if Echoes(answer, nil) != nil {
		t.Error("an answer to a body without private values repeats none")
	}
}
