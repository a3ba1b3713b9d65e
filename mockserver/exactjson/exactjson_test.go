package exactjson

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type inner struct {
	Name string `json:"name"`
}

type embedded struct {
	Kind string `json:"kind"`
}

type node struct {
	Name string `json:"name"`
	Kids []node `json:"kids"`
}

// raw keeps what it is given, as a json.Unmarshaler does.
type raw struct{ text string }

func (r *raw) UnmarshalJSON(b []byte) error { r.text = string(b); return nil }

type target struct {
	embedded
	Label    *string           `json:"label"`
	Items    []inner           `json:"items"`
	ByKey    map[string]*inner `json:"by_key"`
	Pair     [1]inner          `json:"pair"`
	Ptr      *inner            `json:"ptr"`
	Data     map[string]any    `json:"data"`
	Any      any               `json:"any"`
	Raw      raw               `json:"raw"`
	Tree     *node             `json:"tree"`
	Untagged string
	Skipped  string `json:"-"`
}

func ptr(s string) *string { return &s }

func TestDecodeMatchesFieldNamesExactly(t *testing.T) {
	cases := []struct {
		name string
		in   string
		opts Options
		want target
	}{
		{name: "exact names decode", in: `{"label": "a", "items": [{"name": "x"}]}`,
			want: target{Label: ptr("a"), Items: []inner{{Name: "x"}}}},
		{name: "a key differing by case is dropped", in: `{"Label": "long"}`, want: target{}},
		{name: "it does not overwrite the exact key, before or after", in: `{"LABEL": "1", "label": "a", "Label": "2"}`,
			want: target{Label: ptr("a")}},
		{name: "in structs in slices", in: `{"items": [{"name": "x"}, {"Name": "y"}]}`, want: target{Items: []inner{{Name: "x"}, {}}}},
		{name: "in structs in maps", in: `{"by_key": {"k": {"NAME": "y"}}}`, want: target{ByKey: map[string]*inner{"k": {}}}},
		{name: "in structs in arrays", in: `{"pair": [{"nAme": "y"}]}`, want: target{}},
		{name: "behind pointers", in: `{"ptr": {"Name": "y"}}`, want: target{Ptr: &inner{}}},
		{name: "in embedded structs", in: `{"Kind": "k"}`, want: target{}},
		{name: "embedded fields by their exact name", in: `{"kind": "k"}`, want: target{embedded: embedded{Kind: "k"}}},
		{name: "in recursive types", in: `{"tree": {"name": "a", "kids": [{"Name": "b", "kids": [{"NAME": "c"}]}]}}`,
			want: target{Tree: &node{Name: "a", Kids: []node{{Kids: []node{{}}}}}}},
		{name: "an untagged field by its Go name only", in: `{"untagged": "u"}`, want: target{}},
		{name: "an untagged field by its Go name", in: `{"Untagged": "u"}`, want: target{Untagged: "u"}},
		{name: "a field named -", in: `{"skipped": "s", "Skipped": "s"}`, want: target{}},
		{name: "maps of any keep their keys", in: `{"data": {"Label": 1, "label": 2}}`,
			want: target{Data: map[string]any{"Label": 1.0, "label": 2.0}}},
		{name: "interfaces keep their keys", in: `{"any": {"Label": [1]}}`, want: target{Any: map[string]any{"Label": []any{1.0}}}},
		{name: "unmarshalers get their bytes", in: `{"raw": {"Label": 1}}`, want: target{Raw: raw{`{"Label": 1}`}}},
		{name: "numbers as json.Number", in: `{"data": {"n": 1e300}}`, opts: Options{UseNumber: true},
			want: target{Data: map[string]any{"n": json.Number("1e300")}}},
		{name: "escaped keys are compared unescaped", in: `{"\u004cabel": "x", "l\u0061bel": "y"}`, want: target{Label: ptr("y")}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got target
			if err := c.opts.Decode([]byte(c.in), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, got, cmp.AllowUnexported(target{}, raw{})); diff != "" {
				t.Errorf("Decode(%s) (-want +got):\n%s", c.in, diff)
			}
		})
	}
}

func TestDecodeRefuses(t *testing.T) {
	strict := Options{DisallowUnknownFields: true}
	cases := []struct {
		name, in string
		opts     Options
		want     string
	}{
		{name: "a key differing by case when unknown fields are refused", in: `{"items": [{"Name": "x"}]}`, opts: strict,
			want: `json: unknown field "Name"`},
		{name: "an unknown key when unknown fields are refused", in: `{"nope": 1}`, opts: strict, want: `json: unknown field "nope"`},
		{name: "malformed JSON", in: `{"label": `, want: "unexpected EOF"},
		{name: "a wrong type", in: `{"Label": 1, "label": 2}`, want: "cannot unmarshal number into Go struct field target.label of type string"},
		{name: "data after the value", in: `{"label": "a"} {}`, want: "invalid data after the top-level value"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got target
			err := c.opts.Decode([]byte(c.in), &got)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Decode(%s) = %v, want an error containing %q", c.in, err, c.want)
			}
		})
	}
}

// What is dropped is cut out of the input; the rest keeps its bytes.
func TestExactSplicesTheKeptMembers(t *testing.T) {
	cases := []struct{ in, want string }{
		{`{"Label": 1}`, `{}`},
		{`{ "Label" : 1 , "label": "a" }`, `{"label": "a"}`},
		{`{"label": "a", "Label": 1, "other": [1, {"Label": 2}]}`, `{"label": "a","other": [1, {"Label": 2}]}`},
		{`{"items": [{"name": "x"}, {"NAME": "y", "name": "z"}], "LABEL": "b"}`, `{"items": [{"name": "x"},{"name": "z"}]}`},
		{`{"by_key": {"a": {"Name": "\"}\""}, "b": {}}, "data": {"Name": 1}}`, `{"by_key": {"a": {},"b": {}},"data": {"Name": 1}}`},
	}
	for _, c := range cases {
		out, err := exact([]byte(c.in), reflect.TypeFor[target](), false)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(c.want, string(out)); diff != "" {
			t.Errorf("exact(%s) (-want +got):\n%s", c.in, diff)
		}
	}
}

// Whatever the input, what exact makes of valid JSON is valid JSON that encoding/json decodes
// as Decode does.
func FuzzExact(f *testing.F) {
	for _, seed := range []string{`{"Label": 1, "label": "a"}`, `{"items": [{"Name": "y"}, {"name": "x"}]}`,
		`{"tree": {"kids": [{"NAME": "c", "kids": []}]}}`, `{"by_key": {"k": {"Name": "\u0022"}}}`, `[1]`, `{"a":}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := exact(data, reflect.TypeFor[target](), false)
		if err != nil || !json.Valid(data) {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("exact(%s) = %s, not JSON", data, out)
		}
		var want, got target
		wantErr := json.Unmarshal(out, &want)
		gotErr := Decode(data, &got)
		if (wantErr == nil) != (gotErr == nil) {
			t.Fatalf("errors differ: %v, %v", wantErr, gotErr)
		}
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(target{}, raw{})); wantErr == nil && diff != "" {
			t.Fatalf("Decode(%s) differs from decoding %s (-want +got):\n%s", data, out, diff)
		}
	})
}

// Without a key to drop, the input is decoded as it is, never re-encoded.
func TestExactKeepsTheInputWhenNothingIsDropped(t *testing.T) {
	for _, in := range []string{`{"label": "a", "items": [{"name": "x"}], "data": {"Label": 1}}`, `null`, `[1, 2]`, `{"label": `} {
		b := []byte(in)
		out, err := exact(b, reflect.TypeFor[target](), false)
		if err != nil || !sameSlice(out, b) {
			t.Errorf("exact(%s) = %s, %v; want the input itself", in, out, err)
		}
	}
}
