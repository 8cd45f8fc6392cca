package conformance

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// SharedDir locates the read-only reference data folder (the ROR IG files, the NOS code lists):
// $ROR_SHARED when set, else the first "shared" folder found beside the repository root, walking up
// from the working directory.
func SharedDir() (string, error) {
	if d := os.Getenv("ROR_SHARED"); d != "" {
		if !isDir(filepath.Join(d, "ror-ig")) {
			return "", fmt.Errorf("ROR_SHARED=%s has no ror-ig folder: point it at the shared reference data", d)
		}
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		cand := filepath.Join(dir, "..", "shared")
		if isDir(filepath.Join(cand, "ror-ig")) && isFile(filepath.Join(dir, "go.mod")) {
			return filepath.Clean(cand), nil
		}
		if filepath.Dir(dir) == dir {
			break
		}
	}
	return "", errors.New("shared reference data not found: expected ../shared (with ror-ig/ and nos/) beside the repository root, or set ROR_SHARED")
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}
