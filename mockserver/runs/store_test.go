package runs

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/globus-conformance/kit/mockserver/actions"
	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/clock"
	"github.com/google/go-cmp/cmp"
)

// noFlows is a flow store without run roles, descriptions or private parameters.
type noFlows struct{}

func (noFlows) RunRoles(string) ([]string, []string) { return nil, nil }
func (noFlows) Embed(string) (FlowEmbed, bool)       { return FlowEmbed{}, false }
func (noFlows) SeesPrivate(auth.Caller, string) bool { return false }
func (noFlows) IsHighAssurance(string) bool          { return false }
func (noFlows) CheckSession(auth.Caller, string, func(auth.Caller) bool) error {
	return nil
}

func caller(name string, n int) auth.Caller {
	id := auth.Identity{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", n), Username: name + "@example.org"}
	return auth.Caller{Identity: id, IdentitySet: []auth.Identity{id}, Token: auth.Token{ExpiresAt: time.Unix(4102444800, 0)}}
}

func definition(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

const waitThenPass = `{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "Next": "P"}, "P": {"Type": "Pass", "Result": 1, "ResultPath": "$.done", "End": true}}}`

func newFrozenStore() (*Store, *clock.Clock) {
	c := clock.New()
	c.Freeze(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	return NewStore(c, noFlows{}, actions.NewRegistry(nil, &actions.Mocks{}, actions.NewExternal())), c
}

func flow(t *testing.T, def string) FlowSnapshot {
	return FlowSnapshot{ID: "f0000000-0000-4000-8000-000000000001", Title: "F", Definition: definition(t, def)}
}

func TestRunWaitsForTheClock(t *testing.T) {
	s, c := newFrozenStore()
	alice := caller("alice", 1)
	doc, err := s.Start(alice, flow(t, waitThenPass), StartInput{Body: map[string]any{}})
	if err != nil {
		t.Fatal(err)
	}
	s.Settle()
	got, _ := s.Get(alice, doc.RunID, false)
	if got.Status != Active || got.Details["code"] != "WaitStarted" {
		t.Fatalf("before the wait ends: status %s, details %v", got.Status, got.Details)
	}
	c.Advance(9 * time.Second)
	s.Settle()
	if got, _ = s.Get(alice, doc.RunID, false); got.Status != Active {
		t.Fatalf("after 9 s: status %s, want ACTIVE", got.Status)
	}
	c.Advance(time.Second)
	s.Settle()
	got, _ = s.Get(alice, doc.RunID, false)
	if got.Status != Succeeded {
		t.Fatalf("after 10 s: status %s, want SUCCEEDED", got.Status)
	}
	if diff := cmp.Diff(map[string]any{"done": float64(1)}, roundTrip(t, got.Details["output"])); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
}

func roundTrip(t *testing.T, v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

func TestCancelWinsOverAWaitingRun(t *testing.T) {
	s, c := newFrozenStore()
	alice := caller("alice", 1)
	doc, _ := s.Start(alice, flow(t, waitThenPass), StartInput{Body: map[string]any{}})
	s.Settle()
	if _, err := s.Cancel(alice, doc.RunID); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Minute)
	s.Settle()
	got, _ := s.Get(alice, doc.RunID, false)
	if got.Status != Failed || got.Details["code"] != "FlowCanceled" {
		t.Fatalf("status %s, details %v; want FAILED FlowCanceled", got.Status, got.Details)
	}
}

func TestConcurrentStartsCancelsAndReads(t *testing.T) {
	s, c := newFrozenStore()
	alice := caller("alice", 1)
	var wg sync.WaitGroup
	ids := make(chan string, 200)
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			doc, err := s.Start(alice, flow(t, waitThenPass), StartInput{Body: map[string]any{"i": i}})
			if err != nil {
				t.Error(err)
				return
			}
			ids <- doc.RunID
			if i%2 == 0 {
				_, _ = s.Cancel(alice, doc.RunID)
			}
			_, _ = s.List(alice, Query{})
		}()
	}
	wg.Go(func() { c.Advance(5 * time.Second) })
	wg.Wait()
	close(ids)
	// Runs execute asynchronously: let every Wait state start before moving the clock, as the
	// control plane does when it moves the clock.
	s.Settle()
	c.Advance(time.Minute)
	s.Settle()
	counts := map[string]int{}
	for id := range ids {
		doc, err := s.Get(alice, id, false)
		if err != nil {
			t.Fatal(err)
		}
		counts[doc.Status]++
	}
	if counts[Succeeded] != 100 || counts[Failed] != 100 {
		t.Fatalf("statuses %v, want 100 SUCCEEDED and 100 FAILED", counts)
	}
}

func TestSnapshotAndRestoreKeepAWaitingRunGoing(t *testing.T) {
	s, c := newFrozenStore()
	alice := caller("alice", 1)
	doc, _ := s.Start(alice, flow(t, waitThenPass), StartInput{Body: map[string]any{"x": "y"}})
	s.Settle()
	snap := s.Snapshot()

	restored := NewStore(c, noFlows{}, actions.NewRegistry(nil, &actions.Mocks{}, actions.NewExternal()))
	if err := restored.Restore(snap); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(snap, restored.Snapshot()); diff != "" {
		t.Fatalf("snapshot after restore (-want +got):\n%s", diff)
	}
	c.Advance(10 * time.Second)
	restored.Settle()
	got, err := restored.Get(alice, doc.RunID, false)
	if err != nil || got.Status != Succeeded {
		t.Fatalf("restored run: %v, %v; want SUCCEEDED", got.Status, err)
	}
}

func TestLogPages(t *testing.T) {
	s, _ := newFrozenStore()
	alice := caller("alice", 1)
	doc, _ := s.Start(alice, flow(t, `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "End": true}}}`), StartInput{Body: map[string]any{}})
	s.Settle()
	var codes []string
	q := LogQuery{Limit: 2}
	for {
		page, err := s.Log(alice, doc.RunID, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Entries {
			codes = append(codes, e.Code)
		}
		if !page.HasNextPage {
			break
		}
		if err := DecodeMarker(page.Marker, &q); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"FlowStarted", "PassStarted", "PassCompleted", "PassStarted", "PassCompleted", "FlowSucceeded"}
	if diff := cmp.Diff(want, codes); diff != "" {
		t.Errorf("log codes (-want +got):\n%s", diff)
	}
}

func TestConcurrentBatchesOverTheSameRuns(t *testing.T) {
	s, _ := newFrozenStore()
	alice := caller("alice", 1)
	var ids []string
	for range 20 {
		doc, err := s.Start(alice, flow(t, waitThenPass), StartInput{Body: map[string]any{}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, doc.RunID)
	}
	reversed := slices.Clone(ids)
	slices.Reverse(reversed)
	tags := []string{"x"}
	var wg sync.WaitGroup
	for i := range 2000 {
		order := ids
		if i%2 == 1 {
			order = reversed
		}
		wg.Go(func() {
			if err := s.Batch(alice, order, BatchChange{}, BatchChange{Tags: &tags}, BatchChange{}, false); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	s.Settle()
	for _, id := range ids {
		doc, _ := s.Get(alice, id, false)
		if !slices.Equal(doc.Tags, []string{"x"}) {
			t.Fatalf("run %s tags %v, want [x]", id, doc.Tags)
		}
	}
}

// TestLogEntriesKeepTheStateOfTheirTime: log entries, details and the run state share values
// (nothing is copied per step), so a later step that writes deep inside the state must not
// change what earlier entries show.
func TestLogEntriesKeepTheStateOfTheirTime(t *testing.T) {
	s, _ := newFrozenStore()
	alice := caller("alice", 1)
	const def = `{"StartAt": "One", "States": {
	  "One": {"Type": "Pass", "Result": 1, "ResultPath": "$.a.b", "Next": "Two"},
	  "Two": {"Type": "Pass", "Result": 2, "ResultPath": "$.a.b", "Next": "Three"},
	  "Three": {"Type": "Pass", "Parameters": {"copy.$": "$.a"}, "ResultPath": "$.a.c", "End": true}}}`
	doc, err := s.Start(alice, flow(t, def), StartInput{Body: map[string]any{"a": map[string]any{"b": 0.0}}})
	if err != nil {
		t.Fatal(err)
	}
	s.Settle()
	page, err := s.Log(alice, doc.RunID, LogQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var got []any
	for _, e := range page.Entries {
		got = append(got, roundTrip(t, e.Details))
	}
	want := []any{
		map[string]any{"input": map[string]any{"a": map[string]any{"b": 0.0}}},
		map[string]any{"state_name": "One", "state_type": "Pass", "input": map[string]any{"a": map[string]any{"b": 0.0}}},
		map[string]any{"state_name": "One", "state_type": "Pass", "output": 1.0},
		map[string]any{"state_name": "Two", "state_type": "Pass", "input": map[string]any{"a": map[string]any{"b": 1.0}}},
		map[string]any{"state_name": "Two", "state_type": "Pass", "output": 2.0},
		map[string]any{"state_name": "Three", "state_type": "Pass", "input": map[string]any{"a": map[string]any{"b": 2.0}}},
		map[string]any{"state_name": "Three", "state_type": "Pass", "output": map[string]any{"copy": map[string]any{"b": 2.0}}},
		map[string]any{"output": map[string]any{"a": map[string]any{"b": 2.0, "c": map[string]any{"copy": map[string]any{"b": 2.0}}}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("log entry details (-want +got):\n%s", diff)
	}
}

// sessionFlows is a flow store whose flows may refuse the caller's session.
type sessionFlows struct {
	noFlows
	refusal map[string]error // by flow id
}

func (f sessionFlows) CheckSession(_ auth.Caller, flowID string, _ func(auth.Caller) bool) error {
	return f.refusal[flowID]
}

// TestBatchAnswersForTheFirstFailingRun: a batch is all or nothing, and the first failing run in
// request order picks its answer; role refusals are one FORBIDDEN naming every such run.
func TestBatchAnswersForTheFirstFailingRun(t *testing.T) {
	c := clock.New()
	c.Freeze(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	gare := apierr.Requirements("AuthenticationPolicyRequired", "session", apierr.AuthorizationParameters{SessionRequiredPolicies: []string{"p"}})
	flows := sessionFlows{refusal: map[string]error{"f0000000-0000-4000-8000-000000000002": gare}}
	s := NewStore(c, flows, actions.NewRegistry(nil, &actions.Mocks{}, actions.NewExternal()))
	alice, bob := caller("alice", 1), caller("bob", 2)
	start := func(who auth.Caller, flowID string) string {
		f := flow(t, waitThenPass)
		f.ID = flowID
		doc, err := s.Start(who, f, StartInput{Body: map[string]any{}, Tags: []string{"before"}})
		if err != nil {
			t.Fatal(err)
		}
		return doc.RunID
	}
	open := start(alice, "f0000000-0000-4000-8000-000000000001")
	guarded := start(alice, "f0000000-0000-4000-8000-000000000002")
	hidden := start(bob, "f0000000-0000-4000-8000-000000000001")
	missing := "00000000-0000-4000-8000-0000000000ff"
	for _, tc := range []struct {
		name string
		ids  []string
		code string
		runs []string // the runs the FORBIDDEN names, in request order
	}{
		{"a session refusal first", []string{open, guarded, hidden}, "AuthenticationPolicyRequired", nil},
		{"a role refusal first", []string{hidden, guarded, missing, open}, "FORBIDDEN", []string{hidden, missing}},
		{"a repeated run", []string{missing, open, missing}, "FORBIDDEN", []string{missing}},
		{"every run passes", []string{open, open}, "", nil}, // last: it changes the run
	} {
		t.Run(tc.name, func(t *testing.T) {
			tags := []string{"after-" + tc.name}
			err := s.Batch(alice, tc.ids, BatchChange{}, BatchChange{Tags: &tags}, BatchChange{}, false)
			var code, detail string
			if e, ok := apierr.As(err); ok {
				code, detail = e.Code, e.Detail
			}
			if code != tc.code {
				t.Fatalf("code %q, want %q (%v)", code, tc.code, err)
			}
			if tc.runs != nil && !strings.Contains(detail, "runs "+strings.Join(tc.runs, ", ")+" (") {
				t.Errorf("detail %q does not name exactly %v", detail, tc.runs)
			}
			want := []string{"before"}
			if code == "" {
				want = append(want, tags...)
			}
			doc, _ := s.Get(alice, open, false)
			if diff := cmp.Diff(want, doc.Tags); diff != "" {
				t.Errorf("tags of a run that passes (-want +got):\n%s", diff)
			}
		})
	}
}
