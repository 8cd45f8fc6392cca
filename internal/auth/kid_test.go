package auth

import (
	"crypto/rsa"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

// withKid re-signs tok (RS256) with a "kid" header, as JWKS-based issuers do.
func withKid(t *testing.T, tok, kid string, key *rsa.PrivateKey) string {
	t.Helper()
	var c claims
	if _, _, err := jwt.NewParser().ParseUnverified(tok, &c); err != nil {
		t.Fatal(err)
	}
	j := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
	j.Header["kid"] = kid
	s, err := j.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
