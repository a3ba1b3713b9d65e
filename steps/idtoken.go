package steps

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"strings"

	"github.com/cucumber/godog"
)

// jwk is one RSA key of a JSON Web Key Set (RFC 7517).
type jwk struct {
	Kid, Kty, Alg, Use, N, E string
}

// checkIDToken checks that a response field is an ID token as an OpenID Connect client checks
// it: an RS512 JWT whose signature verifies with the key its kid names in the target's JWKS
// (/jwk.json), whose audience is the client, whose at_hash is the response's access token's,
// and whose claims hold what the table says (paths into the claims, values expanded).
func (s *scenario) checkIDToken(path, client string, table *godog.Table) error {
	v, ok := lookup(s.last.doc, path)
	raw, isString := v.(string)
	if !ok || !isString {
		return fmt.Errorf("field %q is not a string: %s", path, truncate(s.last.body))
	}
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return fmt.Errorf("field %q is not a JWT: %q", path, raw)
	}
	var header struct{ Alg, Kid string }
	var claims map[string]any
	if err := decodeSegment(parts[0], &header); err != nil {
		return fmt.Errorf("the JWT header: %w", err)
	}
	if err := decodeSegment(parts[1], &claims); err != nil {
		return fmt.Errorf("the JWT claims: %w", err)
	}
	if header.Alg != "RS512" {
		return fmt.Errorf("the JWT is signed with %q, want RS512", header.Alg)
	}
	key, err := s.signingKey(header.Kid)
	if err != nil {
		return err
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return fmt.Errorf("the JWT signature: %w", err)
	}
	sum := sha512.Sum512([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(key, crypto.SHA512, sum[:], sig); err != nil {
		return fmt.Errorf("the JWT signature does not verify with the key %q: %w", header.Kid, err)
	}
	if claims["aud"] != client {
		return fmt.Errorf("aud = %v, want %s", claims["aud"], client)
	}
	iat, _ := claims["iat"].(float64)
	exp, _ := claims["exp"].(float64)
	if iat <= 0 || exp <= iat {
		return fmt.Errorf("iat %v and exp %v: want 0 < iat < exp", claims["iat"], claims["exp"])
	}
	access, _ := lookup(s.last.doc, "access_token")
	half := sha512.Sum512([]byte(fmt.Sprint(access)))
	if want := base64.RawURLEncoding.EncodeToString(half[:len(half)/2]); claims["at_hash"] != want {
		return fmt.Errorf("at_hash = %v, want %s (the response's access token)", claims["at_hash"], want)
	}
	for _, row := range table.Rows {
		want, err := s.expand(row.Cells[1].Value)
		if err != nil {
			return err
		}
		got, ok := lookup(claims, row.Cells[0].Value)
		if !ok || fmt.Sprint(got) != want {
			b, _ := json.Marshal(claims)
			return fmt.Errorf("claim %s = %v, want %q: %s", row.Cells[0].Value, got, want, truncate(b))
		}
	}
	return nil
}

func decodeSegment(seg string, out any) error {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

// signingKey fetches the target's JWKS and returns the RSA key with the kid; the scenario's last
// response stays what it was.
func (s *scenario) signingKey(kid string) (*rsa.PublicKey, error) {
	saved, savedPrev := s.last, s.prev
	defer func() { s.last, s.prev = saved, savedPrev }()
	if err := s.do("", http.MethodGet, "/jwk.json", nil, ""); err != nil {
		return nil, err
	}
	if s.last.status != http.StatusOK {
		return nil, fmt.Errorf("GET /jwk.json: %d %s", s.last.status, truncate(s.last.body))
	}
	var set struct{ Keys []jwk }
	if err := json.Unmarshal(s.last.body, &set); err != nil {
		return nil, fmt.Errorf("GET /jwk.json: %w", err)
	}
	for _, k := range set.Keys {
		if k.Kid != kid || k.Kty != "RSA" {
			continue
		}
		n, errN := base64.RawURLEncoding.DecodeString(k.N)
		e, errE := base64.RawURLEncoding.DecodeString(k.E)
		if errN != nil || errE != nil {
			return nil, fmt.Errorf("the key %q has a bad n or e", kid)
		}
		return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}, nil
	}
	return nil, fmt.Errorf("no RSA key %q in /jwk.json: %s", kid, truncate(s.last.body))
}
