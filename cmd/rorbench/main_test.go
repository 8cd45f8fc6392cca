package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"strings"
	"testing"
)

func TestFlags(t *testing.T) {
	var out, errw bytes.Buffer
	if err := run(context.Background(), []string{"--help"}, &out, &errw); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("--help: %v", err)
	}
	for _, f := range []string{"-quick", "-out", "-finess", "-concurrency", "-duration", "-cpuprofile"} {
		if !strings.Contains(errw.String(), f) {
			t.Errorf("usage lacks %s:\n%s", f, errw.String())
		}
	}
	if err := run(context.Background(), []string{"--finess", "/nonexistent/finess.csv", "--nos", "/nonexistent"}, &out, &errw); err == nil {
		t.Fatal("a missing NOS folder must fail before anything runs")
	}
}
