package auth

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// MintOptions describes a token to sign for local use (`ror token`). Exactly one of Secret (HS256)
// and KeyFile (an RSA or EC private key in PEM: RS256 or ES256) must be set.
type MintOptions struct {
	Subject  string
	Scopes   []string
	TTL      time.Duration
	Issuer   string
	Audience string
	Secret   []byte
	KeyFile  string
}

// Mint signs a token with the given scopes, valid from now for TTL.
func Mint(opts MintOptions, now time.Time) (string, error) {
	if opts.TTL <= 0 {
		return "", errors.New("auth: the token TTL must be positive")
	}
	c := claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   opts.Subject,
			Issuer:    opts.Issuer,
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(opts.TTL)),
		},
		Scope: strings.Join(opts.Scopes, " "),
	}
	if opts.Audience != "" {
		c.Audience = jwt.ClaimStrings{opts.Audience}
	}
	switch {
	case len(opts.Secret) > 0 && opts.KeyFile != "":
		return "", errors.New("auth: give either a secret or a key file, not both")
	case len(opts.Secret) > 0:
		return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(opts.Secret)
	case opts.KeyFile != "":
		raw, err := os.ReadFile(opts.KeyFile)
		if err != nil {
			return "", fmt.Errorf("auth: read private key: %w", err)
		}
		key, method, err := privateKey(raw)
		if err != nil {
			return "", fmt.Errorf("auth: %s: %w", opts.KeyFile, err)
		}
		return jwt.NewWithClaims(method, c).SignedString(key)
	}
	return "", errors.New("auth: minting needs a secret or a private key file")
}

func privateKey(raw []byte) (any, jwt.SigningMethod, error) {
	if k, err := jwt.ParseRSAPrivateKeyFromPEM(raw); err == nil {
		return (*rsa.PrivateKey)(k), jwt.SigningMethodRS256, nil
	}
	if k, err := jwt.ParseECPrivateKeyFromPEM(raw); err == nil {
		if k.Curve.Params().BitSize != 256 {
			return nil, nil, errors.New("only P-256 EC keys are supported (ES256)")
		}
		return (*ecdsa.PrivateKey)(k), jwt.SigningMethodES256, nil
	}
	return nil, nil, errors.New("not an RSA or EC private key in PEM")
}
