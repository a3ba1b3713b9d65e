package openapi

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFlowsOperationsCovered compares flows.yaml with the checked-in list of the real Flows
// OpenAPI's operations: every operation must be described, with every status the real one
// documents, and nothing of the Flows service may be left unimplemented.
func TestFlowsOperationsCovered(t *testing.T) {
	data, err := os.ReadFile("flows-operations.tsv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := ReadTable(data, 3)
	if err != nil {
		t.Fatal(err)
	}
	doc := MustLoad().Doc(Flows)
	var gaps []string
	for _, cols := range rows {
		method, path, statuses := cols[0], cols[1], strings.Split(cols[2], ",")
		item := doc.Paths.Find(path)
		if item == nil || item.GetOperation(method) == nil {
			gaps = append(gaps, method+" "+path+": not described")
			continue
		}
		op := item.GetOperation(method)
		for _, st := range statuses {
			code, _ := strconv.Atoi(st)
			if op.Responses.Status(code) == nil {
				gaps = append(gaps, method+" "+path+": status "+st+" not documented")
			}
		}
	}
	n := len(rows)
	if n != 28 {
		t.Errorf("the list holds %d operations, want the real spec's 28", n)
	}
	for _, op := range MustLoad().UnimplementedOperations() {
		if op.Service == Flows {
			gaps = append(gaps, op.Method+" "+op.Path+": listed as unimplemented")
		}
	}
	slices.Sort(gaps)
	if diff := cmp.Diff([]string(nil), gaps); diff != "" {
		t.Errorf("flows.yaml against the real Flows operations (-want +got):\n%s", diff)
	}
}

// TestUnimplementedMatching checks how a known but unserved operation is recognised.
func TestUnimplementedMatching(t *testing.T) {
	s := &Spec{unimplemented: []Operation{{Service: Flows, Method: "GET", Path: "/things/{thing_id}", Summary: "Get a Thing"}}}
	cases := []struct {
		method, path string
		want         bool
	}{
		{"GET", "/things/abc", true},
		{"POST", "/things/abc", false},
		{"GET", "/things/", false},
		{"GET", "/things/abc/more", false},
	}
	for _, c := range cases {
		if _, ok := s.Unimplemented(c.method, c.path); ok != c.want {
			t.Errorf("%s %s: unimplemented = %v, want %v", c.method, c.path, ok, c.want)
		}
	}
}
