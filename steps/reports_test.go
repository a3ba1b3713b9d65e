package steps

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/globus-conformance/kit/mockserver"
	"github.com/globus-conformance/kit/openapi"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// TestReportsAgree runs the harness against a target without a control plane whose role list is
// broken, so the run has passed, failed and skipped scenarios, and reads every report: the
// console, junit.xml, cucumber.json, summary.md and summary.json must give the same counts, with
// no negative duration and no colour codes off a terminal.
func TestReportsAgree(t *testing.T) {
	mock, err := mockserver.New(mockserver.Options{ValidateResponses: true})
	require.NoError(t, err)
	broken := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/role_list") {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte(`{"DATA": "not a list"}`))
			return
		}
		mock.ServeHTTP(w, r)
	})
	srv := httptest.NewServer(broken)
	defer srv.Close()
	cfg := asRealTarget("a target without a control plane", srv.URL)
	dir := t.TempDir()
	var console bytes.Buffer
	rec := NewRecorder()
	Run(RunOptions{Target: Real{Config: cfg}, Tags: "@roles,@acl", Recorder: rec, Output: &console,
		Format: "progress,junit:" + filepath.Join(dir, "junit.xml") + ",cucumber:" + filepath.Join(dir, "cucumber.json")})
	require.NoError(t, rec.WriteReports(dir, openapi.MustLoad(), Real{Config: cfg}.Name()))

	want := rec.Totals()
	require.Positive(t, want.Passed, "some scenarios pass")
	require.Positive(t, want.Failed, "the broken role list fails some")
	require.Positive(t, want.Skipped, "@control scenarios are skipped")
	type counts struct{ Passed, Failed, Skipped int }
	expected := counts{want.Passed, want.Failed, want.Skipped}
	got := map[string]counts{}

	// The console.
	require.NotContains(t, console.String(), "\x1b[", "no colour codes off a terminal")
	m := regexp.MustCompile(`(?m)^(\d+) scenarios \((.*)\)$`).FindStringSubmatch(console.String())
	require.NotNil(t, m, console.String())
	var c counts
	for _, part := range strings.Split(m[2], ", ") {
		n, word, _ := strings.Cut(part, " ")
		v, _ := strconv.Atoi(n)
		switch word {
		case "passed":
			c.Passed = v
		case "failed":
			c.Failed = v
		case "skipped":
			c.Skipped = v
		}
	}
	total, _ := strconv.Atoi(m[1])
	require.Equal(t, c.Passed+c.Failed+c.Skipped, total)
	got["console"] = c

	// junit.xml: attributes and elements agree, times are never negative.
	raw, err := os.ReadFile(filepath.Join(dir, "junit.xml"))
	require.NoError(t, err)
	var ju junitSuites
	require.NoError(t, xml.Unmarshal(raw, &ju))
	require.NotContains(t, string(raw), `time="-`)
	require.NotContains(t, string(raw), `type="skipped"`)
	var fromCases counts
	for _, s := range ju.Suites {
		for _, tc := range s.Cases {
			switch {
			case tc.Failure != nil:
				fromCases.Failed++
			case tc.Skipped != nil:
				fromCases.Skipped++
				require.NotEmpty(t, tc.Skipped.Message, "a skip says why")
			default:
				fromCases.Passed++
			}
		}
	}
	got["junit test cases"] = fromCases
	got["junit attributes"] = counts{ju.Tests - ju.Failures - ju.Skipped - ju.Errors, ju.Failures, ju.Skipped}

	// cucumber.json: a scenario failed when a step failed, skipped when every step was skipped.
	raw, err = os.ReadFile(filepath.Join(dir, "cucumber.json"))
	require.NoError(t, err)
	var cuke []struct {
		Elements []struct {
			Steps []struct {
				Result struct{ Status string } `json:"result"`
			} `json:"steps"`
		} `json:"elements"`
	}
	require.NoError(t, json.Unmarshal(raw, &cuke))
	var fromCuke counts
	for _, f := range cuke {
		for _, e := range f.Elements {
			failed, skipped := false, true
			for _, s := range e.Steps {
				failed = failed || s.Result.Status == "failed"
				skipped = skipped && s.Result.Status == "skipped"
			}
			switch {
			case failed:
				fromCuke.Failed++
			case skipped:
				fromCuke.Skipped++
			default:
				fromCuke.Passed++
			}
		}
	}
	got["cucumber"] = fromCuke

	// summary.json and summary.md.
	raw, err = os.ReadFile(filepath.Join(dir, "summary.json"))
	require.NoError(t, err)
	var sj struct{ Totals Tally }
	require.NoError(t, json.Unmarshal(raw, &sj))
	got["summary.json"] = counts{sj.Totals.Passed, sj.Totals.Failed, sj.Totals.Skipped}
	raw, err = os.ReadFile(filepath.Join(dir, "summary.md"))
	require.NoError(t, err)
	md := regexp.MustCompile(`\| \*\*all\*\* \| \*\*(\d+)\*\* \| \*\*(\d+)\*\* \| \*\*(\d+)\*\* \|`).FindStringSubmatch(string(raw))
	require.NotNil(t, md)
	p, _ := strconv.Atoi(md[1])
	f, _ := strconv.Atoi(md[2])
	s, _ := strconv.Atoi(md[3])
	got["summary.md"] = counts{p, f, s}

	for name, c := range got {
		if diff := cmp.Diff(expected, c); diff != "" {
			t.Errorf("%s disagrees with the run (-run +%s):\n%s", name, name, diff)
		}
	}
}
