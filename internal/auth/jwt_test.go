package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rorfhir/ror/fhir/fherr"
)

const testSecret = "0123456789abcdef0123456789abcdef"

func header(tok string) http.Header {
	h := http.Header{}
	if tok != "" {
		h.Set("Authorization", "Bearer "+tok)
	}
	return h
}

func mustMint(t *testing.T, o MintOptions) string {
	t.Helper()
	if o.TTL == 0 {
		o.TTL = time.Hour
	}
	tok, err := Mint(o, time.Now())
	if err != nil {
		t.Fatalf("Mint: %v", err)
	}
	return tok
}

func kindOf(err error) (fherr.Kind, bool) {
	e, ok := fherr.As(err)
	if !ok {
		return 0, false
	}
	return e.Kind, true
}

func TestJWTHS256Decisions(t *testing.T) {
	v, err := NewJWT(JWTOptions{Secret: []byte(testSecret), Issuer: "ror-test"})
	if err != nil {
		t.Fatal(err)
	}
	read := Request{Interaction: Read, Type: "Organization", ID: "1"}
	good := mustMint(t, MintOptions{Subject: "svc", Scopes: []string{"system/*.rs"}, Secret: []byte(testSecret), Issuer: "ror-test"})
	expired, err := Mint(MintOptions{Scopes: []string{"system/*.rs"}, Secret: []byte(testSecret), Issuer: "ror-test", TTL: time.Minute}, time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	otherKey := mustMint(t, MintOptions{Scopes: []string{"system/*.rs"}, Secret: []byte(strings.Repeat("x", 32)), Issuer: "ror-test"})
	wrongIss := mustMint(t, MintOptions{Scopes: []string{"system/*.rs"}, Secret: []byte(testSecret), Issuer: "other"})

	tests := []struct {
		name     string
		header   http.Header
		req      Request
		wantKind fherr.Kind
		wantErr  bool
		wantMsg  string
	}{
		{"valid token with scope", header(good), read, 0, false, ""},
		{"missing header", header(""), read, fherr.KindUnauthorized, true, "missing Authorization"},
		{"not bearer", http.Header{"Authorization": {"Basic abc"}}, read, fherr.KindUnauthorized, true, "Bearer"},
		{"garbage token", header("abc.def.ghi"), read, fherr.KindUnauthorized, true, "malformed"},
		{"expired", header(expired), read, fherr.KindUnauthorized, true, "expired"},
		{"signed with another secret", header(otherKey), read, fherr.KindUnauthorized, true, "bad signature"},
		{"wrong issuer", header(wrongIss), read, fherr.KindUnauthorized, true, "wrong issuer"},
		{"valid token lacking scope", header(good), Request{Interaction: Create, Type: "Organization"}, fherr.KindForbidden, true, "do not allow create"},
		{"capabilities without token", header(""), Request{Interaction: Capabilities}, 0, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.Header = tt.header
			p, err := v.Authorize(context.Background(), tt.req)
			if !tt.wantErr {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				if tt.req.Interaction != Capabilities && p.Subject != "svc" {
					t.Errorf("subject = %q, want svc", p.Subject)
				}
				return
			}
			k, ok := kindOf(err)
			if !ok || k != tt.wantKind {
				t.Fatalf("error %v: kind %v, want %v", err, k, tt.wantKind)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not mention %q", err, tt.wantMsg)
			}
		})
	}
}

func writePEM(t *testing.T, dir, name, typ string, der []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestJWTPublicKeys(t *testing.T) {
	dir := t.TempDir()
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ek, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	rPriv := writePEM(t, dir, "rsa.key", "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rk))
	rPubDER, _ := x509.MarshalPKIXPublicKey(&rk.PublicKey)
	rPub := writePEM(t, dir, "rsa.pub", "PUBLIC KEY", rPubDER)
	eDER, _ := x509.MarshalECPrivateKey(ek)
	ePriv := writePEM(t, dir, "ec.key", "EC PRIVATE KEY", eDER)
	ePubDER, _ := x509.MarshalPKIXPublicKey(&ek.PublicKey)
	ePub := writePEM(t, dir, "ec.pub", "PUBLIC KEY", ePubDER)

	// A JWKS holding both public keys.
	b64 := base64.RawURLEncoding.EncodeToString
	pad := func(b *big.Int) string { out := make([]byte, 32); b.FillBytes(out); return b64(out) }
	jwks, _ := json.Marshal(map[string]any{"keys": []map[string]string{
		{"kty": "RSA", "kid": "r1", "alg": "RS256", "use": "sig", "n": b64(rk.N.Bytes()), "e": b64(big.NewInt(int64(rk.E)).Bytes())},
		{"kty": "EC", "kid": "e1", "alg": "ES256", "use": "sig", "crv": "P-256", "x": pad(ek.X), "y": pad(ek.Y)},
	}})
	jwksPath := filepath.Join(dir, "jwks.json")
	if err := os.WriteFile(jwksPath, jwks, 0o600); err != nil {
		t.Fatal(err)
	}

	req := Request{Interaction: Search, Type: "Location"}
	tests := []struct {
		name    string
		verify  string
		sign    string
		wantErr bool
	}{
		{"RS256 with PEM public key", rPub, rPriv, false},
		{"ES256 with PEM public key", ePub, ePriv, false},
		{"RS256 token against EC key", ePub, rPriv, true},
		{"ES256 token against RSA key", rPub, ePriv, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := NewJWT(JWTOptions{KeyFile: tt.verify})
			if err != nil {
				t.Fatal(err)
			}
			tok := mustMint(t, MintOptions{Subject: "svc", Scopes: []string{"system/*.read"}, KeyFile: tt.sign})
			req.Header = header(tok)
			_, err = v.Authorize(context.Background(), req)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil {
				if k, _ := kindOf(err); k != fherr.KindUnauthorized {
					t.Errorf("kind %v, want unauthorized", k)
				}
			}
		})
	}

	t.Run("JWKS verifies tokens carrying a kid", func(t *testing.T) {
		v, err := NewJWT(JWTOptions{KeyFile: jwksPath})
		if err != nil {
			t.Fatal(err)
		}
		// keyfunc selects by kid: sign a token whose header names r1.
		tok := mustMint(t, MintOptions{Subject: "svc", Scopes: []string{"system/*.read"}, KeyFile: rPriv})
		tok = withKid(t, tok, "r1", rk)
		req.Header = header(tok)
		if _, err := v.Authorize(context.Background(), req); err != nil {
			t.Fatalf("JWKS RS256: %v", err)
		}
	})
}

func TestNewJWTConfigErrors(t *testing.T) {
	for name, o := range map[string]JWTOptions{
		"nothing":      {},
		"both":         {Secret: []byte(testSecret), KeyFile: "x"},
		"short secret": {Secret: []byte("short")},
		"missing file": {KeyFile: filepath.Join(t.TempDir(), "none.pem")},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := NewJWT(o); err == nil {
				t.Fatal("expected an error")
			}
		})
	}
}

func TestOffAllowsEverything(t *testing.T) {
	if _, err := (Off{}).Authorize(context.Background(), Request{Interaction: Delete, Type: "Organization", ID: "1"}); err != nil {
		t.Fatal(err)
	}
}
