package login

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"regexp"
)

// verifierForm is RFC 7636 §4.1: 43 to 128 unreserved characters.
var verifierForm = regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`)

// Challenge is the S256 code challenge of a verifier: base64url without padding of its SHA-256.
func Challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// VerifyS256 reports whether verifier is well formed and hashes to challenge.
func VerifyS256(challenge, verifier string) bool {
	if !verifierForm.MatchString(verifier) {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(Challenge(verifier)), []byte(challenge)) == 1
}
