package steps

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/cucumber/godog"
	"github.com/google/go-cmp/cmp"
)

// Steps about runs. A run is named in the scenario ({run:Name}); "the run reaches status" lets the
// mock settle through its control plane, and polls a target without one.

// runPollTimeout bounds how long a target without a control plane may take to finish a run.
const runPollTimeout = 60 * time.Second

func registerRunSteps(st func(string, any), w func(func(*scenario) error) error) {
	st(`^((?:the |an? )?[\w-]+) has started a run "([^"]*)" of the flow "([^"]*)"$`, func(who, name, flow string) error {
		return w(func(s *scenario) error { return s.startRun(who, name, flow, `{"body": {}}`, true) })
	})
	st(`^((?:the |an? )?[\w-]+) has started a run "([^"]*)" of the flow "([^"]*)" with:$`, func(who, name, flow string, doc *godog.DocString) error {
		return w(func(s *scenario) error { return s.startRun(who, name, flow, doc.Content, true) })
	})
	st(`^((?:the |an? )?[\w-]+) starts a run "([^"]*)" of the flow "([^"]*)" with:$`, func(who, name, flow string, doc *godog.DocString) error {
		return w(func(s *scenario) error { return s.startRun(who, name, flow, doc.Content, false) })
	})
	st(`^((?:the |an? )?[\w-]+) starts a run "([^"]*)" of the flow "([^"]*)"$`, func(who, name, flow string) error {
		return w(func(s *scenario) error { return s.startRun(who, name, flow, `{"body": {}}`, false) })
	})
	st(`^the runs settle$`, func() error {
		return w(func(s *scenario) error { return s.control(http.MethodPost, "/_mock/settle", nil, nil) })
	})
	st(`^the run "([^"]*)" (?:reaches|has) status "([^"]*)"$`, func(name, status string) error {
		return w(func(s *scenario) error { return s.awaitRun(name, status) })
	})
	st(`^((?:the |an? )?[\w-]+) gets the run "([^"]*)"$`, func(who, name string) error {
		return w(func(s *scenario) error { return s.send(who, http.MethodGet, "/runs/{run:"+name+"}", nil) })
	})
	st(`^((?:the |an? )?[\w-]+) reads the log of the run "([^"]*)"$`, func(who, name string) error {
		return w(func(s *scenario) error {
			return s.send(who, http.MethodGet, "/runs/{run:"+name+"}/log?limit=100", nil)
		})
	})
	st(`^the log codes are "([^"]*)"$`, func(codes string) error {
		return w(func(s *scenario) error { return s.logCodes(codes) })
	})
	st(`^the log entry (-?\d+) field "([^"]*)" is:$`, func(i int, path string, doc *godog.DocString) error {
		return w(func(s *scenario) error { return s.fieldJSON(fmt.Sprintf("entries.%d.%s", i, path), doc.Content) })
	})
	st(`^an action mock:$`, func(doc *godog.DocString) error {
		return w(func(s *scenario) error {
			text, err := s.expand(doc.Content)
			if err != nil {
				return err
			}
			var rule map[string]any
			if err := json.Unmarshal([]byte(text), &rule); err != nil {
				return fmt.Errorf("the action mock is not a JSON object: %w", err)
			}
			return s.control(http.MethodPost, "/_mock/action-mocks", rule, nil)
		})
	})
	st(`^the option "([^"]*)" is selected for the action "([^"]*)"$`, func(option, action string) error {
		return w(func(s *scenario) error {
			id, err := s.expand(action)
			if err != nil {
				return err
			}
			return s.control(http.MethodPost, "/_mock/actions/"+id+"/select", map[string]any{"option": option}, nil)
		})
	})
	st(`^the listed runs are "([^"]*)"$`, func(names string) error {
		return w(func(s *scenario) error { return s.listedRuns(names) })
	})
}

// startRun starts a run of a named flow with a request body (placeholders expanded).
func (s *scenario) startRun(who, name, flow, body string, must bool) error {
	text, err := s.expand(body)
	if err != nil {
		return err
	}
	tok, err := s.token(who)
	if err != nil {
		return err
	}
	path, err := s.expand("/flows/{flow:" + flow + "}/run")
	if err != nil {
		return err
	}
	if err := s.do(tok, http.MethodPost, path, []byte(text), "application/json"); err != nil {
		return err
	}
	if s.last.status == http.StatusCreated {
		id, _ := lookup(s.last.doc, "run_id")
		s.runs[name] = fmt.Sprint(id)
		s.runOwners[name] = who
		s.remember(who, fmt.Sprintf("POST /runs/%v/cancel", id), fmt.Sprintf("POST /runs/%v/release", id))
		if s.target.ControlPlane() {
			// Let the run go as far as it can now, so that later clock moves find it in place.
			return s.control(http.MethodPost, "/_mock/settle", nil, nil)
		}
	} else if must {
		return fmt.Errorf("starting run %q: status %d: %s", name, s.last.status, truncate(s.last.body))
	}
	return nil
}

// awaitRun waits until the run is no longer ACTIVE (or has the wanted status) and checks it. With
// a control plane the mock settles; otherwise the run is polled (as the owner's persona would).
func (s *scenario) awaitRun(name, want string) error {
	id, ok := s.runs[name]
	if !ok {
		return fmt.Errorf("no run named %q in this scenario", name)
	}
	owner := s.runOwners[name]
	deadline := time.Now().Add(runPollTimeout)
	for {
		if s.target.ControlPlane() {
			if err := s.control(http.MethodPost, "/_mock/settle", nil, nil); err != nil {
				return err
			}
		}
		if err := s.send(owner, http.MethodGet, "/runs/"+id, nil); err != nil {
			return err
		}
		got, _ := lookup(s.last.doc, "status")
		if got == want || s.target.ControlPlane() || (got != "ACTIVE" && got != "INACTIVE") || time.Now().After(deadline) {
			if got != want {
				return fmt.Errorf("run %q has status %v, want %s: %s", name, got, want, truncate(s.last.body))
			}
			return nil
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (s *scenario) logCodes(codes string) error {
	entries, _ := lookup(s.last.doc, "entries")
	list, ok := entries.([]any)
	if !ok {
		return fmt.Errorf("the last response has no log entries: %s", truncate(s.last.body))
	}
	var got []string
	for _, e := range list {
		c, _ := lookup(e, "code")
		got = append(got, fmt.Sprint(c))
	}
	if diff := cmp.Diff(splitList(codes), got); diff != "" {
		return fmt.Errorf("log codes (-want +got):\n%s", diff)
	}
	return nil
}

// listedRuns compares the runs of the last listing, in order, with named runs.
func (s *scenario) listedRuns(names string) error {
	var got []string
	for _, key := range []string{"runs", "actions"} {
		got = append(got, s.namesOf(key, "run_id", s.runs)...)
	}
	if diff := cmp.Diff(splitList(names), got); diff != "" {
		return fmt.Errorf("listed runs (-want +got):\n%s\nbody: %s", diff, truncate(s.last.body))
	}
	return nil
}

// namesOf names the items of the last listing (under key) by the scenario's names for their ids;
// an item the scenario did not name shows as "?<id>".
func (s *scenario) namesOf(key, idField string, named map[string]string) []string {
	byID := map[string]string{}
	for n, id := range named {
		byID[id] = n
	}
	v, _ := lookup(s.last.doc, key)
	list, _ := v.([]any)
	var got []string
	for _, item := range list {
		id, _ := lookup(item, idField)
		n, ok := byID[fmt.Sprint(id)]
		if !ok {
			n = "?" + fmt.Sprint(id)
		}
		got = append(got, n)
	}
	return got
}
