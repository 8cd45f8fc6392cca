package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"slices"
	"strings"
	"testing"
)

func TestFlags(t *testing.T) {
	var out, errw bytes.Buffer
	if err := run(context.Background(), []string{"--help"}, &out, &errw); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("--help: %v", err)
	}
	for _, f := range []string{"-quick", "-out", "-finess", "-concurrency", "-duration", "-cpuprofile", "-latency"} {
		if !strings.Contains(errw.String(), f) {
			t.Errorf("usage lacks %s:\n%s", f, errw.String())
		}
	}
	if err := run(context.Background(), []string{"--finess", "/nonexistent/finess.csv", "--nos", "/nonexistent"}, &out, &errw); err == nil {
		t.Fatal("a missing NOS folder must fail before anything runs")
	}
}

func TestParseLatency(t *testing.T) {
	for in, want := range map[string][]int{"1,2": {1, 2}, "1": {1}, " 1, 4": {1, 4}, "none": {}} {
		got, err := parseLatency(in)
		if err != nil || !slices.Equal(got, want) || got == nil {
			t.Errorf("parseLatency(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"0", "a", "1,,2", "-1"} {
		if _, err := parseLatency(in); err == nil {
			t.Errorf("parseLatency(%q) accepted", in)
		}
	}
}
