package steps

import (
	"encoding/json"

	"fmt"
	"github.com/cucumber/godog"
	"github.com/google/go-cmp/cmp"
	"net/http"
)

// Steps about registered APIs, named in the scenario ({api:Name}).

// defaultTarget is a registered operation for scenarios that do not care which.
const defaultTarget = `{"type": "openapi", "openapi_version": "3.1",
 "destination": {"method": "post", "url": "https://api.example.org/things"},
 "specification": {"operationId": "createThing", "responses": {"201": {"description": "created"}}}}`

func registerRegisteredAPISteps(st func(string, any), w func(func(*scenario) error) error) {
	st(`^((?:the |an? )?[\w-]+) has registered an API "([^"]*)" with:$`, func(who, name string, doc *godog.DocString) error {
		return w(func(s *scenario) error { return s.registerAPI(who, name, doc.Content) })
	})
	st(`^the listed registered APIs are "([^"]*)"$`, func(names string) error {
		return w(func(s *scenario) error { return s.listedNames("registered_apis", "name", names) })
	})
}

// registerAPI creates a registered API as a persona; the fields given override a name and a target.
func (s *scenario) registerAPI(who, name, extra string) error {
	b, err := s.withFields(map[string]any{"name": name, "target": json.RawMessage(defaultTarget)}, extra)
	if err != nil {
		return err
	}
	tok, err := s.token(who)
	if err != nil {
		return err
	}
	if err := s.do(tok, http.MethodPost, "/registered_apis", b, ""); err != nil {
		return err
	}
	if s.last.status != http.StatusCreated {
		return fmt.Errorf("registering API %q: status %d: %s", name, s.last.status, truncate(s.last.body))
	}
	id, _ := lookup(s.last.doc, "id")
	s.apis[name] = fmt.Sprint(id)
	s.remember(who, fmt.Sprintf("DELETE /registered_apis/%v", id))
	return nil
}

// listedNames compares the names of a listing's items, in order, with a comma-separated list.
func (s *scenario) listedNames(key, field, want string) error {
	if s.last.status != http.StatusOK {
		return fmt.Errorf("the listing failed: %d %s", s.last.status, truncate(s.last.body))
	}
	v, _ := lookup(s.last.doc, key)
	list, _ := v.([]any)
	var got []string
	for _, item := range list {
		n, _ := lookup(item, field)
		got = append(got, fmt.Sprint(n))
	}
	return compareNames(key, want, got)
}

// compareNames compares listed names with a comma-separated list, in order.
func compareNames(what, want string, got []string) error {
	if diff := cmp.Diff(splitList(want), got); diff != "" {
		return fmt.Errorf("listed %s (-want +got):\n%s", what, diff)
	}
	return nil
}
