package engine

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func jsonValue(t *testing.T, s string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("bad test JSON %s: %v", s, err)
	}
	return v
}

const exprState = `{
  "foo": "bar", "n": 3, "f": 1.5, "flag": true,
  "object_val": {"sub_val1": "embedded", "list": [1, 2, 3]},
  "source": {"path": "/~/data/run1/"},
  "transfer_settings": {"DATA": [{"source_path": "/a"}, {"source_path": "/b"}]},
  "DestinationInfo": {"is_folder": false, "exists": false},
  "SourceInfo": {"is_recursive": true, "source_file": "x.dat"},
  "destination": {"path": "/dest"},
  "ls": {"details": {"DATA": [{"name": "one"}, {"name": "two"}]}},
  "_private": {"password": "hunter2"}
}`

func TestEval(t *testing.T) {
	state := jsonValue(t, exprState)
	ctx := map[string]any{"run_id": "r-1", "email": "alice@example.org"}
	tests := []struct {
		name, expr, want string
	}{
		{"concatenation and dotted access", `foo + ' ' + object_val.sub_val1`, `"bar embedded"`},
		{"arithmetic", `n * 2 + 1`, `7`},
		{"float arithmetic", `f * 2`, `3`},
		{"true division", `n / 2`, `1.5`},
		{"floor division and modulo", `[n // 2, n % 2]`, `[1, 1]`},
		{"negative index", `object_val.list[-1]`, `3`},
		{"index into list of objects", `ls.details.DATA[0].name`, `"one"`},
		{"list comprehension", `[item.source_path for item in transfer_settings.DATA]`, `["/a", "/b"]`},
		{"comprehension with filter", `[x for x in object_val.list if x > 1]`, `[2, 3]`},
		{"dict literal and comprehension", `[{'path': source.path.rstrip('/') + '/' + i.name} for i in ls.details.DATA]`,
			`[{"path": "/~/data/run1/one"}, {"path": "/~/data/run1/two"}]`},
		{"conditional expression", `(destination.path + '/' + SourceInfo.source_file) if (DestinationInfo.is_folder or ((not DestinationInfo.exists) and SourceInfo.is_recursive)) else destination.path`, `"/dest/x.dat"`},
		{"chained conditional", `'a' if n > 5 else 'b' if n > 2 else 'c'`, `"b"`},
		{"string methods", `[source.path.endswith('/'), 'a/b/c'.rpartition('/')[2], 'a/b/c/'.split('/')[-2]]`, `[true, "c", "c"]`},
		{"len and str", `str(len(object_val.list)) + 'x'`, `"3x"`},
		{"list repetition", `[False] * len(object_val.list)`, `[false, false, false]`},
		{"membership", `['sub_val1' in object_val, 'zzz' not in object_val]`, `[true, true]`},
		{"context", `'run ' + _context.run_id`, `"run r-1"`},
		{"backtick JSONPath", "'mail: ' + `$._context.email`", `"mail: alice@example.org"`},
		{"backtick inside a string is text", "'a `b` c'", "\"a `b` c\""},
		{"pathsplit", `[pathsplit('/foo/bar/blech'), pathsplit('/~/path')]`, `[["/foo/bar", "blech"], ["/~/", "path"]]`},
		{"is_present", `[is_present('object_val.sub_val1'), is_present('object_val.nope'), is_present('ls.details.DATA[1]')]`, `[true, false, true]`},
		{"is_present guards a default", `missing if is_present('missing') else 10`, ``},
		{"getattr with default", `[getattr('object_val.sub_val1', False), getattr('nope.deeper', 7), getattr('nope')]`, `["embedded", 7, null]`},
		{"private keys stay readable", `_private.password`, `"hunter2"`},
		{"dict methods", `sorted(object_val.keys())`, `["list", "sub_val1"]`},
		{"booleans and None", `[True, False, None]`, `[true, false, null]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Eval(tc.expr, state, ctx)
			if tc.want == "" {
				if err == nil {
					t.Fatalf("Eval(%q) = %v, want an error", tc.expr, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("Eval(%q): %v", tc.expr, err)
			}
			if diff := cmp.Diff(jsonValue(t, tc.want), got); diff != "" {
				t.Errorf("Eval(%q) mismatch (-want +got):\n%s", tc.expr, diff)
			}
		})
	}
}

func TestEvalRefusesDangerousExpressions(t *testing.T) {
	state := jsonValue(t, exprState)
	tests := []struct {
		name, expr, wantErr string
	}{
		{"missing property", `object_val.nope`, `no property "nope"`},
		{"undefined name", `nobody + 1`, `undefined: nobody`},
		{"huge list by repetition", `[0] * 1000000000`, `larger than the limit`},
		{"huge string by repetition", `'x' * 100000000`, `larger than the limit`},
		{"huge range", `list(range(1000000000))`, `larger than the limit`},
		{"endless comprehension", `[a * b for a in range(100000) for b in range(100000)]`, `evaluation steps`},
		{"doubling by concatenation", `[d for a in [[0] * 600000] for b in [a + a] for c in [b + b] for d in [c + c]]`, `larger than the limit`},
		{"shared references blown up by str", `[str(e) for a in [['x' * 1000] * 1000] for b in [[a] * 1000] for e in [[b] * 1000]]`, `larger than the limit`},
		{"mutation", `[x.append(1) for x in [[1]]]`, `no attribute "append"`},
		{"syntax error", `foo +`, `got end of file`},
		{"not JSON", `len`, `not a JSON value`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			got, err := Eval(tc.expr, state, nil)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Eval(%q) = %v, %v; want an error containing %q", tc.expr, got, err, tc.wantErr)
			}
			if d := time.Since(start); d > 3*MaxExpressionTime {
				t.Errorf("Eval(%q) took %s", tc.expr, d)
			}
		})
	}
}

func TestPathSplit(t *testing.T) {
	for in, want := range map[string][2]string{
		"/foo/bar/blech": {"/foo/bar", "blech"},
		"/~/path":        {"/~/", "path"},
		"/~/a/b":         {"/~/a", "b"},
		"/x":             {"/", "x"},
		"/foo/bar/":      {"/foo/bar", ""},
		"name":           {"", "name"},
	} {
		head, tail := PathSplit(in)
		if diff := cmp.Diff(want, [2]string{head, tail}); diff != "" {
			t.Errorf("PathSplit(%q) (-want +got):\n%s", in, diff)
		}
	}
}
