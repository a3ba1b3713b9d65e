package mockserver

import (
	"net/http"
	"slices"

	"github.com/globus-conformance/kit/mockserver/apierr"
	"github.com/globus-conformance/kit/mockserver/auth"
	"github.com/globus-conformance/kit/mockserver/login"
)

// OpenID Connect: the discovery document, the signing keys, ID tokens and userinfo.

// openIDConfiguration is GET /.well-known/openid-configuration.
func (s *Server) openIDConfiguration(c *call) (int, any, error) {
	return http.StatusOK, login.Discovery(origin(c.r)), nil
}

// jwks is GET /jwk.json, the key set the discovery document's jwks_uri names.
func (s *Server) jwks(*call) (int, any, error) {
	set, err := s.keys.JWKS()
	return http.StatusOK, set, err
}

// userinfo is GET /v2/oauth2/userinfo: the claims about the token's user its scopes allow.
func (s *Server) userinfo(c *call) (int, any, error) {
	claims, ok := s.dir.UserClaims(c.caller.Token)
	if !ok {
		return 0, nil, auth.ErrUnauthenticated()
	}
	return http.StatusOK, claims, nil
}

// addIDToken adds an ID token to a token response when one of its tokens holds openid. Its
// claims are the user's (as the openid token's scopes allow), for the client, with the at_hash
// of the response's access token. iat and exp are wall-clock times, not the mock clock's:
// clients check them against their own clocks, so a mock clock moved ahead would make every ID
// token look issued in the future.
func (s *Server) addIDToken(body map[string]any, tokens []auth.Token) error {
	i := slices.IndexFunc(tokens, func(t auth.Token) bool { return slices.Contains(t.Scopes, auth.OpenIDScope) })
	if i < 0 {
		return nil
	}
	t := tokens[i]
	claims, ok := s.dir.UserClaims(t)
	if !ok {
		return apierr.New(apierr.BadRequest, "invalid_grant", "identity %s no longer exists", t.IdentityID)
	}
	iat := s.clock.Wall()
	claims["iss"], claims["aud"] = login.Issuer, t.ClientID
	claims["iat"], claims["exp"] = iat.Unix(), iat.Add(t.ExpiresAt.Sub(t.IssuedAt)).Unix()
	claims["at_hash"] = login.ATHash(tokens[0].Token)
	jwt, err := s.keys.Sign(claims)
	body["id_token"] = jwt
	return err
}
