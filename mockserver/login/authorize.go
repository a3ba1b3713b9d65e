// Package login emulates Globus Auth's interactive login: the authorize request, the decision
// that stands for a person at the login page, authorization codes bound to a PKCE challenge, and
// their one-time exchange. It is pure domain code: no net/http.
package login

import (
	"net"
	"net/url"
	"slices"
	"strings"
)

// AuthCodePage is Globus Auth's own page that shows a code to paste; native clients (the CLI,
// the SDK's NativeAppAuthClient) use it when they run no local server.
const AuthCodePage = "https://auth.globus.org/v2/web/auth-code"

// Client is what the authorize endpoint needs to know of an OAuth client.
type Client struct {
	ID           string
	RedirectURIs []string
	// Native clients hold no secret; they may also redirect to AuthCodePage (or the mock's own
	// copy of it, on ownAuthCodePage) and to a loopback address on any port (RFC 8252 §7.3).
	Native bool
	// Templated clients, confidential ones made from a native client, keep its redirect rules.
	Templated bool
}

// Request is an authorize request, as the SDKs build it.
type Request struct {
	ClientID            string  `json:"client_id"`
	RedirectURI         string  `json:"redirect_uri"`
	Scope               string  `json:"scope"`
	State               string  `json:"state,omitempty"`
	ResponseType        string  `json:"response_type"`
	CodeChallenge       string  `json:"code_challenge,omitempty"`
	CodeChallengeMethod string  `json:"code_challenge_method,omitempty"`
	AccessType          string  `json:"access_type,omitempty"`
	Prompt              string  `json:"prompt,omitempty"`
	PrefillNamedGrant   string  `json:"prefill_named_grant,omitempty"`
	Session             Session `json:"session"`
}

// Session is what the client asks the login to prove (the session_* parameters of a GARE).
type Session struct {
	RequiredIdentities   []string `json:"required_identities,omitempty"`
	RequiredSingleDomain []string `json:"required_single_domain,omitempty"`
	RequiredPolicies     []string `json:"required_policies,omitempty"`
	RequiredMFA          bool     `json:"required_mfa,omitempty"`
	Message              string   `json:"message,omitempty"`
}

// Offline reports whether the client asked for refresh tokens.
func (r Request) Offline() bool { return r.AccessType == "offline" }

// Error is an authorize error. Redirect says whether it may be sent back to the client at its
// redirect_uri (with error= and state=); when the client or the redirect_uri cannot be trusted
// the OAuth rules (RFC 6749 §4.1.2.1) forbid the redirect and an error page is shown instead.
type Error struct {
	Code        string
	Description string
	Redirect    bool
}

func (e *Error) Error() string { return e.Code + ": " + e.Description }

// commaList splits a comma-joined parameter, as the SDKs join session_* lists.
func commaList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ParseRequest reads an authorize request's query parameters.
func ParseRequest(q url.Values) Request {
	return Request{
		ClientID: q.Get("client_id"), RedirectURI: q.Get("redirect_uri"), Scope: q.Get("scope"),
		State: q.Get("state"), ResponseType: q.Get("response_type"), CodeChallenge: q.Get("code_challenge"),
		CodeChallengeMethod: q.Get("code_challenge_method"), AccessType: q.Get("access_type"),
		Prompt: q.Get("prompt"), PrefillNamedGrant: q.Get("prefill_named_grant"),
		Session: Session{
			RequiredIdentities:   commaList(q.Get("session_required_identities")),
			RequiredSingleDomain: commaList(q.Get("session_required_single_domain")),
			RequiredPolicies:     commaList(q.Get("session_required_policies")),
			RequiredMFA:          q.Get("session_required_mfa") == "true",
			Message:              q.Get("session_message"),
		},
	}
}

// RedirectAllowed reports whether a client may be sent to uri: a registered URI exactly, and for
// a native client (or one templated from a native client) also the auth-code page (Globus Auth's or ownAuthCodePage, the mock's copy) and
// any loopback http URI whatever its port (RFC 8252 §7.3).
func (c Client) RedirectAllowed(uri, ownAuthCodePage string) bool {
	if slices.Contains(c.RedirectURIs, uri) {
		return true
	}
	if !c.Native && !c.Templated {
		return false
	}
	if uri == AuthCodePage || (ownAuthCodePage != "" && uri == ownAuthCodePage) {
		return true
	}
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "http" || u.User != nil || u.Fragment != "" {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Validate checks an authorize request against its client (lookup finds it). Errors about the
// client or redirect_uri are not redirected; the others are.
func Validate(r Request, lookup func(id string) (Client, bool), ownAuthCodePage string) error {
	c, ok := lookup(r.ClientID)
	switch {
	case r.ClientID == "":
		return &Error{Code: "invalid_request", Description: "client_id is required"}
	case !ok:
		return &Error{Code: "invalid_client", Description: "Unknown client_id " + r.ClientID}
	case r.RedirectURI == "":
		return &Error{Code: "invalid_request", Description: "redirect_uri is required"}
	case !c.RedirectAllowed(r.RedirectURI, ownAuthCodePage):
		return &Error{Code: "invalid_request", Description: "redirect_uri " + r.RedirectURI + " is not registered for this client"}
	}
	redirected := func(code, desc string) error { return &Error{Code: code, Description: desc, Redirect: true} }
	switch {
	case r.ResponseType != "code":
		return redirected("unsupported_response_type", "response_type must be code")
	case r.Scope == "":
		return redirected("invalid_scope", "scope is required")
	case r.CodeChallenge == "" && c.Native:
		// Native clients hold no secret, so only PKCE binds the code to the client that asked.
		return redirected("invalid_request", "code_challenge is required for native clients")
	case r.CodeChallenge != "" && r.CodeChallengeMethod != "S256":
		return redirected("invalid_request", "code_challenge_method must be S256")
	case r.CodeChallenge == "" && r.CodeChallengeMethod != "":
		return redirected("invalid_request", "code_challenge_method without code_challenge")
	case r.AccessType != "" && r.AccessType != "online" && r.AccessType != "offline":
		return redirected("invalid_request", "access_type must be online or offline")
	case r.Prompt != "" && r.Prompt != "login":
		return redirected("invalid_request", "prompt must be login")
	}
	return nil
}

// ErrorRedirect is the redirect_uri with error, error_description and state added.
func ErrorRedirect(r Request, e *Error) string {
	return withQuery(r.RedirectURI, url.Values{"error": {e.Code}, "error_description": {e.Description}}, r.State)
}

// CodeRedirect is the redirect_uri with code and state added.
func CodeRedirect(r Request, code string) string {
	return withQuery(r.RedirectURI, url.Values{"code": {code}}, r.State)
}

func withQuery(uri string, add url.Values, state string) string {
	u, err := url.Parse(uri)
	if err != nil {
		return uri
	}
	q := u.Query()
	for k, v := range add {
		q[k] = v
	}
	if state != "" {
		q.Set("state", state)
	}
	u.RawQuery = q.Encode()
	return u.String()
}
