// Command ror is the ROR FHIR server: `ror serve` runs it, the other commands load data into its
// store and help operate it. Run `ror help` for the list.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// command is one subcommand of ror.
type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "run the FHIR server", runServe},
		{"import", "import the FINESS establishments file: ror import finess FILE", runImport},
		{"load", "load FHIR NDJSON files, archives and Bundles", runLoad},
		{"token", "mint a JWT bearer token for local use", runToken},
		{"reindex", "re-extract the search values of every stored resource", runReindex},
	}
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "Usage: ror <command> [flags]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'ror <command> --help' for a command's flags.\n")
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command and returns the process exit code.
func run(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], env, stdout, stderr)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		default:
			fmt.Fprintf(stderr, "ror %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "ror: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}
