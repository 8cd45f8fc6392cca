package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/rorfhir/ror/internal/app"
	"github.com/rorfhir/ror/internal/bulkload"
	"github.com/rorfhir/ror/internal/progress"
)

// runLoad runs `ror load [flags] FILE...`.
func runLoad(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ror load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgOf := storeFlags(fs, env)
	batch := fs.Int("batch", 500, "resources per write batch")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: ror load [flags] FILE...\n\nLoads FHIR resources from NDJSON files (.ndjson, .jsonl, also .gz), .tar.gz archives of them, and\nJSON files holding a Bundle or one resource, through the same checks as the API. Resources with an\nid are written only when they changed.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("at least one FILE is expected")
	}
	paths := fs.Args()
	size, err := bulkload.TotalSize(paths...)
	if err != nil {
		return err
	}
	st, svc, err := openWriter(ctx, cfgOf())
	if err != nil {
		return err
	}
	defer closeStore(st, stderr)

	bar := progress.New(stderr, progress.Options{Label: "load", Total: size, Unit: "resources", TTY: isTTY(stderr)})
	ld := bulkload.New(app.BulkWriter{Service: svc}, bulkload.Options{
		BatchSize: *batch,
		Progress:  bar.Update,
		Report:    func(p bulkload.Problem) { fmt.Fprintf(stderr, "\r%s\n", p) },
	})
	start := time.Now()
	sum, err := ld.LoadFiles(ctx, paths...)
	bar.Finish()
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	fmt.Fprintf(stdout, "loaded %d files, %d resources in %s: created %d, updated %d, unchanged %d, rejected %d\n",
		sum.Files, sum.Resources, time.Since(start).Round(time.Millisecond), sum.Created, sum.Updated, sum.Unchanged, sum.Rejected)
	return nil
}
