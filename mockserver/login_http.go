package mockserver

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/ids"
	"github.com/globus-conformance/kit/mockserver/login"
)

// webAnswer is an answer for a browser, written as it is: a redirect (location set) or an HTML
// page, with the session cookie when a login was approved.
type webAnswer struct {
	location string
	html     []byte
	cookie   *http.Cookie
}

// SessionCookie names the cookie that keeps a browser's Globus Auth session: logins through the
// same browser add their authentications to it.
const SessionCookie = "mock_auth_session"

// browserSession is the session a browser's cookie names ("" when it has none, or not a UUID).
func browserSession(r *http.Request) string {
	if c, err := r.Cookie(SessionCookie); err == nil && ids.IsUUID(c.Value) {
		return strings.ToLower(c.Value)
	}
	return ""
}

func redirectTo(location string) (int, any, error) {
	return http.StatusFound, &webAnswer{location: location}, nil
}

var pages = template.Must(template.New("login").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>Globus Auth (mock): log in</title></head><body>
<h1>Log in to {{.Client}}</h1>
<p>Scopes asked for:</p><ul>{{range .Scopes}}<li>{{.}}</li>{{end}}</ul>
{{with .Session}}{{if .Message}}<p class="session-message">{{.Message}}</p>{{end}}
{{if .RequiredIdentities}}<p>Required identities: {{range .RequiredIdentities}}{{.}} {{end}}</p>{{end}}
{{if .RequiredSingleDomain}}<p>Required domain: {{range .RequiredSingleDomain}}{{.}} {{end}}</p>{{end}}
{{if .RequiredPolicies}}<p>Required policies: {{range $.Policies}}{{.}} {{end}}</p>{{end}}
{{if .RequiredMFA}}<p>Multi-factor authentication is required.</p>{{end}}{{end}}
{{if .Refusal}}<p class="refusal">Refused: {{.Refusal}}</p>{{end}}
<form method="post" action="/v2/web/login/{{.ID}}">
<label>Identity <select name="identity_id">{{range .Identities}}<option value="{{.ID}}">{{.Username}}{{if .Name}} ({{.Name}}){{end}}</option>{{end}}</select></label>
<label><input type="checkbox" name="mfa" value="true"> with MFA</label>
<button type="submit">Log in</button>
</form></body></html>
`))

var codePage = template.Must(template.New("code").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>Globus Auth (mock): authorization code</title></head><body>
{{if .Error}}<h1>Login failed</h1><p class="error">{{.Error}}: {{.Description}}</p>
{{else}}<h1>Native App Authorization Code</h1><p>Copy this code and paste it into your application:</p>
<pre class="auth-code">{{.Code}}</pre>{{end}}
</body></html>
`))

var errorPage = template.Must(template.New("error").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>Globus Auth (mock): error</title></head><body>
<h1>{{.Code}}</h1><p class="error">{{.Description}}</p></body></html>
`))

// browserError is an error for a person (an HTML page) when the request accepts HTML, as a
// browser's does, and Auth's error document for any other caller.
func browserError(c *call, kind apierr.Kind, status int, e login.Error) (int, any, error) {
	if !strings.Contains(c.r.Header.Get("Accept"), "text/html") {
		return 0, nil, apierr.New(kind, e.Code, "%s", e.Description)
	}
	return render(status, errorPage, e)
}

func render(status int, t *template.Template, data any) (int, any, error) {
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return 0, nil, err
	}
	return status, &webAnswer{html: b.Bytes()}, nil
}

// origin is the scheme and host the client called, for the absolute URLs the mock shows it.
func origin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// ownAuthCodePage is the mock's copy of the auth-code page under the origin the client called.
func ownAuthCodePage(r *http.Request) string { return origin(r) + "/v2/web/auth-code" }

func (s *Server) loginClient(id string) (login.Client, bool) {
	c, ok := s.dir.LookupClient(id)
	return login.Client{ID: c.ID, RedirectURIs: c.RedirectURIs, Native: c.Native, Templated: c.TemplateID != ""}, ok
}

// authorize is GET /v2/oauth2/authorize.
func (s *Server) authorize(c *call) (int, any, error) {
	req := login.ParseRequest(c.r.URL.Query())
	err := login.Validate(req, s.loginClient, ownAuthCodePage(c.r))
	if err == nil {
		var offline bool
		if req.Scope, offline = auth.WithoutOfflineAccess(req.Scope); offline {
			req.AccessType = "offline"
		}
		if why := auth.ScopeProblem(req.Scope); why != "" {
			err = &login.Error{Code: "invalid_scope", Description: why, Redirect: true}
		}
	}
	var le *login.Error
	if errors.As(err, &le) {
		if le.Redirect {
			return redirectTo(login.ErrorRedirect(req, le))
		}
		return browserError(c, apierr.BadRequest, http.StatusBadRequest, *le)
	}
	l, err := s.logins.Start(req, browserSession(c.r))
	if err != nil {
		return 0, nil, err
	}
	return s.loginAnswer(l)
}

// loginAnswer redirects an approved login with its code, and shows a pending one's page.
func (s *Server) loginAnswer(l login.Login) (int, any, error) {
	if l.Status == "approved" {
		return http.StatusFound, &webAnswer{location: login.CodeRedirect(l.Request, l.Code), cookie: &http.Cookie{
			Name: SessionCookie, Value: l.SessionID, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode}}, nil
	}
	client, _ := s.dir.LookupClient(l.Request.ClientID)
	name := client.Name
	if name == "" {
		name = client.ID
	}
	var people []auth.Identity
	for _, i := range s.dir.Snapshot().Identities {
		if i.IdentityProvider != auth.ClientIdentityProvider {
			people = append(people, i)
		}
	}
	// Policies by their names too, as Globus Auth's page tells a person what they must satisfy.
	var policies []string
	for _, id := range l.Request.Session.RequiredPolicies {
		if p, ok := s.dir.LookupPolicy(id); ok && p.DisplayName != "" {
			id = p.DisplayName + " (" + id + ")"
		}
		policies = append(policies, id)
	}
	return render(http.StatusOK, pages, map[string]any{
		"ID": l.ID, "Client": name, "Scopes": strings.Fields(l.Request.Scope), "Session": l.Request.Session, "Policies": policies,
		"Refusal": l.Refusal, "Identities": people,
	})
}

// submitLogin is the login page's form: the identity chosen and whether with MFA.
func (s *Server) submitLogin(c *call) (int, any, error) {
	form, err := s.form(c)
	if err != nil {
		return 0, nil, err
	}
	id := c.param("login_id")
	if _, ok := s.logins.Get(id); !ok {
		return browserError(c, apierr.NotFound, http.StatusNotFound, login.Error{Code: "not_found", Description: "No login " + id})
	}
	l, err := s.logins.Approve(id, form.Get("identity_id"), form.Get("mfa") == "true")
	if err != nil {
		if l, ok := s.logins.Get(id); ok && l.Status == "pending" {
			_, page, _ := s.loginAnswer(l)
			return http.StatusBadRequest, page, nil
		}
		return browserError(c, apierr.BadRequest, http.StatusBadRequest, login.Error{Code: "invalid_request", Description: err.Error()})
	}
	return s.loginAnswer(l)
}

// authCodePage is GET /v2/web/auth-code: the code a native client's user pastes back.
func (s *Server) authCodePage(c *call) (int, any, error) {
	q := c.r.URL.Query()
	if q.Get("code") == "" && q.Get("error") == "" {
		return browserError(c, apierr.BadRequest, http.StatusBadRequest, login.Error{Code: "invalid_request", Description: "No authorization code to show"})
	}
	return render(http.StatusOK, codePage, map[string]string{"Code": q.Get("code"), "Error": q.Get("error"), "Description": q.Get("error_description")})
}

// resolveLogin turns a login decision into the identity that logs in, refusing one that names
// nobody or cannot satisfy the request's session requirements (the policies judged as
// mockserver/auth judges a token's session).
func (s *Server) resolveLogin(d login.Decision, r *login.Request) (string, error) {
	var id auth.Identity
	if d.Persona != "" {
		p, ok := s.dir.PersonaIdentity(d.Persona)
		if !ok {
			return "", apierr.New(apierr.Invalid, "invalid_request", "no persona %s", d.Persona)
		}
		id = p
	} else {
		found := s.dir.Identities([]string{d.IdentityID}, nil)
		if len(found) == 0 || found[0].IdentityProvider == auth.ClientIdentityProvider {
			return "", apierr.New(apierr.Invalid, "invalid_request", "no identity %s", d.IdentityID)
		}
		id = found[0]
	}
	if r == nil {
		return id.ID, nil
	}
	refuse := func(format string, args ...any) (string, error) {
		return "", apierr.New(apierr.Invalid, "invalid_request", format, args...)
	}
	sess := r.Session
	switch {
	case len(sess.RequiredIdentities) > 0 && !slices.Contains(sess.RequiredIdentities, id.ID) && !slices.Contains(sess.RequiredIdentities, id.Username):
		return refuse("%s is not one of the required identities", id.Username)
	case len(sess.RequiredSingleDomain) > 0 && !slices.ContainsFunc(sess.RequiredSingleDomain, func(dom string) bool { return strings.EqualFold(dom, id.Domain()) }):
		return refuse("%s is not in a required domain (%s)", id.Username, strings.Join(sess.RequiredSingleDomain, ", "))
	case sess.RequiredMFA && !d.MFA:
		return refuse("multi-factor authentication is required")
	}
	if why := s.dir.LoginMeetsPolicies(id.ID, d.MFA, sess.RequiredPolicies); why != "" {
		return refuse("%s", why)
	}
	return id.ID, nil
}

// loginGrantClient authenticates the client of a login grant or a revocation: a confidential client
// by its secret (HTTP Basic or the form), a native one by naming itself (its proof is PKCE).
func (s *Server) loginGrantClient(c *call, form url.Values) (string, error) {
	id, secret, basic := c.r.BasicAuth()
	if !basic {
		id, secret = form.Get("client_id"), form.Get("client_secret")
	}
	client, ok := s.dir.LookupClient(id)
	if !ok || (!client.Native && !s.dir.CheckClient(id, secret)) {
		return "", apierr.New(apierr.Unauthenticated, "invalid_client", "Unknown client or wrong secret")
	}
	return id, nil
}

// exchangeCode is the authorization_code grant of POST /v2/oauth2/token.
func (s *Server) exchangeCode(c *call, form url.Values) ([]auth.Token, error) {
	id, err := s.loginGrantClient(c, form)
	if err != nil {
		return nil, err
	}
	l, err := s.logins.Exchange(form.Get("code"), id, form.Get("redirect_uri"), form.Get("code_verifier"))
	if err != nil {
		return nil, err
	}
	a := auth.Authentication{IdentityID: l.Identity, Time: l.Decided, MFA: l.MFA}
	return s.dir.LoginTokens(id, l.Request.Scope, a, l.Request.Offline(), l.SessionID)
}

// refreshTokens is the refresh_token grant of POST /v2/oauth2/token.
func (s *Server) refreshTokens(c *call, form url.Values) ([]auth.Token, error) {
	id, err := s.loginGrantClient(c, form)
	if err != nil {
		return nil, err
	}
	t, err := s.dir.Refresh(id, form.Get("refresh_token"))
	return []auth.Token{t}, err
}

// validateToken is POST /v2/oauth2/token/validate: whether a token the client holds is still
// good (the CLI asks it of each stored refresh token before it trusts a login).
func (s *Server) validateToken(c *call) (int, any, error) {
	return s.withClientToken(c, func(client, token string) bool { return s.dir.Valid(client, token) })
}

// revokeToken is POST /v2/oauth2/token/revoke: an unknown token is no error (RFC 7009 §2.2).
func (s *Server) revokeToken(c *call) (int, any, error) {
	return s.withClientToken(c, func(client, token string) bool {
		s.dir.Revoke(client, token)
		return false
	})
}

// withClientToken authenticates the client of a token request about one of its tokens and
// answers {"active": ...} with what fn says of the token.
func (s *Server) withClientToken(c *call, fn func(client, token string) bool) (int, any, error) {
	form, err := s.form(c)
	if err != nil {
		return 0, nil, err
	}
	id, err := s.loginGrantClient(c, form)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"active": fn(id, form.Get("token"))}, nil
}
