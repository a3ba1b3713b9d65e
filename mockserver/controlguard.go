package mockserver

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/globus-conformance/kit/mockserver/apierr"
)

// ControlTokenHeader carries the control token for clients whose Authorization header already
// holds a persona's token.
const ControlTokenHeader = "X-Mock-Control-Token"

// The control plane mints tokens for anyone and dumps every secret, so it answers only requests a
// web page cannot forge: no foreign Origin or cross-site fetch (CSRF), a JSON body (a form or
// text/plain POST needs no preflight), a Host that DNS rebinding cannot produce (IP literals,
// localhost, the names allowed), unless a control token guards it. It never answers CORS.

// controlGuard holds the rules, fixed when the server is built.
type controlGuard struct {
	token        [sha256.Size]byte // the digest of the control token, compared in constant time
	guarded      bool
	allowedHosts map[string]bool
}

func newControlGuard(token string, allowed []string) (controlGuard, error) {
	g := controlGuard{guarded: token != "", token: sha256.Sum256([]byte(token)), allowedHosts: map[string]bool{}}
	for _, h := range allowed {
		name := hostName(h)
		if name == "" || strings.ContainsAny(strings.TrimSpace(h), "/*@?# \t") {
			return controlGuard{}, fmt.Errorf("allowed host %q is not a host name", h)
		}
		g.allowedHosts[name] = true
	}
	return g, nil
}

// check returns the error a control-plane request is refused with, or nil.
func (g controlGuard) check(r *http.Request) error {
	if err := g.checkOrigin(r); err != nil {
		return err
	}
	if err := g.checkToken(r); err != nil {
		return err
	}
	return checkJSONBody(r)
}

// checkOrigin holds the rules against other web pages (DNS rebinding, cross-site requests,
// CORS); the console's static files answer under these alone (they hold nothing of the world).
func (g controlGuard) checkOrigin(r *http.Request) error {
	if !g.guarded && !g.hostAllowed(r.Host) {
		name := hostName(r.Host)
		return apierr.New(apierr.Forbidden, "HOST_NOT_ALLOWED",
			"The control plane does not answer under the host %q (it could be a DNS-rebound name): use an IP address or localhost, "+
				"start the mock with --allowed-host %s (MOCKSERVER_ALLOWED_HOSTS, Options.AllowedHosts), or guard it with a control token",
			r.Host, name)
	}
	if origin := r.Header.Get("Origin"); origin != "" && !sameOrigin(origin, r) {
		return apierr.New(apierr.Forbidden, "CROSS_SITE_REQUEST",
			"The control plane answers only its own origin, not %s", origin)
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site == "cross-site" || site == "same-site" {
		return apierr.New(apierr.Forbidden, "CROSS_SITE_REQUEST",
			"The control plane does not answer %s requests", site)
	}
	if r.Method == http.MethodOptions {
		return apierr.New(apierr.Forbidden, "CORS_NOT_ANSWERED", "The control plane does not answer CORS preflight requests")
	}
	return nil
}

func (g controlGuard) checkToken(r *http.Request) error {
	if !g.guarded {
		return nil
	}
	sent := []string{r.Header.Get(ControlTokenHeader)}
	if tok, ok := bearer(r); ok {
		sent = append(sent, tok)
	}
	given := false
	for _, tok := range sent {
		if tok == "" {
			continue
		}
		given = true
		digest := sha256.Sum256([]byte(tok))
		if subtle.ConstantTimeCompare(digest[:], g.token[:]) == 1 {
			return nil
		}
	}
	if given {
		return apierr.New(apierr.Unauthenticated, "INVALID_CONTROL_TOKEN", "The control token sent does not match the mock's")
	}
	return apierr.New(apierr.Unauthenticated, "CONTROL_TOKEN_REQUIRED",
		"The control plane needs the control token: send Authorization: Bearer <token> or %s: <token>", ControlTokenHeader)
}

// checkJSONBody refuses a body, or a content type on a method that takes one, that is not JSON.
func checkJSONBody(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	takesBody := r.Method == http.MethodPost || r.Method == http.MethodPut || r.Method == http.MethodPatch || r.Method == http.MethodDelete
	if r.ContentLength == 0 && (ct == "" || !takesBody) {
		return nil // no body, and no content type that says there is one
	}
	if mt, _, err := mime.ParseMediaType(ct); err == nil && mt == "application/json" {
		return nil
	}
	if ct == "" {
		ct = "none"
	}
	return apierr.New(apierr.MediaType, "UNSUPPORTED_MEDIA_TYPE",
		"The control plane takes bodies as Content-Type: application/json, not %s", ct)
}

// hostAllowed: IP literals and localhost (with any port), and the allowed names.
func (g controlGuard) hostAllowed(host string) bool {
	name := hostName(host)
	if name == "localhost" || g.allowedHosts[name] {
		return true
	}
	_, err := netip.ParseAddr(name)
	return err == nil
}

// hostName is a Host's name in lower case, without its port, brackets or trailing dot.
func hostName(host string) string {
	host = strings.TrimSpace(host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	return strings.TrimSuffix(strings.ToLower(host), ".")
}

// sameOrigin reports whether an Origin header names the origin the request was sent to.
func sameOrigin(origin string, r *http.Request) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || u.Path != "" || u.User != nil {
		return false // "null" (opaque origins) too
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return strings.EqualFold(u.Scheme, scheme) && hostPort(u.Host, scheme) == hostPort(r.Host, scheme)
}

// hostPort is a host with its port, the scheme's default port when none is given.
func hostPort(host, scheme string) string {
	name, port, err := net.SplitHostPort(host)
	if err != nil {
		name, port = host, map[string]string{"http": "80", "https": "443"}[scheme]
	}
	return net.JoinHostPort(hostName(name), port)
}

// withoutCORS drops Access-Control-* headers an outer layer may have set: the control plane is
// for tests and tools, never for pages of other origins.
func withoutCORS(h http.Header) {
	for k := range h {
		if strings.HasPrefix(k, "Access-Control-") {
			delete(h, k)
		}
	}
}
