// Package shareddir locates the project's read-only reference data (the ROR IG files, the NOS code
// lists, the national FINESS file): $ROR_SHARED when set, else the "shared" folder beside the
// repository root (the folder holding go.mod, found by walking up from the working directory).
// Tests and benchmarks that need it fail with a clear message when it is missing; they never skip.
//
// This package must not import any other package of the project.
package shareddir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Env names the environment variable that points at the reference data elsewhere.
const Env = "ROR_SHARED"

// Find returns the reference data folder; it must hold the sub-folder want (e.g. "ror-ig",
// "finess", "nos"), so that a half-present folder is reported too.
func Find(want string) (string, error) {
	if d := os.Getenv(Env); d != "" {
		if _, err := os.Stat(filepath.Join(d, want)); err != nil {
			return "", fmt.Errorf("%s=%s has no %s folder: point it at the shared reference data: %w", Env, d, want, err)
		}
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("shared reference data: %w", err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			shared := filepath.Join(filepath.Dir(dir), "shared")
			if _, err := os.Stat(filepath.Join(shared, want)); err != nil {
				return "", fmt.Errorf("shared reference data not found at %s (expected %s/ in it; or set %s): %w", shared, want, Env, err)
			}
			return shared, nil
		}
		if filepath.Dir(dir) == dir {
			return "", errors.New("shared reference data: no go.mod above the working directory")
		}
	}
}

// Require is Find for tests: a missing folder fails the test with the reason.
func Require(t testing.TB, want string) string {
	t.Helper()
	d, err := Find(want)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
