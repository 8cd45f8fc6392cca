package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/rorfhir/ror/internal/service"
)

// runReindex re-extracts the search values of every stored resource with the server's current
// search parameters (after an upgrade that changes them), in place: no new versions.
func runReindex(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("reindex", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgOf := storeFlags(fs, env)
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, svc, err := openWriter(ctx, cfgOf())
	if err != nil {
		return err
	}
	defer closeStore(st, stderr)
	start := time.Now()
	last := start
	sum, err := svc.Reindex(ctx, func(typ string, s service.ReindexSummary) {
		if time.Since(last) >= 5*time.Second {
			last = time.Now()
			fmt.Fprintf(stderr, "reindex %s: %d resources, %.0f/s\n", typ, s.Reindexed, float64(s.Reindexed)/time.Since(start).Seconds())
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "reindexed %d resources in %s (%d changed meanwhile and skipped)\n", sum.Reindexed, time.Since(start).Round(time.Millisecond), sum.Skipped)
	return nil
}
