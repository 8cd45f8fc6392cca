package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rorfhir/ror/internal/auth"
)

// runToken mints a token: `ror token --scope "system/*.rs system/Location.cud" --secret ...`.
func runToken(_ context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ror token", flag.ContinueOnError)
	fs.SetOutput(stderr)
	scope := fs.String("scope", "system/*.rs", "space-separated SMART system scopes, e.g. \"system/*.rs system/Location.cud\"")
	subject := fs.String("subject", "local-client", "token subject (sub)")
	ttl := fs.Duration("ttl", time.Hour, "validity of the token")
	secret := fs.String("secret", env("ROR_JWT_SECRET"), "HS256 secret, as given to the server (env ROR_JWT_SECRET)")
	keyFile := fs.String("key-file", "", "RSA or EC (P-256) private key in PEM, to sign with RS256 or ES256")
	issuer := fs.String("issuer", env("ROR_JWT_ISSUER"), "issuer claim (env ROR_JWT_ISSUER)")
	audience := fs.String("audience", env("ROR_JWT_AUDIENCE"), "audience claim (env ROR_JWT_AUDIENCE)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: ror token [flags]\n\nPrints a signed JWT bearer token for local use.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	o := auth.MintOptions{
		Subject: *subject, Scopes: strings.Fields(*scope), TTL: *ttl,
		Issuer: *issuer, Audience: *audience, KeyFile: *keyFile,
	}
	if *keyFile == "" {
		o.Secret = []byte(*secret)
	}
	tok, err := auth.Mint(o, time.Now())
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, tok)
	return err
}
