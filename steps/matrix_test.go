package steps

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The compatibility matrix: the README's table of what each official client can do against the
// mock, rendered from the client suites' committed results (steps/clients/results/*.json).

// clientResults is what a client suite writes: one row per function or command it knows.
type clientResults struct {
	Client  string         `json:"client"`
	Version string         `json:"version"`
	Results []clientResult `json:"results"`
}

type clientResult struct {
	Name   string `json:"name"`
	Status string `json:"status"` // works, fails, not served, client only
	Reason string `json:"reason,omitempty"`
}

const (
	matrixStart = "<!-- compatibility matrix: `make matrix` renders it from steps/clients/results/ -->"
	matrixEnd   = "<!-- end of the compatibility matrix -->"
)

// statusOrder is the order of the matrix's rows.
var statusOrder = []string{"works", "fails", "not served", "client only"}

// renderMatrix renders the results as Markdown: per client, one row per result and reason, with
// the functions or commands that have it, in the files' and the names' order.
func renderMatrix(all []clientResults) string {
	var b strings.Builder
	for _, c := range all {
		type group struct{ status, reason string }
		names := map[group][]string{}
		var groups []group
		for _, r := range c.Results {
			g := group{r.Status, r.Reason}
			if _, ok := names[g]; !ok {
				groups = append(groups, g)
			}
			names[g] = append(names[g], "`"+r.Name+"`")
		}
		slices.SortStableFunc(groups, func(x, y group) int {
			if d := slices.Index(statusOrder, x.status) - slices.Index(statusOrder, y.status); d != 0 {
				return d
			}
			return strings.Compare(x.reason, y.reason)
		})
		fmt.Fprintf(&b, "\n**%s %s**\n\n| against the mock | functions or commands |\n|---|---|\n", c.Client, c.Version)
		for _, g := range groups {
			result := g.status
			if g.reason != "" {
				result += ": " + g.reason
			}
			fmt.Fprintf(&b, "| %s | %s |\n", escapeCell(result), strings.Join(names[g], ", "))
		}
	}
	return b.String()
}

func escapeCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// committedResults reads every committed results file, in name order.
func committedResults(t *testing.T) []clientResults {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("clients", "results", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no results in steps/clients/results/ (%v): run `make matrix`", err)
	}
	var all []clientResults
	for _, p := range paths {
		r, err := readResults(p)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, r)
	}
	return all
}

// TestCompatibilityMatrix fails when the README's matrix is not the one the committed results
// give; -update-matrix rewrites it.
func TestCompatibilityMatrix(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	before, rest, ok := bytes.Cut(readme, []byte(matrixStart))
	_, after, ok2 := bytes.Cut(rest, []byte(matrixEnd))
	if !ok || !ok2 {
		t.Fatalf("README.md has no matrix between %q and %q", matrixStart, matrixEnd)
	}
	want := renderMatrix(committedResults(t)) + "\n"
	if *updateMatrix {
		out := slices.Concat(before, []byte(matrixStart), []byte(want), []byte(matrixEnd), after)
		if err := os.WriteFile(filepath.Join("..", "README.md"), out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if diff := cmp.Diff(want, string(rest[:len(rest)-len(after)-len(matrixEnd)])); diff != "" {
		t.Errorf("the README's compatibility matrix is out of date (-rendered +README); run `make matrix`:\n%s", diff)
	}
}

func TestRenderMatrix(t *testing.T) {
	got := renderMatrix([]clientResults{{Client: "sdk", Version: "1.0", Results: []clientResult{
		{Name: "a", Status: "not served", Reason: "no route"},
		{Name: "b", Status: "fails", Reason: "x | y"},
		{Name: "c", Status: "works"},
		{Name: "d", Status: "client only", Reason: "local"},
		{Name: "e", Status: "not served", Reason: "no route"},
		{Name: "f", Status: "works"},
		{Name: "g", Status: "fails", Reason: "a reason"},
	}}})
	want := "\n**sdk 1.0**\n\n| against the mock | functions or commands |\n|---|---|\n" +
		"| works | `c`, `f` |\n| fails: a reason | `g` |\n| fails: x \\| y | `b` |\n" +
		"| not served: no route | `a`, `e` |\n| client only: local | `d` |\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Error(diff)
	}
}
