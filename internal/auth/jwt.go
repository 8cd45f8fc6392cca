package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"

	"github.com/rorfhir/ror/fhir/fherr"
)

// JWTOptions configures bearer-token verification. Exactly one of Secret (HS256) and KeyFile
// (RS256/ES256 public keys, as a PEM file or a JWKS JSON file) must be set.
type JWTOptions struct {
	Secret   []byte
	KeyFile  string
	Issuer   string        // when set, the token's iss must equal it
	Audience string        // when set, the token's aud must contain it
	Leeway   time.Duration // clock skew tolerated on exp/nbf/iat
}

// JWT is the Authorizer of `--auth jwt`: it verifies the bearer token and checks its SMART
// system scopes against the interaction.
type JWT struct {
	parser  *jwt.Parser
	keyfunc jwt.Keyfunc
}

var _ Authorizer = (*JWT)(nil)

// NewJWT loads the verification key and builds the verifier.
func NewJWT(opts JWTOptions) (*JWT, error) {
	var (
		kf      jwt.Keyfunc
		methods []string
	)
	switch {
	case len(opts.Secret) > 0 && opts.KeyFile != "":
		return nil, errors.New("auth: give either a JWT secret or a key file, not both")
	case len(opts.Secret) > 0:
		if len(opts.Secret) < 32 {
			return nil, errors.New("auth: the HS256 secret must be at least 32 bytes")
		}
		secret := opts.Secret
		kf = func(*jwt.Token) (any, error) { return secret, nil }
		methods = []string{"HS256"}
	case opts.KeyFile != "":
		raw, err := os.ReadFile(opts.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("auth: read key file: %w", err)
		}
		kf, err = publicKeys(raw)
		if err != nil {
			return nil, fmt.Errorf("auth: key file %s: %w", opts.KeyFile, err)
		}
		methods = []string{"RS256", "ES256"}
	default:
		return nil, errors.New("auth: jwt needs a secret or a key file")
	}
	popts := []jwt.ParserOption{jwt.WithValidMethods(methods), jwt.WithExpirationRequired(), jwt.WithLeeway(opts.Leeway)}
	if opts.Issuer != "" {
		popts = append(popts, jwt.WithIssuer(opts.Issuer))
	}
	if opts.Audience != "" {
		popts = append(popts, jwt.WithAudience(opts.Audience))
	}
	return &JWT{parser: jwt.NewParser(popts...), keyfunc: kf}, nil
}

// publicKeys reads a JWKS document or PEM public keys (or certificates).
func publicKeys(raw []byte) (jwt.Keyfunc, error) {
	if trimmed := strings.TrimSpace(string(raw)); strings.HasPrefix(trimmed, "{") {
		k, err := keyfunc.NewJWKSetJSON(raw)
		if err != nil {
			return nil, fmt.Errorf("parse JWKS: %w", err)
		}
		return k.Keyfunc, nil
	}
	if rk, err := jwt.ParseRSAPublicKeyFromPEM(raw); err == nil {
		return keyFor(rk, nil), nil
	}
	if ek, err := jwt.ParseECPublicKeyFromPEM(raw); err == nil {
		return keyFor(nil, ek), nil
	}
	return nil, errors.New("neither a JWKS document nor an RSA or EC public key in PEM")
}

func keyFor(rk *rsa.PublicKey, ek *ecdsa.PublicKey) jwt.Keyfunc {
	return func(t *jwt.Token) (any, error) {
		switch t.Method.(type) {
		case *jwt.SigningMethodRSA:
			if rk != nil {
				return rk, nil
			}
		case *jwt.SigningMethodECDSA:
			if ek != nil {
				return ek, nil
			}
		}
		return nil, fmt.Errorf("no %s key configured", t.Method.Alg())
	}
}

// claims are the JWT claims the server reads: registered ones plus the scopes, as SMART's space
// separated "scope" string or an "scp" array.
type claims struct {
	jwt.RegisteredClaims
	Scope string   `json:"scope,omitempty"`
	Scp   []string `json:"scp,omitempty"`
}

func (c *claims) scopes() []string {
	out := strings.Fields(c.Scope)
	return append(out, c.Scp...)
}

// Authorize verifies the bearer token of r and checks its scopes.
func (j *JWT) Authorize(_ context.Context, r Request) (Principal, error) {
	if r.Interaction == Capabilities {
		return Principal{}, nil
	}
	tok, err := bearer(r.Header)
	if err != nil {
		return Principal{}, err
	}
	var c claims
	if _, err := j.parser.ParseWithClaims(tok, &c, j.keyfunc); err != nil {
		return Principal{}, fherr.Wrap(err, fherr.KindUnauthorized, "login", "", "invalid bearer token: %s", reason(err))
	}
	p := Principal{Subject: c.Subject, Scopes: c.scopes()}
	if !Allowed(p.Scopes, r) {
		what := r.Type
		if what == "" {
			what = "the whole server"
		}
		return p, fherr.Forbidden("the token's scopes (%s) do not allow %s on %s", strings.Join(p.Scopes, " "), r.Interaction, what)
	}
	return p, nil
}

func bearer(h http.Header) (string, error) {
	v := h.Get("Authorization")
	if v == "" {
		return "", fherr.Unauthorized("missing Authorization header: a bearer token is required")
	}
	scheme, tok, ok := strings.Cut(v, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return "", fherr.Unauthorized("the Authorization header must be \"Bearer <token>\"")
	}
	return strings.TrimSpace(tok), nil
}

// reason turns a jwt error into a short client message.
func reason(err error) string {
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return "token expired"
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return "token not valid yet"
	case errors.Is(err, jwt.ErrTokenMalformed):
		return "malformed token"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return "bad signature"
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return "wrong issuer"
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return "wrong audience"
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return "a required claim (exp) is missing"
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		return "signing method or key not accepted"
	}
	return "verification failed"
}

// Off is the Authorizer of `--auth off`: everyone may do everything. Meant for local use only;
// the server logs a warning when it runs with it.
type Off struct{}

var _ Authorizer = Off{}

// Authorize allows everything.
func (Off) Authorize(context.Context, Request) (Principal, error) {
	return Principal{Subject: "anonymous"}, nil
}
