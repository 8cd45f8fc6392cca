package profiles

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// SharedDir returns the folder of the reference data (ror-ig/, nos/): $ROR_SHARED when set, else
// ../shared next to the repository root (the first parent of the working directory with a go.mod).
func SharedDir() (string, error) {
	if d := os.Getenv("ROR_SHARED"); d != "" {
		if _, err := os.Stat(filepath.Join(d, "ror-ig")); err != nil {
			return "", fmt.Errorf("ROR_SHARED=%s: %w", d, err)
		}
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("shared dir: %w", err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			shared := filepath.Join(filepath.Dir(dir), "shared")
			if _, err := os.Stat(filepath.Join(shared, "ror-ig")); err != nil {
				return "", fmt.Errorf("shared dir %s: %w", shared, err)
			}
			return shared, nil
		}
		if filepath.Dir(dir) == dir {
			return "", errors.New("shared dir: no go.mod above the working directory")
		}
	}
}
