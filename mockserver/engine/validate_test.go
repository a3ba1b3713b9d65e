package engine

import (
	"encoding/json"
	"strings"
	"testing"

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
		{"context is read-only", `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"ResultPath":"$._context.x"}}}`, []string{"definition.States.A.ResultPath"}},
		{"action needs url and input", `{"StartAt":"A","States":{"A":{"Type":"Action","End":true}}}`, []string{"definition.States.A.ActionUrl", "definition.States.A"}},
		{"choice targets", `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Next":"X"}],"Default":"Y"}}}`, []string{"definition.States.C.Choices.0.Next", "definition.States.C.Default"}},
		{"wait needs one time", `{"StartAt":"W","States":{"W":{"Type":"Wait","End":true}}}`, []string{"definition.States.W"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, e := range CheckStructure(def(t, c.def)) {
				parts := make([]string, len(e.Loc))
				for i, p := range e.Loc {
					b, _ := json.Marshal(p)
					parts[i] = strings.Trim(string(b), `"`)
				}
				got = append(got, strings.Join(parts, "."))
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
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
		"H":{"Type":"Action","ActionUrl":"https://actions.globus.org/hello_world","RunAs":"Flow","Parameters":{},"End":true}}}`))
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
	if _, err := Scopes(def(t, `{"StartAt":"X","States":{"X":{"Type":"Action","ActionUrl":"https://unknown.example.org/ap","Parameters":{},"End":true}}}`)); err == nil {
		t.Fatal("an unresolvable provider should fail scope resolution")
	}
}
