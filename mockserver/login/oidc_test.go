package login

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"strings"
	"testing"
)

// TestSignVerifiesWithThePublishedKey checks a signed JWT the way a client does: with the key
// of the JWKS its header names, and that a changed payload no longer verifies.
func TestSignVerifiesWithThePublishedKey(t *testing.T) {
	var k Keys
	jwt, err := k.Sign(map[string]any{"sub": "someone"})
	if err != nil {
		t.Fatal(err)
	}
	set, err := k.JWKS()
	if err != nil {
		t.Fatal(err)
	}
	jwk := set["keys"].([]map[string]any)[0]
	parts := strings.Split(jwt, ".")
	var header map[string]string
	raw, _ := base64.RawURLEncoding.DecodeString(parts[0])
	if err := json.Unmarshal(raw, &header); err != nil {
		t.Fatal(err)
	}
	if header["kid"] != jwk["kid"] || header["alg"] != SigningAlg || jwk["alg"] != SigningAlg {
		t.Fatalf("header %v does not name the published key %v", header, jwk)
	}
	n, _ := base64.RawURLEncoding.DecodeString(jwk["n"].(string))
	e, _ := base64.RawURLEncoding.DecodeString(jwk["e"].(string))
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	if pub.N.BitLen() != 2048 {
		t.Errorf("a %d-bit key, want 2048", pub.N.BitLen())
	}
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	verify := func(payload string) error {
		sum := sha512.Sum512([]byte(parts[0] + "." + payload))
		return rsa.VerifyPKCS1v15(pub, crypto.SHA512, sum[:], sig)
	}
	if err := verify(parts[1]); err != nil {
		t.Fatalf("the signature does not verify: %v", err)
	}
	forged := base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"someone else"}`))
	if verify(forged) == nil {
		t.Fatal("a changed payload verifies")
	}
	var other Keys
	if set2, _ := other.JWKS(); set2["keys"].([]map[string]any)[0]["n"] == jwk["n"] {
		t.Fatal("two key sets share a key")
	}
}
