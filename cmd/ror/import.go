package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/rorfhir/ror/internal/app"
	"github.com/rorfhir/ror/internal/finess"
	"github.com/rorfhir/ror/internal/progress"
)

// runImport runs `ror import finess [flags] FILE`.
func runImport(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "finess" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(stdout, "Usage: ror import finess [--data-dir DIR | --mongodb-uri URI] FILE")
			return flag.ErrHelp
		}
		return errors.New("usage: ror import finess [--data-dir DIR | --mongodb-uri URI] FILE (the only source is finess)")
	}
	fs := flag.NewFlagSet("ror import finess", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgOf := storeFlags(fs, env)
	batch := fs.Int("batch", finess.DefaultBatchSize, "resources per write batch")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: ror import finess [flags] FILE\n\nImports the FINESS establishments extraction (etalab-cs1100507-stock-*.csv, UTF-8 or Latin-1):\none Organization per legal entity and per site, one Location per geolocated site. Re-importing\nwrites only what changed; establishments missing from a newer file are closed, never deleted.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("exactly one FILE is expected")
	}
	path := fs.Arg(0)
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("stat %s: %w", path, err)
	}
	st, svc, err := openWriter(ctx, cfgOf())
	if err != nil {
		return err
	}
	defer closeStore(st, stderr)

	bar := progress.New(stderr, progress.Options{Label: "import finess", Total: info.Size(), Unit: "resources", TTY: isTTY(stderr)})
	im := finess.NewImporter(app.Writer{Service: svc, Store: st}, finess.Options{
		BatchSize: *batch,
		Progress:  bar.Update,
		Report: func(p finess.Problem) {
			fmt.Fprintf(stderr, "\r%s: %s\n", path, p)
		},
	})
	start := time.Now()
	sum, err := im.Run(ctx, f)
	bar.Finish()
	if err != nil {
		return fmt.Errorf("import %s: %w", path, err)
	}
	fmt.Fprintf(stdout, "imported %s (FINESS extraction of %s%s) in %s: %d EJ, %d EG, %d Locations; created %d, updated %d, unchanged %d, closed %d, rejected %d\n",
		path, sum.Date, latin1Note(sum.Latin1), time.Since(start).Round(time.Millisecond),
		sum.EJ, sum.EG, sum.Locations, sum.Created, sum.Updated, sum.Unchanged, sum.Closed, sum.Rejected)
	return nil
}

func latin1Note(latin1 bool) string {
	if latin1 {
		return ", read as Latin-1"
	}
	return ""
}
