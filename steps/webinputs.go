package steps

import (
	"fmt"
	"net/http"
)

// Steps about web inputs, named in the scenario ({webinput:Name}) from the run that waits on them.

func registerWebInputSteps(st func(string, any), w func(func(*scenario) error) error) {
	st(`^the run "([^"]*)" waits on a web input "([^"]*)"$`, func(run, name string) error {
		return w(func(s *scenario) error { return s.blockingWebInput(run, name) })
	})
	st(`^((?:the |an? )?[\w-]+) responds "([^"]*)" to the web input "([^"]*)"$`, func(who, label, name string) error {
		return w(func(s *scenario) error { return s.respondWebInput(who, label, name) })
	})
	st(`^the listed web inputs are "([^"]*)"$`, func(names string) error {
		return w(func(s *scenario) error { return s.listedWebInputs(names) })
	})
}

// blockingWebInput checks that a run is INACTIVE on a web input and names it.
func (s *scenario) blockingWebInput(run, name string) error {
	if err := s.awaitRun(run, "INACTIVE"); err != nil {
		return err
	}
	id, _ := lookup(s.last.doc, "blocking_web_input_id")
	if id == nil {
		return fmt.Errorf("run %q is INACTIVE but blocks on no web input: %s", run, truncate(s.last.body))
	}
	s.webInputs[name] = fmt.Sprint(id)
	return nil
}

// respondWebInput answers a web input with the option that has a label, as a persona.
func (s *scenario) respondWebInput(who, label, name string) error {
	id, _, err := named("web input", s.webInputs, name)
	if err != nil {
		return err
	}
	if err := s.send(who, http.MethodGet, "/web_inputs/"+id, nil); err != nil {
		return err
	}
	if s.last.status != http.StatusOK {
		return fmt.Errorf("%s cannot read web input %q: %d %s", who, name, s.last.status, truncate(s.last.body))
	}
	options, _ := lookup(s.last.doc, "options")
	list, _ := options.([]any)
	for _, o := range list {
		if l, _ := lookup(o, "label"); l == label {
			optionID, _ := lookup(o, "option_id")
			body := fmt.Sprintf(`{"response": {"value": %q}}`, fmt.Sprint(optionID))
			return s.send(who, http.MethodPost, "/web_inputs/"+id+"/respond", &body)
		}
	}
	return fmt.Errorf("web input %q has no option labelled %q: %s", name, label, truncate(s.last.body))
}

// listedWebInputs compares the listed web inputs, in order, with named ones.
func (s *scenario) listedWebInputs(names string) error {
	if s.last.status != http.StatusOK {
		return fmt.Errorf("the listing failed: %d %s", s.last.status, truncate(s.last.body))
	}
	return compareNames("web inputs", names, s.namesOf("web_input_summaries", "id", s.webInputs))
}
