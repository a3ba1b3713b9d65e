package console_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/globus-conformance/kit/mockserver"
	"github.com/globus-conformance/kit/mockserver/flows"
	"github.com/globus-conformance/kit/mockserver/runs"
)

const aliceURN = "urn:globus:auth:identity:0a11ce00-0000-4000-8000-000000000001"

// guardToken guards the control plane of one of the mocks the browser test opens.
const guardToken = "console-control-token"

// TestConsoleInBrowser drives the console in Debian's chromium with playwright-core
// (test/console.test.mjs): a run answered and finished from the pages, an ACL rule listed, the
// clock moved, 10,000 runs paged. SCREENSHOTS=dir (make screenshots) writes the README's
// pictures there.
func TestConsoleInBrowser(t *testing.T) {
	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("chromium is not installed at %s: the console's browser test needs it (apt-get install chromium, or CHROMIUM=path)", chromium)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("Node.js is not installed: the console's browser test needs it (apt-get install nodejs npm)")
	}
	if _, err := os.Stat(filepath.Join("test", "node_modules", "playwright-core")); err != nil {
		t.Fatal("playwright-core is not installed: run `npm ci --prefix mockserver/console/test` (make test does)")
	}
	mock := httptest.NewServer(newMock(t, mockserver.Options{}, nil))
	defer mock.Close()
	scale := httptest.NewServer(newMock(t, mockserver.Options{}, manyRuns(10_000)))
	defer scale.Close()
	guarded := httptest.NewServer(newMock(t, mockserver.Options{ControlToken: guardToken}, nil))
	defer guarded.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "console.test.mjs")
	cmd.Dir = "test"
	cmd.Env = append(os.Environ(), "MOCK_URL="+mock.URL, "SCALE_URL="+scale.URL, "GUARDED_URL="+guarded.URL, "GUARD_TOKEN="+guardToken, "CHROMIUM="+chromium, "FAILURES="+t.TempDir())
	if dir := os.Getenv("SCREENSHOTS"); dir != "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			t.Fatal(err)
		}
		cmd.Env = append(cmd.Env, "SCREENSHOTS="+abs)
	}
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("the browser checks failed: %v", err)
	}
}

// newMock is a mock on the default world, plus runs of alice's when given.
func newMock(t *testing.T, opts mockserver.Options, rs []runs.Record) *mockserver.Server {
	t.Helper()
	opts.ValidateResponses = true
	s, err := mockserver.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if rs != nil {
		w := s.Dump()
		w.Flows = []flows.Flow{{ID: rs[0].FlowID, Title: "Nightly", Keywords: []string{}, Definition: passDefinition(),
			InputSchema: map[string]any{}, Owner: aliceURN, CreatedBy: aliceURN, Viewers: []string{}, Starters: []string{},
			Administrators: []string{}, RunManagers: []string{}, RunMonitors: []string{}}}
		w.Runs = rs
		if err := s.Load(w); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func passDefinition() map[string]any {
	return map[string]any{"StartAt": "P", "States": map[string]any{"P": map[string]any{"Type": "Pass", "End": true}}}
}

// manyRuns are finished runs of alice's, one flow's.
func manyRuns(n int) []runs.Record {
	epoch := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]runs.Record, n)
	for i := range out {
		at := epoch.Add(time.Duration(i) * time.Second)
		end := at.Add(time.Second)
		out[i] = runs.Record{ID: fmt.Sprintf("a0000000-0000-4000-8000-%012d", i), FlowID: "f0000000-0000-4000-8000-000000000001",
			FlowTitle: "Nightly", FlowLastUpdated: epoch, Definition: passDefinition(), InputSchema: map[string]any{}, Owner: aliceURN,
			Label: fmt.Sprintf("night %d", i), Managers: []string{}, Monitors: []string{}, Tags: []string{}, Notify: []string{"INACTIVE"},
			Status: runs.Succeeded, Details: map[string]any{"code": "FlowSucceeded", "output": map[string]any{}}, StartTime: at,
			CompletionTime: &end, Context: map[string]any{}, State: map[string]any{}, Log: []runs.Entry{}}
	}
	return out
}
