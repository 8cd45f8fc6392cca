package conformance

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Node runs the scripts of the node/ folder (validate.mjs, client.mjs) with the machine's Node.js,
// after installing their pinned dependencies with `npm ci` when needed.
type Node struct {
	Dir  string // the folder holding package.json, package-lock.json and the scripts
	node string
	npm  string
}

// installStamp, inside node_modules, holds the SHA-256 of the package-lock.json installed last.
const installStamp = ".ror-package-lock.sha256"

// FindNode locates node and npm on PATH for the scripts in dir.
func FindNode(dir string) (*Node, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, errors.New("node not found on PATH: the conformance suite needs Node.js (v20 or later) and npm to run the public FHIR validators; install them (e.g. apt-get install nodejs npm) and run go test ./conformance/... again")
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return nil, errors.New("npm not found on PATH: the conformance suite installs its pinned validators with `npm ci`; install npm and run go test ./conformance/... again")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	return &Node{Dir: abs, node: node, npm: npm}, nil
}

// Install runs `npm ci` in Dir unless node_modules already holds exactly what package-lock.json
// pins (checked with a stamp written after the last successful install).
func (n *Node) Install(ctx context.Context) error {
	lock, err := os.ReadFile(filepath.Join(n.Dir, "package-lock.json"))
	if err != nil {
		return fmt.Errorf("read the pinned versions: %w", err)
	}
	sum := sha256.Sum256(lock)
	want := hex.EncodeToString(sum[:])
	stamp := filepath.Join(n.Dir, "node_modules", installStamp)
	if got, err := os.ReadFile(stamp); err == nil && strings.TrimSpace(string(got)) == want {
		return nil
	}
	cmd := exec.CommandContext(ctx, n.npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = n.Dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("npm ci in %s failed (the npm registry must be reachable for the first run): %w\n%s", n.Dir, err, out.String())
	}
	return os.WriteFile(stamp, []byte(want+"\n"), 0o644)
}

// run executes a script of Dir with args and returns its standard output; standard error is
// returned in the error when the script fails, and kept in stderr otherwise.
func (n *Node) run(ctx context.Context, script string, args ...string) (stdout, stderr []byte, err error) {
	cmd := exec.CommandContext(ctx, n.node, append([]string{filepath.Join(n.Dir, script)}, args...)...)
	cmd.Dir = n.Dir
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.Bytes(), e.Bytes(), err
}

// Finding is one error or warning of a validator.
type Finding struct {
	File      string `json:"file"`
	Validator string `json:"validator"`
	Path      string `json:"path"`
	Message   string `json:"message"`
}

func (f Finding) String() string {
	return fmt.Sprintf("%s: [%s] %s: %s", f.File, f.Validator, f.Path, f.Message)
}

// ValidatorInfo names one validator and counts what it found.
type ValidatorInfo struct {
	Package      string `json:"package"`
	Version      string `json:"version"`
	Errors       int    `json:"errors"`
	Warnings     int    `json:"warnings"`
	PatchedEnums int    `json:"patchedEnums,omitempty"`
}

// Report is the output of validate.mjs.
type Report struct {
	Validators map[string]ValidatorInfo `json:"validators"`
	Files      int                      `json:"files"`
	Resources  int                      `json:"resources"`
	ByType     map[string]int           `json:"byType"`
	Errors     []Finding                `json:"errors"`
	Warnings   []Finding                `json:"warnings"`
	Suppressed map[string]int           `json:"suppressed"`
	Summary    string                   `json:"-"` // the script's readable summary (stderr)
}

// Validate checks every *.json under dir with validate.mjs.
func (n *Node) Validate(ctx context.Context, dir string) (*Report, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	out, errOut, err := n.run(ctx, "validate.mjs", dir)
	if err != nil {
		return nil, fmt.Errorf("validate.mjs failed: %w\n%s", err, errOut)
	}
	var r Report
	if err := json.Unmarshal(out, &r); err != nil {
		return nil, fmt.Errorf("validate.mjs printed no report: %w\n%s", err, errOut)
	}
	r.Summary = string(errOut)
	return &r, nil
}

// RunClient runs client.mjs against the FHIR base URL with the fixtures file; it returns the
// script's step lines, and an error when a step failed.
func (n *Node) RunClient(ctx context.Context, baseURL, fixtures string) (string, error) {
	fixtures, err := filepath.Abs(fixtures)
	if err != nil {
		return "", err
	}
	out, errOut, err := n.run(ctx, "client.mjs", baseURL, fixtures)
	if err != nil {
		return string(out), fmt.Errorf("client.mjs failed: %w\n%s%s", err, out, errOut)
	}
	return string(out), nil
}
