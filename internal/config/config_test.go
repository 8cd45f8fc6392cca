package config

import (
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadPrecedence(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want func(c Config) bool
	}{
		{"defaults", nil, nil, func(c Config) bool {
			return c.Listen == "127.0.0.1:8080" && c.DataDir == "./data" && c.Auth == "off" && c.DefaultCount == 200 &&
				c.MaxBodyBytes == 10<<20 && c.ShutdownTimeout == 30*time.Second && c.MongoDatabase == "ror"
		}},
		{"environment over default", nil, map[string]string{"ROR_LISTEN": "127.0.0.1:9999", "ROR_DATA_DIR": "/tmp/x"}, func(c Config) bool {
			return c.Listen == "127.0.0.1:9999" && c.DataDir == "/tmp/x"
		}},
		{"flag over environment", []string{"--listen", "127.0.0.1:7000"}, map[string]string{"ROR_LISTEN": "127.0.0.1:9999"}, func(c Config) bool {
			return c.Listen == "127.0.0.1:7000"
		}},
		{"mongodb", []string{"--mongodb-uri", "mongodb://localhost:27017", "--mongodb-database", "rortest"}, nil, func(c Config) bool {
			return c.MongoURI == "mongodb://localhost:27017" && c.MongoDatabase == "rortest"
		}},
		{"jwt with secret", []string{"--auth", "jwt"}, map[string]string{"ROR_JWT_SECRET": strings.Repeat("s", 32)}, func(c Config) bool {
			return c.Auth == "jwt" && len(c.JWTSecret) == 32
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(tt.args, env(tt.env), io.Discard)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if !tt.want(c) {
				t.Errorf("unexpected config %+v", c)
			}
		})
	}
}

func TestLoadRejects(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantMsg string
	}{
		{"bad listen", []string{"--listen", "nope"}, "--listen: expected host:port"},
		{"bad auth", []string{"--auth", "basic"}, "--auth: expected off or jwt"},
		{"jwt without key", []string{"--auth", "jwt"}, "exactly one of --jwt-secret and --jwt-key-file"},
		{"short secret", []string{"--auth", "jwt", "--jwt-secret", "abc"}, "at least 32 bytes"},
		{"bad mongo uri", []string{"--mongodb-uri", "http://x"}, "mongodb:// or mongodb+srv://"},
		{"bad base url", []string{"--base-url", "example.org"}, "absolute http(s) URL"},
		{"bad count", []string{"--default-count", "5000"}, "--default-count: must be between 1 and --max-count"},
		{"count not a number", []string{"--max-count", "many"}, "--max-count: expected a whole number"},
		{"no bundle entries", []string{"--max-bundle-entries", "0"}, "--max-bundle-entries: must be at least 1"},
		{"bad duration", []string{"--shutdown-timeout", "soon"}, "--shutdown-timeout: expected a duration"},
		{"bad level", []string{"--log-level", "loud"}, "--log-level"},
		{"stray argument", []string{"extra"}, `unexpected argument "extra"`},
		{"no data dir", []string{"--data-dir", ""}, "--data-dir: required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.args, env(nil), io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.wantMsg)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	var b strings.Builder
	_, err := Load([]string{"--help"}, env(nil), &b)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err = %v, want flag.ErrHelp", err)
	}
	for _, want := range []string{"-listen", "ROR_LISTEN", "127.0.0.1:8080", "-mongodb-uri", "ROR_DATA_DIR"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("usage lacks %q:\n%s", want, b.String())
		}
	}
}

func TestDefaultsValid(t *testing.T) {
	if err := Defaults().Validate(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(Table(), "`ROR_MONGODB_URI`") {
		t.Error("table lacks ROR_MONGODB_URI")
	}
}

// The README's configuration table must stay the one the server really has.
func TestReadmeTableIsCurrent(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatalf("read README.md: %v", err)
	}
	if !strings.Contains(string(readme), Table()) {
		t.Errorf("README.md's configuration table differs from config.Table(); replace it with:\n%s", Table())
	}
}
