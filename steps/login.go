package steps

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/cucumber/godog"
	"github.com/gavv/httpexpect/v2"
)

// formAction finds where the login page's form answers.
var formAction = regexp.MustCompile(`<form method="post" action="([^"]+)"`)

// Steps about interactive logins (the authorization code grant with PKCE): a browser that does
// not follow redirects, so the scenario reads where Auth sends it.

// loginVerifier is the PKCE verifier of every scenario login (RFC 7636 appendix B's example).
const loginVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

func loginChallenge() string {
	sum := sha256.Sum256([]byte(loginVerifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func registerLoginSteps(st func(string, any), w func(func(*scenario) error) error) {
	st(`^the next login is ((?:the |an? )?[\w-]+)( with MFA)?$`, func(who, mfa string) error {
		return w(func(s *scenario) error { return s.decideLogin(who, mfa != "", false) })
	})
	st(`^every login is ((?:the |an? )?[\w-]+)( with MFA)?$`, func(who, mfa string) error {
		return w(func(s *scenario) error { return s.decideLogin(who, mfa != "", true) })
	})
	st(`^a browser opens the authorize page of the client "([^"]*)" with:$`, func(client string, table *godog.Table) error {
		return w(func(s *scenario) error { return s.openAuthorize(client, table) })
	})
	st(`^the browser is sent to "([^"]*)" with (a code|the error "[^"]*") and the state "([^"]*)"$`, func(to, what, state string) error {
		return w(func(s *scenario) error { return s.sentTo(to, what, state) })
	})
	st(`^the page (says|does not say) "([^"]*)"$`, func(verb, text string) error {
		return w(func(s *scenario) error {
			if strings.Contains(string(s.last.body), text) != (verb == "says") {
				return fmt.Errorf("the page %s %q: %s", verb, text, truncate(s.last.body))
			}
			return nil
		})
	})
	st(`^the browser chooses ((?:the |an? )?[\w-]+)( with MFA)? on the login page$`, func(who, mfa string) error {
		return w(func(s *scenario) error { return s.chooseOnPage(who, mfa != "") })
	})
	st(`^the client "([^"]*)" exchanges the code for "([^"]*)"( with a wrong verifier)?$`, func(client, redirect, wrong string) error {
		return w(func(s *scenario) error { return s.exchangeCode(client, "", redirect, wrong != "") })
	})
	st(`^the client "([^"]*)" with secret "([^"]*)" exchanges the code for "([^"]*)"$`, func(client, secret, redirect string) error {
		return w(func(s *scenario) error {
			return s.exchangeCode(client, secret, redirect, false)
		})
	})
	st(`^the client "([^"]*)" with secret "([^"]*)" sends (GET|DELETE) "([^"]*)"$`, func(client, secret, method, path string) error {
		return w(func(s *scenario) error {
			var err error
			for _, v := range []*string{&client, &secret, &path} {
				if *v, err = s.expand(*v); err != nil {
					return err
				}
			}
			return s.doWith(func(r *httpexpect.Request) *httpexpect.Request {
				return r.WithBasicAuth(client, secret)
			}, "", method, path, nil, "")
		})
	})
	// A native client names itself in the form; a confidential one authenticates with HTTP Basic.
	st(`^the client "([^"]*)"(?: with secret "([^"]*)")? (refreshes|revokes|validates) the refresh token$`, func(client, secret, verb string) error {
		return w(func(s *scenario) error {
			if s.loginRefresh == "" {
				return fmt.Errorf("no refresh token was issued")
			}
			var err error
			for _, v := range []*string{&client, &secret} {
				if *v, err = s.expand(*v); err != nil {
					return err
				}
			}
			form := url.Values{}
			path := "/v2/oauth2/token"
			switch verb {
			case "revokes", "validates":
				form.Set("token", s.loginRefresh)
				path += map[string]string{"revokes": "/revoke", "validates": "/validate"}[verb]
			default:
				form.Set("grant_type", "refresh_token")
				form.Set("refresh_token", s.loginRefresh)
			}
			if secret == "" {
				form.Set("client_id", client)
			}
			return s.doWith(func(r *httpexpect.Request) *httpexpect.Request {
				if secret != "" {
					r = r.WithBasicAuth(client, secret)
				}
				return r
			}, "", http.MethodPost, path, []byte(form.Encode()), "application/x-www-form-urlencoded")
		})
	})
	st(`^the response field "([^"]*)" is an ID token for the client "([^"]*)" with:$`, func(path, client string, table *godog.Table) error {
		return w(func(s *scenario) error { return s.checkIDToken(path, client, table) })
	})
	st(`^access tokens live (\d+) seconds?$`, func(secs int) error {
		return w(func(s *scenario) error {
			var was map[string]any
			if err := s.control(http.MethodGet, "/_mock/token-lifetime", nil, &was); err != nil {
				return err
			}
			// A shared target keeps the setting: the lifetime it had comes back afterwards.
			s.undo = append(s.undo, func() { _ = s.control(http.MethodPut, "/_mock/token-lifetime", was, nil) })
			return s.control(http.MethodPut, "/_mock/token-lifetime", map[string]any{"seconds": secs}, nil)
		})
	})
	// A kept value is a token by its name ("app has started a run") and {kept:name} in any text.
	st(`^the response field "([^"]*)" is kept as "([^"]*)"$`, func(field, name string) error {
		return w(func(s *scenario) error {
			v, ok := lookup(s.last.doc, field)
			tok, isString := v.(string)
			if !ok || !isString || tok == "" {
				return fmt.Errorf("no text at %q: %s", field, truncate(s.last.body))
			}
			s.tokens[name] = tok
			return nil
		})
	})
	st(`^((?:the |an? )?[\w-]+) has consented to "([^"]*)" for the client "([^"]*)"$`, func(who, scope, client string) error {
		return w(func(s *scenario) error {
			id, err := s.identityID(who)
			if err != nil {
				return err
			}
			if scope, err = s.expand(scope); err != nil {
				return err
			}
			return s.control(http.MethodPost, "/_mock/consents", map[string]any{"identity_id": id, "client_id": client, "scope": scope}, nil)
		})
	})
	st(`^the response field "([^"]*)" equals the response field "([^"]*)"$`, func(a, b string) error {
		return w(func(s *scenario) error {
			va, okA := lookup(s.last.doc, a)
			vb, okB := lookup(s.last.doc, b)
			if !okA || !okB || fmt.Sprint(va) != fmt.Sprint(vb) {
				return fmt.Errorf("%s = %v, %s = %v: %s", a, va, b, vb, truncate(s.last.body))
			}
			return nil
		})
	})
	st(`^the browser forgets its cookies$`, func() error {
		return w(func(s *scenario) error { s.cookies = nil; return nil })
	})
	st(`^the browser opens the auth-code page with the code$`, func() error {
		return w(func(s *scenario) error {
			return s.browse(http.MethodGet, "/v2/web/auth-code?"+url.Values{"code": {s.loginCode}}.Encode(), nil)
		})
	})
}

func (s *scenario) decideLogin(who string, mfa, auto bool) error {
	id, err := s.identityID(who)
	if err != nil {
		return err
	}
	var out map[string]any
	return s.control(http.MethodPost, "/_mock/logins", map[string]any{"identity_id": id, "mfa": mfa, "auto": auto}, &out)
}

// browse sends a browser's request (Accept: text/html, no redirects followed), with the cookies
// the browser kept, and keeps the ones the answer sets.
func (s *scenario) browse(method, path string, form url.Values) error {
	var body []byte
	ct := ""
	if form != nil {
		body, ct = []byte(form.Encode()), "application/x-www-form-urlencoded"
	}
	err := s.doWith(func(r *httpexpect.Request) *httpexpect.Request {
		r = r.WithRedirectPolicy(httpexpect.DontFollowRedirects).WithHeader("Accept", "text/html")
		for name, value := range s.cookies {
			r = r.WithCookie(name, value)
		}
		return r
	}, "", method, path, body, ct)
	if s.last != nil {
		for _, c := range s.last.cookies {
			if s.cookies == nil {
				s.cookies = map[string]string{}
			}
			s.cookies[c.Name] = c.Value
		}
	}
	return err
}

func (s *scenario) openAuthorize(client string, table *godog.Table) error {
	client, err := s.expand(client)
	if err != nil {
		return err
	}
	q := url.Values{"client_id": {client}, "response_type": {"code"},
		"code_challenge": {loginChallenge()}, "code_challenge_method": {"S256"}}
	for _, row := range table.Rows {
		v, err := s.expand(row.Cells[1].Value)
		if err != nil {
			return err
		}
		if v == "" {
			q.Del(row.Cells[0].Value)
		} else {
			q.Set(row.Cells[0].Value, v)
		}
	}
	if err := s.browse(http.MethodGet, "/v2/oauth2/authorize?"+q.Encode(), nil); err != nil {
		return err
	}
	if action := formAction.FindSubmatch(s.last.body); action != nil {
		s.loginPage = string(action[1])
	}
	return nil
}

// sentTo checks the last answer redirects to a URI (its query aside) with a code or an error,
// and the state; the code is kept for the exchange.
func (s *scenario) sentTo(to, what, state string) error {
	if s.last.status != http.StatusFound {
		return fmt.Errorf("status %d, want a redirect: %s", s.last.status, truncate(s.last.body))
	}
	to, err := s.expand(to)
	if err != nil {
		return err
	}
	u, err := url.Parse(s.last.location)
	if err != nil {
		return err
	}
	q := u.Query()
	u.RawQuery = ""
	switch {
	case u.String() != to:
		return fmt.Errorf("sent to %s, want %s", s.last.location, to)
	case q.Get("state") != state:
		return fmt.Errorf("state %q, want %q", q.Get("state"), state)
	case what == "a code" && q.Get("code") == "":
		return fmt.Errorf("no code in %s", s.last.location)
	case what != "a code" && `the error "`+q.Get("error")+`"` != what:
		return fmt.Errorf("error %q in %s, want %s", q.Get("error"), s.last.location, what)
	}
	s.loginCode = q.Get("code")
	return nil
}

func (s *scenario) chooseOnPage(who string, mfa bool) error {
	if s.loginPage == "" {
		return fmt.Errorf("no login page was shown")
	}
	id, err := s.identityID(who)
	if err != nil {
		return err
	}
	form := url.Values{"identity_id": {id}}
	if mfa {
		form.Set("mfa", "true")
	}
	return s.browse(http.MethodPost, s.loginPage, form)
}

// exchangeCode trades the login's code for tokens: a native client names itself, a confidential
// one (secret not "") authenticates with HTTP Basic.
func (s *scenario) exchangeCode(client, secret, redirect string, wrongVerifier bool) error {
	for _, v := range []*string{&client, &secret, &redirect} {
		var err error
		if *v, err = s.expand(*v); err != nil {
			return err
		}
	}
	verifier := loginVerifier
	if wrongVerifier {
		verifier = strings.Repeat("x", len(loginVerifier))
	}
	form := url.Values{"grant_type": {"authorization_code"}, "client_id": {client}, "code": {s.loginCode},
		"redirect_uri": {redirect}, "code_verifier": {verifier}}
	var sent error
	if secret != "" {
		form.Del("client_id")
		sent = s.sendForm(client, secret, "/v2/oauth2/token", form)
	} else {
		sent = s.do("", http.MethodPost, "/v2/oauth2/token", []byte(form.Encode()), "application/x-www-form-urlencoded")
	}
	if sent != nil {
		return sent
	}
	if rt, _ := lookup(s.last.doc, "refresh_token"); rt != nil {
		s.loginRefresh = fmt.Sprint(rt)
	}
	return nil
}
