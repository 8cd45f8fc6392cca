// Package config holds the one Config struct of the ror server, read from command-line flags and
// ROR_* environment variables (a flag given on the command line wins over the environment, which
// wins over the documented default), and validated before anything is opened.
//
// This package must not import any other package of the project.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is the server's configuration.
type Config struct {
	Listen          string
	DataDir         string
	MongoURI        string
	MongoDatabase   string
	BaseURL         string
	Auth            string
	JWTSecret       string
	JWTKeyFile      string
	JWTIssuer       string
	JWTAudience     string
	LogLevel        string
	LogFormat       string
	MaxBodyBytes    int64
	DefaultCount    int
	MaxCount        int
	ShutdownTimeout time.Duration
	// RequireProfiles validates the five ROR resource types against their ROR profile even when
	// meta.profile does not declare it (production configurations set it).
	RequireProfiles bool
	// StrictTerminology makes a binding to a value set that is not loaded an error instead of an
	// information issue ("not checked").
	StrictTerminology bool
	// MaxBundleEntries bounds the entries of a batch or transaction Bundle.
	MaxBundleEntries int
}

// option is one setting: its flag, its environment variable, its default and where it goes.
type option struct {
	flag, env, def, usage string
	set                   func(c *Config, v string) error
}

func str(p func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error { *p(c) = v; return nil }
}

func integer(p func(*Config) *int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("expected a whole number, got %q", v)
		}
		*p(c) = n
		return nil
	}
}

// options lists every server setting. The README's configuration table mirrors it.
func options() []option {
	return []option{
		{"listen", "ROR_LISTEN", "127.0.0.1:8080", "address to listen on (host:port)", str(func(c *Config) *string { return &c.Listen })},
		{"data-dir", "ROR_DATA_DIR", "./data", "directory of the embedded store (used when no MongoDB URI is given)", str(func(c *Config) *string { return &c.DataDir })},
		{"mongodb-uri", "ROR_MONGODB_URI", "", "MongoDB connection string; when set, the server stores in MongoDB instead of the embedded store", str(func(c *Config) *string { return &c.MongoURI })},
		{"mongodb-database", "ROR_MONGODB_DATABASE", "ror", "MongoDB database name", str(func(c *Config) *string { return &c.MongoDatabase })},
		{"base-url", "ROR_BASE_URL", "", "public base URL of the server (e.g. https://ror.example.fr); links use it. Default: taken from each request's Host", str(func(c *Config) *string { return &c.BaseURL })},
		{"auth", "ROR_AUTH", "off", "authentication: off (everyone may do everything; local use only) or jwt (bearer tokens required)", str(func(c *Config) *string { return &c.Auth })},
		{"jwt-secret", "ROR_JWT_SECRET", "", "HS256 secret (at least 32 bytes) for --auth jwt", str(func(c *Config) *string { return &c.JWTSecret })},
		{"jwt-key-file", "ROR_JWT_KEY_FILE", "", "PEM public key or JWKS file (RS256/ES256) for --auth jwt", str(func(c *Config) *string { return &c.JWTKeyFile })},
		{"jwt-issuer", "ROR_JWT_ISSUER", "", "required token issuer (iss), if set", str(func(c *Config) *string { return &c.JWTIssuer })},
		{"jwt-audience", "ROR_JWT_AUDIENCE", "", "required token audience (aud), if set", str(func(c *Config) *string { return &c.JWTAudience })},
		{"log-level", "ROR_LOG_LEVEL", "info", "log level: debug, info, warn, error", str(func(c *Config) *string { return &c.LogLevel })},
		{"log-format", "ROR_LOG_FORMAT", "json", "log format: json or console", str(func(c *Config) *string { return &c.LogFormat })},
		{"max-body-bytes", "ROR_MAX_BODY_BYTES", "10485760", "largest accepted request body, in bytes", func(c *Config, v string) error {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return fmt.Errorf("expected a number of bytes, got %q", v)
			}
			c.MaxBodyBytes = n
			return nil
		}},
		{"default-count", "ROR_DEFAULT_COUNT", "200", "search page size when _count is not given", integer(func(c *Config) *int { return &c.DefaultCount })},
		{"max-count", "ROR_MAX_COUNT", "1000", "largest _count accepted (larger values are lowered to it)", integer(func(c *Config) *int { return &c.MaxCount })},
		{"max-bundle-entries", "ROR_MAX_BUNDLE_ENTRIES", "1000", "largest number of entries in a batch or transaction Bundle (POST [base]); a larger Bundle is refused with 413", integer(func(c *Config) *int { return &c.MaxBundleEntries })},
		{"shutdown-timeout", "ROR_SHUTDOWN_TIMEOUT", "30s", "how long in-flight requests may take to finish on SIGTERM", func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil {
				return fmt.Errorf("expected a duration such as 30s, got %q", v)
			}
			c.ShutdownTimeout = d
			return nil
		}},
		{"require-profiles", "ROR_REQUIRE_PROFILES", "false", "validate Organization, Location, HealthcareService, Practitioner and PractitionerRole against their ROR profile even when meta.profile does not declare it (on in production)", boolean(func(c *Config) *bool { return &c.RequireProfiles })},
		{"strict-terminology", "ROR_STRICT_TERMINOLOGY", "false", "a required binding to a value set that is not loaded is an error instead of an information issue", boolean(func(c *Config) *bool { return &c.StrictTerminology })},
	}
}

func boolean(p func(*Config) *bool) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("expected true or false, got %q", v)
		}
		*p(c) = b
		return nil
	}
}

// Load reads the configuration of `ror serve` from args (without the command name) and the
// environment given by getenv (os.Getenv in production). It returns flag.ErrHelp for -h/--help
// after writing the usage to out.
func Load(args []string, getenv func(string) string, out io.Writer) (Config, error) {
	var c Config
	fs := flag.NewFlagSet("ror serve", flag.ContinueOnError)
	fs.SetOutput(out)
	opts := options()
	values := make(map[string]*string, len(opts))
	for _, o := range opts {
		v := o.def
		if e := getenv(o.env); e != "" {
			v = e
		}
		values[o.flag] = fs.String(o.flag, v, fmt.Sprintf("%s (env %s)", o.usage, o.env))
	}
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: ror serve [flags]\n\nRuns the FHIR server. Every flag can also be set by its environment variable.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	for _, o := range opts {
		if err := o.set(&c, *values[o.flag]); err != nil {
			return c, fmt.Errorf("--%s: %w", o.flag, err)
		}
	}
	return c, c.Validate()
}

// Defaults returns the configuration with every default applied (for tests and tools).
func Defaults() Config {
	var c Config
	for _, o := range options() {
		if err := o.set(&c, o.def); err != nil {
			panic("config: bad default for " + o.flag + ": " + err.Error())
		}
	}
	return c
}

// Validate checks the configuration as a whole.
func (c Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		errs = append(errs, fmt.Errorf("--listen: expected host:port, got %q", c.Listen))
	}
	if c.MongoURI == "" && c.DataDir == "" {
		errs = append(errs, errors.New("--data-dir: required when no --mongodb-uri is given"))
	}
	if c.MongoURI != "" {
		if !strings.HasPrefix(c.MongoURI, "mongodb://") && !strings.HasPrefix(c.MongoURI, "mongodb+srv://") {
			errs = append(errs, errors.New("--mongodb-uri: expected a mongodb:// or mongodb+srv:// URI"))
		}
		if c.MongoDatabase == "" {
			errs = append(errs, errors.New("--mongodb-database: required with --mongodb-uri"))
		}
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("--base-url: expected an absolute http(s) URL, got %q", c.BaseURL))
		}
	}
	switch c.Auth {
	case "off":
	case "jwt":
		if (c.JWTSecret == "") == (c.JWTKeyFile == "") {
			errs = append(errs, errors.New("--auth jwt: give exactly one of --jwt-secret and --jwt-key-file"))
		}
		if c.JWTSecret != "" && len(c.JWTSecret) < 32 {
			errs = append(errs, errors.New("--jwt-secret: must be at least 32 bytes"))
		}
	default:
		errs = append(errs, fmt.Errorf("--auth: expected off or jwt, got %q", c.Auth))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("--log-level: expected debug, info, warn or error, got %q", c.LogLevel))
	}
	if c.LogFormat != "json" && c.LogFormat != "console" {
		errs = append(errs, fmt.Errorf("--log-format: expected json or console, got %q", c.LogFormat))
	}
	if c.MaxBodyBytes < 1024 {
		errs = append(errs, errors.New("--max-body-bytes: must be at least 1024"))
	}
	if c.MaxCount < 1 {
		errs = append(errs, errors.New("--max-count: must be at least 1"))
	}
	if c.DefaultCount < 1 || c.DefaultCount > c.MaxCount {
		errs = append(errs, fmt.Errorf("--default-count: must be between 1 and --max-count (%d)", c.MaxCount))
	}
	if c.MaxBundleEntries < 1 {
		errs = append(errs, errors.New("--max-bundle-entries: must be at least 1"))
	}
	if c.ShutdownTimeout <= 0 {
		errs = append(errs, errors.New("--shutdown-timeout: must be positive"))
	}
	return errors.Join(errs...)
}

// Table returns the settings as Markdown table rows (flag, environment, default, meaning), for
// the README.
func Table() string {
	var b strings.Builder
	b.WriteString("| flag | environment | default | meaning |\n|---|---|---|---|\n")
	for _, o := range options() {
		def := o.def
		if def == "" {
			def = "(none)"
		}
		fmt.Fprintf(&b, "| `--%s` | `%s` | `%s` | %s |\n", o.flag, o.env, def, o.usage)
	}
	return b.String()
}
