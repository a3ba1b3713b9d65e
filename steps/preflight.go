package steps

import (
	"fmt"
	"net/http"
	"strings"
)

// Preflight checks a target before any scenario runs, so that a wrong base URL, stale persona
// tokens or a missing control plane come out as one clear message instead of a failure in every
// scenario: the control plane answers when the target says it has one, the Flows and Auth base
// paths answer, and every persona's token is accepted by Flows.
func Preflight(t Target) error {
	base, client, err := t.Open()
	if err != nil {
		return err
	}
	get := func(path, token string, control bool) (int, error) {
		req, err := http.NewRequest(http.MethodGet, base+path, nil)
		if err != nil {
			return 0, err
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if control && t.ControlPlaneToken() != "" {
			req.Header.Set(controlTokenHeader, t.ControlPlaneToken())
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		_ = resp.Body.Close()
		return resp.StatusCode, nil
	}
	var problems []string
	if t.ControlPlane() {
		if status, err := get("/_mock/clock", "", true); err != nil || status != http.StatusOK {
			problems = append(problems, fmt.Sprintf("the control plane does not answer GET /_mock/clock (%s): "+
				"give the control token, or say the target has no control plane", describe(status, err)))
		}
	}
	var rejected, missing []string
	for _, p := range Personas {
		token, ok := t.Token(p)
		if !ok {
			missing = append(missing, p)
			continue
		}
		status, err := get("/flows?per_page=1", token, false)
		switch {
		case err != nil:
			return fmt.Errorf("preflight: the Flows service does not answer GET /flows: %v", err)
		case status == http.StatusNotFound:
			return fmt.Errorf("preflight: GET /flows answered 404: is the Flows base URL right?")
		case status == http.StatusUnauthorized:
			rejected = append(rejected, p)
		}
	}
	if len(rejected) > 0 {
		problems = append(problems, fmt.Sprintf("Flows rejects the tokens of %s (401): renew them in the target's config",
			strings.Join(rejected, ", ")))
	}
	if len(missing) > 0 {
		problems = append(problems, fmt.Sprintf("no token for %s: the scenarios need all of %s",
			strings.Join(missing, ", "), strings.Join(Personas, ", ")))
	}
	if token, ok := t.Token(Personas[0]); ok {
		status, err := get("/v2/api/identities?usernames=preflight@example.org", token, false)
		if err != nil || status == http.StatusNotFound || status >= 500 {
			problems = append(problems, fmt.Sprintf("the Auth service does not answer GET /v2/api/identities (%s)", describe(status, err)))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("preflight against %s:\n  - %s", t.Name(), strings.Join(problems, "\n  - "))
	}
	return nil
}

func describe(status int, err error) string {
	if err != nil {
		return err.Error()
	}
	return fmt.Sprintf("status %d", status)
}
