package engine

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/google/go-cmp/cmp"
)

func def(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCheckStructureLocations(t *testing.T) {
	cases := []struct {
		name string
		def  string
		want []string // locations joined by "."
	}{
		{"valid", `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`, nil},
		{"missing both", `{}`, []string{"definition.StartAt", "definition.States"}},
		{"dangling start", `{"StartAt":"B","States":{"A":{"Type":"Pass","End":true}}}`, []string{"definition.StartAt"}},
		{"no next or end", `{"StartAt":"A","States":{"A":{"Type":"Pass"}}}`, []string{"definition.States.A"}},
		{"next and end", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"A","End":true}}}`, []string{"definition.States.A"}},
		{"bad next", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Z"}}}`, []string{"definition.States.A.Next"}},
		{"task refused", `{"StartAt":"A","States":{"A":{"Type":"Task","End":true}}}`, []string{"definition.States.A.Type"}},
		{"output path refused", `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"OutputPath":"$.x"}}}`, []string{"definition.States.A.OutputPath"}},
		{"action needs url and input", `{"StartAt":"A","States":{"A":{"Type":"Action","End":true}}}`, []string{"definition.States.A.ActionUrl", "definition.States.A"}},
		{"choice targets", `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.x","IsPresent":true,"Next":"X"}],"Default":"Y"}}}`, []string{"definition.States.C.Choices.0.Next", "definition.States.C.Default"}},
		{"choice rule without operator", `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.x","Next":"C"}]}}}`, []string{"definition.States.C.Choices.0"}},
		{"choice rule with two operators", `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.x","IsNull":true,"StringEquals":"a","Next":"C"}]}}}`, []string{"definition.States.C.Choices.0"}},
		{"choice operand of the wrong type", `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.x","NumericEquals":"1","Next":"C"}]}}}`, []string{"definition.States.C.Choices.0.NumericEquals"}},
		{"nested rule with Next", `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Not":{"Variable":"$.x","IsNull":true,"Next":"C"},"Next":"C"}]}}}`, []string{"definition.States.C.Choices.0.Not.Next"}},
		{"empty And", `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"And":[],"Next":"C"}]}}}`, []string{"definition.States.C.Choices.0.And"}},
		{"combinator mixed with comparison", `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Or":[{"Variable":"$.x","IsNull":true}],"Variable":"$.x","Next":"C"}]}}}`, []string{"definition.States.C.Choices.0"}},
		{"negative seconds", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":-1,"End":true}}}`, []string{"definition.States.W.Seconds"}},
		{"bad timestamp", `{"StartAt":"W","States":{"W":{"Type":"Wait","Timestamp":"tomorrow","End":true}}}`, []string{"definition.States.W.Timestamp"}},
		{"fail with error and error path", `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","ErrorPath":"$.e"}}}`, []string{"definition.States.F.ErrorPath"}},
		{"wait needs one time", `{"StartAt":"W","States":{"W":{"Type":"Wait","End":true}}}`, []string{"definition.States.W"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := locations(CheckStructure(def(t, c.def)))
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Fatalf("locations (-want +got):\n%s", diff)
			}
		})
	}
}

func locations(errs []apierr.FieldError) []string {
	var got []string
	for _, e := range errs {
		parts := make([]string, len(e.Loc))
		for i, p := range e.Loc {
			b, _ := json.Marshal(p)
			parts[i] = strings.Trim(string(b), `"`)
		}
		got = append(got, strings.Join(parts, "."))
	}
	return got
}

func TestAnalyzeDataAccess(t *testing.T) {
	cases := []struct {
		name, def string
		want      []string
	}{
		{"valid paths and expressions", `{"StartAt":"A","States":{"A":{"Type":"ExpressionEval","Parameters":{"a.$":"$.x[0].y","b.=":"x + 1","c":{"d.$":"$..e"}},"ResultPath":"$.r","End":true}}}`, nil},
		{"context is read-only", `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"ResultPath":"$._context.x"}}}`, []string{"definition.States.A.ResultPath"}},
		{"result path must be a reference", `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"ResultPath":"$.a[*]"}}}`, []string{"definition.States.A.ResultPath"}},
		{"bad JSONPath in parameters", `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"Parameters":{"n":{"x.$":"$.a[?"}}}}}`, []string{"definition.States.A.Parameters.n.x.$"}},
		{"path without $", `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"InputPath":"a.b"}}}`, []string{"definition.States.A.InputPath"}},
		{"bad expression", `{"StartAt":"A","States":{"A":{"Type":"ExpressionEval","Parameters":{"x.=":"1 +"},"ResultPath":"$.r","End":true}}}`, []string{"definition.States.A.Parameters.x.="}},
		{"bad choice variable", `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Not":{"Variable":"$[","IsNull":true},"Next":"C"}]}}}`, []string{"definition.States.C.Choices.0.Not.Variable"}},
		{"bad seconds path", `{"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$.foo[","End":true}}}`, []string{"definition.States.W.SecondsPath"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := def(t, c.def)
			if errs := CheckStructure(d); len(errs) > 0 {
				t.Fatalf("structure problems: %+v", errs)
			}
			if diff := cmp.Diff(c.want, locations(Analyze(d))); diff != "" {
				t.Fatalf("locations (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAnalyzeFindsUnreachableStates(t *testing.T) {
	errs := Analyze(def(t, `{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Next":"B"}]},"B":{"Type":"Pass","End":true},"C":{"Type":"Pass","End":true}}}`))
	if len(errs) != 1 || errs[0].Loc[2] != "C" {
		t.Fatalf("want one error for C, got %+v", errs)
	}
}

func TestScopes(t *testing.T) {
	got, err := Scopes(def(t, `{"StartAt":"T","States":{
		"T":{"Type":"Action","ActionUrl":"https://transfer.actions.globus.org/transfer","Parameters":{},"Next":"H"},
		"H":{"Type":"Action","ActionUrl":"https://actions.globus.org/hello_world","RunAs":"Flow","Parameters":{},"End":true}}}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"User": {TransferScope},
		"Flow": {"https://auth.globus.org/scopes/actions.globus.org/hello_world"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("scopes (-want +got):\n%s", diff)
	}
	if _, err := Scopes(def(t, `{"StartAt":"X","States":{"X":{"Type":"Action","ActionUrl":"https://unknown.example.org/ap","Parameters":{},"End":true}}}`), nil); err == nil {
		t.Fatal("an unresolvable provider should fail scope resolution")
	}
}
