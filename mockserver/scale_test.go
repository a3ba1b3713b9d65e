package mockserver

import (
	"fmt"
	"net/http/httptest"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/globus-conformance/kit/mockserver/flows"
	"github.com/globus-conformance/kit/mockserver/listing"
	"github.com/globus-conformance/kit/mockserver/runs"
	"github.com/globus-conformance/kit/mockserver/transfer"
)

// Scale: listing cost against the store size (first and last page of the caller's own flows and
// runs, the default listings), and the memory each stored flow, run and ACL rule takes. `make
// bench` runs these; the sizes can be lowered with -short.

const aliceURN = "urn:globus:auth:identity:0a11ce00-0000-4000-8000-000000000001"

var benchEpoch = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

func benchDefinition() map[string]any {
	return map[string]any{"StartAt": "P", "States": map[string]any{"P": map[string]any{"Type": "Pass", "End": true}}}
}

func manyFlows(n int) []flows.Flow {
	out := make([]flows.Flow, n)
	for i := range out {
		at := benchEpoch.Add(time.Duration(i) * time.Second)
		out[i] = flows.Flow{ID: fmt.Sprintf("f0000000-0000-4000-8000-%012d", i), Title: fmt.Sprintf("flow %d", i),
			Keywords: []string{}, Definition: benchDefinition(), InputSchema: map[string]any{}, Owner: aliceURN, CreatedBy: aliceURN,
			Viewers: []string{}, Starters: []string{}, Administrators: []string{}, RunManagers: []string{}, RunMonitors: []string{},
			CreatedAt: at, UpdatedAt: at}
	}
	return out
}

// manyRuns are finished runs of one flow, each with a log of entries entries.
func manyRuns(n, entries int, flowID string) []runs.Record {
	def := benchDefinition()
	out := make([]runs.Record, n)
	for i := range out {
		at := benchEpoch.Add(time.Duration(i) * time.Millisecond)
		end := at.Add(time.Second)
		log := make([]runs.Entry, entries)
		for j := range log {
			log[j] = runs.Entry{Time: at, Code: "PassCompleted", Description: "State P of type Pass completed",
				Details: map[string]any{"state_name": "P", "state_type": "Pass", "output": map[string]any{}}}
		}
		out[i] = runs.Record{ID: fmt.Sprintf("a0000000-0000-4000-8000-%012d", i), FlowID: flowID, FlowTitle: "flow 0",
			FlowLastUpdated: benchEpoch, Definition: def, InputSchema: map[string]any{}, Owner: aliceURN,
			Managers: []string{}, Monitors: []string{}, Tags: []string{}, Notify: []string{"INACTIVE"}, Status: runs.Succeeded,
			Details: map[string]any{"code": "FlowSucceeded", "output": map[string]any{}}, StartTime: at, CompletionTime: &end,
			Context: map[string]any{}, State: map[string]any{}, Log: log}
	}
	return out
}

// loadWorld starts a mock on the default world plus the given flows and runs.
func loadWorld(tb testing.TB, fl []flows.Flow, rs []runs.Record) *Server {
	s, err := New(Options{})
	if err != nil {
		tb.Fatal(err)
	}
	w := s.Dump()
	w.Flows, w.Runs = fl, rs
	if err := s.Load(w); err != nil {
		tb.Fatal(err)
	}
	return s
}

// benchPages measures the first and the last page of a listing and reports the p99 latency.
func benchPages(b *testing.B, s *Server, path string, total int) {
	benchPagesOf(b, s, "", path, total, nil)
}

// benchPagesOf is benchPages for a listing whose marker also carries the query's filters; the
// sub-benchmarks' names start with prefix.
func benchPagesOf(b *testing.B, s *Server, prefix, path string, total int, filters map[string]any) {
	for _, page := range []struct {
		name   string
		offset int
	}{{"first", 0}, {"last", total - 20}} {
		b.Run(prefix+page.name, func(b *testing.B) {
			target := path
			if page.offset > 0 {
				target = fmt.Sprintf("%s&marker=%s", path, marker(page.offset, filters))
			}
			var took []time.Duration
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				start := time.Now()
				r := httptest.NewRequest("GET", target, nil)
				r.Header.Set("Authorization", "Bearer tok-alice")
				w := httptest.NewRecorder()
				s.ServeHTTP(w, r)
				if w.Code != 200 {
					b.Fatalf("%s: %d %s", target, w.Code, w.Body.String())
				}
				took = append(took, time.Since(start))
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// marker is the marker of a listing's page of 20 at an offset.
func marker(offset int, filters map[string]any) string {
	q := map[string]any{"per_page": 20, "offset": offset}
	for k, v := range filters {
		q[k] = v
	}
	return listing.EncodeMarker(q)
}

func BenchmarkListFlowsAtScale(b *testing.B) {
	sizes := []int{1_000, 100_000}
	if testing.Short() {
		sizes = []int{1_000, 10_000}
	}
	for _, n := range sizes {
		s := loadWorld(b, manyFlows(n), nil)
		b.Run(fmt.Sprintf("flows=%d", n), func(b *testing.B) { benchPages(b, s, "/flows?per_page=20", n) })
	}
}

func BenchmarkListRunsAtScale(b *testing.B) {
	sizes := []int{1_000, 1_000_000}
	if testing.Short() {
		sizes = []int{1_000, 20_000}
	}
	fl := manyFlows(1)
	for _, n := range sizes {
		s := loadWorld(b, fl, manyRuns(n, 2, fl[0].ID))
		b.Run(fmt.Sprintf("runs=%d", n), func(b *testing.B) {
			benchPages(b, s, "/runs?per_page=20", n)
			// The runs of one flow (filter_flow_id), as a portal lists them; every run is of it.
			benchPagesOf(b, s, "flow-", "/runs?per_page=20&filter_flow_id="+fl[0].ID, n, map[string]any{"flow_ids": []string{fl[0].ID}})
		})
		s = nil
		runtime.GC()
	}
}

// liveHeap is the live heap once the collector has settled.
func liveHeap() int64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// perObject is the heap a server loaded by load keeps per object, beyond an empty server's. The
// inputs are made inside load, so only what the server keeps is counted.
func perObject(b *testing.B, n int, load func() *Server) float64 {
	before := liveHeap()
	empty := loadWorld(b, nil, nil)
	one := liveHeap() - before
	s := load()
	grown := liveHeap() - before - one
	runtime.KeepAlive(empty)
	runtime.KeepAlive(s)
	return float64(grown-one) / float64(n)
}

// BenchmarkMemoryPerObject reports the heap each stored flow, run (ten log entries) and ACL rule
// takes. Run it once (-benchtime 1x): each iteration loads the whole set again.
func BenchmarkMemoryPerObject(b *testing.B) {
	const n = 20_000
	for b.Loop() {
		b.ReportMetric(perObject(b, n, func() *Server { return loadWorld(b, manyFlows(n), nil) }), "B/flow")
		b.ReportMetric(perObject(b, n, func() *Server {
			fl := manyFlows(1)
			return loadWorld(b, fl, manyRuns(n, 10, fl[0].ID))
		}), "B/run")
		// The same runs without their log: what a run costs beyond its payloads.
		b.ReportMetric(perObject(b, n, func() *Server {
			fl := manyFlows(1)
			return loadWorld(b, fl, manyRuns(n, 0, fl[0].ID))
		}), "B/run-without-log")
		b.ReportMetric(perObject(b, n, func() *Server {
			s := loadWorld(b, nil, nil)
			w := s.Dump()
			col := transfer.Collection{ID: "c0110000-0000-4000-8000-000000000999", DisplayName: "bench", EntityType: "GCSv5_guest_collection",
				OwnerID: "0a11ce00-0000-4000-8000-000000000001", HostEndpointID: "c011ec70-0000-4000-8000-000000000302"}
			for i := range n {
				col.Rules = append(col.Rules, transfer.Rule{ID: fmt.Sprintf("b0000000-0000-4000-8000-%012d", i), PrincipalType: "identity",
					Principal: "0b0b0000-0000-4000-8000-000000000002", Path: fmt.Sprintf("/bench/%d/", i), Permissions: "r", CreateTime: benchEpoch})
			}
			w.Collections = append(w.Collections, col)
			if err := s.Load(w); err != nil {
				b.Fatal(err)
			}
			return s
		}), "B/rule")
	}
}
