package steps

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/cucumber/godog"
)

// Steps about authentication policies, sessions and high-assurance subscriptions. Policies and
// subscriptions are named in the scenario ({policy:Name}, {subscription:Name}).

func registerHASteps(st func(string, any), w func(func(*scenario) error) error) {
	st(`^((?:the |an? )?[\w-]+) has created an? (high-assurance|standard) policy "([^"]*)"(.*)$`, func(who, kind, name, options string) error {
		return w(func(s *scenario) error { return s.createPolicy(who, kind == "high-assurance", name, options) })
	})
	st(`^((?:the |an? )?[\w-]+) has created a project "([^"]*)" administered by (.+)$`, func(who, name, admins string) error {
		return w(func(s *scenario) error { return s.createProject(who, name, admins, "") })
	})
	st(`^((?:the |an? )?[\w-]+) has created a project "([^"]*)" with:$`, func(who, name string, doc *godog.DocString) error {
		return w(func(s *scenario) error { return s.createProject(who, name, "", doc.Content) })
	})
	st(`^a high-assurance subscription "([^"]*)" for the group "([^"]*)"$`, func(name, group string) error {
		return w(func(s *scenario) error { return s.addSubscription(name, group, true) })
	})
	st(`^a standard subscription "([^"]*)" for the group "([^"]*)"$`, func(name, group string) error {
		return w(func(s *scenario) error { return s.addSubscription(name, group, false) })
	})
	st(`^((?:the |an? )?[\w-]+) authenticates( with MFA)?$`, func(who, mfa string) error {
		return w(func(s *scenario) error { return s.authenticate(who, "", mfa != "") })
	})
	st(`^((?:the |an? )?[\w-]+) authenticates as the identity "([^"]*)"( with MFA)?$`, func(who, identityID, mfa string) error {
		return w(func(s *scenario) error { return s.authenticate(who, identityID, mfa != "") })
	})
	st(`^the client "([^"]*)" with secret "([^"]*)" introspects "([^"]*)" asking for policies "([^"]*)"$`, func(id, secret, token, policies string) error {
		return w(func(s *scenario) error {
			p, err := s.expand(policies)
			if err != nil {
				return err
			}
			return s.sendForm(id, secret, "/v2/oauth2/token/introspect", url.Values{"token": {token}, "authentication_policies": {p}})
		})
	})
	st(`^the error is a GARE requiring the policy "([^"]*)"( with MFA)?$`, func(name, mfa string) error {
		return w(func(s *scenario) error { return s.isGARE(name, mfa != "") })
	})
}

var (
	timeoutOption = regexp.MustCompile(`timeout of (\d+) seconds`)
	domainsOption = regexp.MustCompile(`for domains "([^"]*)"`)
	projectOption = regexp.MustCompile(`in the project "([^"]*)"`)
)

// defaultProject is the project of a policy a scenario does not place in one of its own: a
// project the service does not know, whose policies their creators administer on the mock.
const defaultProject = "d0c5e000-0000-4000-8000-000000000001"

// createProject creates a project as a persona, administered by the personas listed (admins) or
// as the document says (fields of {"project": ...}; display_name and contact_email are filled).
func (s *scenario) createProject(who, name, admins, doc string) error {
	project := map[string]any{}
	if doc != "" {
		expanded, err := s.expand(doc)
		if err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(expanded), &project); err != nil {
			return fmt.Errorf("the project document: %w", err)
		}
	}
	if admins != "" {
		idList, err := s.identityIDs(admins)
		if err != nil {
			return err
		}
		project["admin_ids"] = idList
	}
	if _, ok := project["display_name"]; !ok {
		project["display_name"] = name
	}
	if _, ok := project["contact_email"]; !ok {
		project["contact_email"] = "project@example.org"
	}
	return s.createAuthObject(who, "project", "projects", name, project, s.projects)
}

// createAuthObject posts {"<kind>": doc} to Auth's /v2/api/<collection> as a persona, names what
// it made in the scenario and remembers how to remove it.
func (s *scenario) createAuthObject(who, kind, collection, name string, doc map[string]any, names map[string]string) error {
	tok, err := s.token(who)
	if err != nil {
		return err
	}
	b, _ := json.Marshal(map[string]any{kind: doc})
	if err := s.do(tok, http.MethodPost, "/v2/api/"+collection, b, ""); err != nil {
		return err
	}
	id, ok := lookup(s.last.doc, kind+".id")
	if s.last.status != http.StatusOK || !ok {
		return fmt.Errorf("creating %s %q: status %d: %s", kind, name, s.last.status, truncate(s.last.body))
	}
	names[name] = fmt.Sprint(id)
	s.remember(who, fmt.Sprintf("DELETE /v2/api/%s/%v", collection, id))
	return nil
}

// createPolicy creates a policy as a persona; options may say "requiring MFA" and "with a timeout
// of N seconds" and "for domains "a, b"".
func (s *scenario) createPolicy(who string, ha bool, name, options string) error {
	project := defaultProject
	if m := projectOption.FindStringSubmatch(options); m != nil {
		id, _, err := named("project", s.projects, m[1])
		if err != nil {
			return err
		}
		project = id
	}
	policy := map[string]any{
		"project_id": project, "display_name": name, "description": "policy " + name,
		"high_assurance": ha,
	}
	if strings.Contains(options, "requiring MFA") {
		policy["required_mfa"] = true
	}
	if m := domainsOption.FindStringSubmatch(options); m != nil {
		policy["domain_constraints_include"] = splitList(m[1])
	}
	if m := timeoutOption.FindStringSubmatch(options); m != nil {
		secs, _ := strconv.Atoi(m[1])
		policy["authentication_assurance_timeout"] = secs
	}
	return s.createAuthObject(who, "policy", "policies", name, policy, s.policies)
}

func (s *scenario) addSubscription(name, group string, ha bool) error {
	groupID, _, err := named("group", s.groups, group)
	if err != nil {
		return err
	}
	var out struct {
		ID string `json:"id"`
	}
	if err := s.control(http.MethodPost, "/_mock/subscriptions", map[string]any{"name": name, "high_assurance": ha, "group_id": groupID}, &out); err != nil {
		return err
	}
	s.subscriptions[name] = out.ID
	return nil
}

// authenticate records a fresh authentication in the persona's session (its own identity unless
// another identity of its identity set is named).
func (s *scenario) authenticate(who, identityID string, mfa bool) error {
	tok, err := s.token(who)
	if err != nil {
		return err
	}
	if identityID == "" {
		if identityID, err = s.identityID(who); err != nil {
			return err
		}
	}
	return s.control(http.MethodPost, "/_mock/tokens/"+tok+"/authentications", map[string]any{"identity_id": identityID, "mfa": mfa}, nil)
}

// isGARE checks that the last response is a Flows GARE for a named policy.
func (s *scenario) isGARE(name string, mfa bool) error {
	policyID, _, err := named("policy", s.policies, name)
	if err != nil {
		return err
	}
	if s.last.status != http.StatusForbidden {
		return fmt.Errorf("status %d, want 403: %s", s.last.status, truncate(s.last.body))
	}
	code, _ := lookup(s.last.doc, "code")
	policies, _ := lookup(s.last.doc, "authorization_parameters.session_required_policies")
	msg, _ := lookup(s.last.doc, "authorization_parameters.session_message")
	gotMFA, _ := lookup(s.last.doc, "authorization_parameters.session_required_mfa")
	list, _ := policies.([]any)
	switch {
	case code != "AuthenticationPolicyRequired":
		return fmt.Errorf("code %v, want AuthenticationPolicyRequired: %s", code, truncate(s.last.body))
	case len(list) != 1 || list[0] != policyID:
		return fmt.Errorf("session_required_policies %v, want [%s]", policies, policyID)
	case msg == nil || msg == "":
		return fmt.Errorf("no session_message: %s", truncate(s.last.body))
	case mfa && gotMFA != true:
		return fmt.Errorf("session_required_mfa %v, want true", gotMFA)
	case !mfa && gotMFA == true:
		return fmt.Errorf("session_required_mfa is true for a policy without MFA")
	}
	return nil
}
