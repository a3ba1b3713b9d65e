package mockserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// The soak test: clients on loopback create, run, cancel and delete flows and ACL rules at the
// same time while another reads every listing. Afterwards the state must account for every
// answer: each flow and rule created and not deleted by a 2xx is there and nothing else is, every
// run is there, and no run is ACTIVE once the clock has passed every Wait. Bounded (a few seconds);
// `go test -race` runs it.

const soakCollection = "c011ec70-0000-4000-8000-000000000301"

type soakClient struct {
	t      *testing.T
	base   string
	http   *http.Client
	errors atomic.Int64
}

func (c *soakClient) call(token, method, path string, body any) (int, map[string]any) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Errorf("%s %s: %v", method, path, err)
		return 0, nil
	}
	defer resp.Body.Close()
	var doc map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&doc)
	if resp.StatusCode >= 500 {
		c.errors.Add(1)
		c.t.Errorf("%s %s: %d %v", method, path, resp.StatusCode, doc)
	}
	return resp.StatusCode, doc
}

type soakLedger struct {
	mu                       sync.Mutex
	flows, rules             map[string]bool // id -> still there
	runs                     map[string]bool // id -> canceled
	flowOps, ruleOps, starts int
}

func TestSoak(t *testing.T) {
	workers, rounds := 4, 25
	if testing.Short() {
		rounds = 5
	}
	s := newTestServer(t)
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := &soakClient{t: t, base: srv.URL, http: srv.Client()}
	led := &soakLedger{flows: map[string]bool{}, rules: map[string]bool{}, runs: map[string]bool{}}
	tokens := []string{"tok-alice", "tok-bob", "tok-carol", "tok-dave"}
	principals := []string{"0b0b0000-0000-4000-8000-000000000002", "0ca20100-0000-4000-8000-000000000003", "0da0e000-0000-4000-8000-000000000004"}

	stop := make(chan struct{})
	var readers sync.WaitGroup
	readers.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			c.call("tok-alice", "GET", "/flows?filter_roles=flow_viewer", nil)
			c.call("tok-alice", "GET", "/runs?per_page=50", nil)
			c.call("tok-alice", "GET", "/v0.10/endpoint/"+soakCollection+"/access_list", nil)
			c.call("tok-alice", "GET", "/_mock/state", nil)
		}
	})

	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			tok := tokens[w%len(tokens)]
			for i := range rounds {
				st, flow := c.call(tok, "POST", "/flows", map[string]any{"title": fmt.Sprintf("soak %d-%d", w, i),
					"definition": map[string]any{"StartAt": "W", "States": map[string]any{
						"W": map[string]any{"Type": "Wait", "Seconds": 5, "Next": "P"},
						"P": map[string]any{"Type": "Pass", "Result": i, "ResultPath": "$.i", "End": true}}}})
				if st != http.StatusCreated {
					t.Errorf("create flow: %d %v", st, flow)
					continue
				}
				fid := fmt.Sprint(flow["id"])
				led.mu.Lock()
				led.flows[fid], led.flowOps = true, led.flowOps+1
				led.mu.Unlock()
				for k := range 2 {
					st, run := c.call(tok, "POST", "/flows/"+fid+"/run", map[string]any{"body": map[string]any{"k": k}})
					if st != http.StatusCreated {
						t.Errorf("start run: %d %v", st, run)
						continue
					}
					rid := fmt.Sprint(run["run_id"])
					canceled := false
					if k == 1 {
						st, _ := c.call(tok, "POST", "/runs/"+rid+"/cancel", nil)
						canceled = st == http.StatusAccepted
					}
					led.mu.Lock()
					led.runs[rid], led.starts = canceled, led.starts+1
					led.mu.Unlock()
				}
				if i%3 == 0 {
					if st, _ := c.call(tok, "DELETE", "/flows/"+fid, nil); st == http.StatusOK {
						led.mu.Lock()
						led.flows[fid] = false
						led.mu.Unlock()
					}
				}
				st, rule := c.call("tok-alice", "POST", "/v0.10/endpoint/"+soakCollection+"/access", map[string]any{
					"DATA_TYPE": "access", "principal_type": "identity", "principal": principals[i%len(principals)],
					"path": fmt.Sprintf("/soak/%d/%d/", w, i), "permissions": "r"})
				if st != http.StatusCreated {
					t.Errorf("create rule: %d %v", st, rule)
					continue
				}
				aid := fmt.Sprint(rule["access_id"])
				led.mu.Lock()
				led.rules[aid], led.ruleOps = true, led.ruleOps+1
				led.mu.Unlock()
				if i%2 == 0 {
					if st, _ := c.call("tok-alice", "DELETE", "/v0.10/endpoint/"+soakCollection+"/access/"+aid, nil); st == http.StatusOK {
						led.mu.Lock()
						led.rules[aid] = false
						led.mu.Unlock()
					}
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	require.Zero(t, c.errors.Load(), "no 5xx during the soak")

	// Past every Wait: runs that were not canceled succeed.
	st, _ := c.call("", "POST", "/_mock/clock/advance", map[string]any{"seconds": 10})
	require.Equal(t, http.StatusOK, st)
	dump := s.Dump()

	var gotFlows, gotRules []string
	for _, f := range dump.Flows {
		gotFlows = append(gotFlows, f.ID)
	}
	for _, col := range dump.Collections {
		if col.ID == soakCollection {
			for _, r := range col.Rules {
				gotRules = append(gotRules, r.ID)
			}
		}
	}
	accounted(t, "flows", led.flows, gotFlows)
	accounted(t, "rules", led.rules, gotRules)

	require.Len(t, dump.Runs, len(led.runs), "every run started is stored")
	for _, r := range dump.Runs {
		canceled, known := led.runs[r.ID]
		require.True(t, known, "run %s was never started by the soak", r.ID)
		want := "SUCCEEDED"
		if canceled {
			want = "FAILED"
		}
		require.Equal(t, want, r.Status, "run %s (canceled %v): details %v", r.ID, canceled, r.Details)
	}
	require.Equal(t, workers*rounds, led.flowOps)
	require.Equal(t, workers*rounds*2, led.starts, "every start answered 201")
}

// accounted compares what is stored with what the answers said is there.
func accounted(t *testing.T, what string, answered map[string]bool, stored []string) {
	t.Helper()
	var want []string
	for id, there := range answered {
		if there {
			want = append(want, id)
		}
	}
	sort.Strings(want)
	sort.Strings(stored)
	if diff := cmp.Diff(want, stored); diff != "" {
		t.Errorf("%s after the soak (-answered +stored):\n%s", what, diff)
	}
}
