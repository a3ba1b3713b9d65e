package login

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"sync"

	"github.com/globus-conformance/kit/mockserver/ids"
)

// SigningAlg is how ID tokens are signed: Globus Auth publishes RS512 as its only
// id_token_signing_alg_values_supported, and clients take the algorithms from there.
const SigningAlg = "RS512"

// Issuer is the iss of ID tokens and of introspections, and the discovery document's issuer:
// Globus Auth's, which clients compare with what they expect.
const Issuer = "https://auth.globus.org"

// Keys is the RSA key the mock signs ID tokens with. It is made on first use (a 2048-bit key
// takes a moment, and most uses of a mock never need one), lives as long as the process and is
// never part of a dump: a restarted mock publishes a new key, as a key rotation would.
type Keys struct {
	once sync.Once
	key  *rsa.PrivateKey
	kid  string
	err  error
}

func (k *Keys) load() error {
	k.once.Do(func() {
		k.key, k.err = rsa.GenerateKey(rand.Reader, 2048)
		k.kid = ids.Token(8)
	})
	return k.err
}

// JWKS is the JSON Web Key Set (RFC 7517) with the public half of the signing key.
func (k *Keys) JWKS() (map[string]any, error) {
	if err := k.load(); err != nil {
		return nil, err
	}
	pub := k.key.PublicKey
	return map[string]any{"keys": []map[string]any{{
		"kty": "RSA", "alg": SigningAlg, "use": "sig", "kid": k.kid,
		"n": b64(pub.N.Bytes()), "e": b64(big.NewInt(int64(pub.E)).Bytes()),
	}}}, nil
}

// Sign makes a JWT of the claims, signed with the key and naming it by kid.
func (k *Keys) Sign(claims map[string]any) (string, error) {
	if err := k.load(); err != nil {
		return "", err
	}
	header, err := json.Marshal(map[string]string{"typ": "JWT", "alg": SigningAlg, "kid": k.kid})
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	signed := b64(header) + "." + b64(payload)
	sum := sha512.Sum512([]byte(signed))
	sig, err := rsa.SignPKCS1v15(rand.Reader, k.key, crypto.SHA512, sum[:])
	if err != nil {
		return "", err
	}
	return signed + "." + b64(sig), nil
}

// ATHash is the at_hash claim of an access token: the left half of its hash with the signing
// algorithm's hash function, base64url-encoded (OpenID Connect Core §3.1.3.6).
func ATHash(accessToken string) string {
	sum := sha512.Sum512([]byte(accessToken))
	return b64(sum[:len(sum)/2])
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// Discovery is the OpenID Provider configuration (OpenID Connect Discovery §3) as Globus Auth
// publishes it, its endpoints under origin (the scheme and host the client called).
func Discovery(origin string) map[string]any {
	return map[string]any{
		"issuer":                                Issuer,
		"authorization_endpoint":                origin + "/v2/oauth2/authorize",
		"userinfo_endpoint":                     origin + "/v2/oauth2/userinfo",
		"token_endpoint":                        origin + "/v2/oauth2/token",
		"revocation_endpoint":                   origin + "/v2/oauth2/token/revoke",
		"introspection_endpoint":                origin + "/v2/oauth2/token/introspect",
		"jwks_uri":                              origin + "/jwk.json",
		"response_types_supported":              []string{"code"},
		"grant_types_supported":                 []string{"authorization_code", "refresh_token", "client_credentials"},
		"id_token_signing_alg_values_supported": []string{SigningAlg},
		"scopes_supported":                      []string{"openid", "email", "profile"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
		"code_challenge_methods_supported":      []string{"S256"},
		"claims_supported": []string{"at_hash", "aud", "email", "exp", "name", "preferred_username",
			"iat", "iss", "sub", "organization", "identity_provider", "identity_provider_display_name",
			"identity_set", "last_authentication"},
		"subject_types_supported": []string{"public"},
	}
}
