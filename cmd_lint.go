package main

import (
	"context"
	"fmt"
	"os/exec"
	"strings"

	"github.com/spf13/pflag"

	"github.com/rehearse-dev/rehearse/emulate/workflow"
)

func (c *Command) lintCommand() *subcommand {
	return &subcommand{
		name:    "lint",
		summary: "validate workflows with every actionlint check (shellcheck and pyflakes when installed)",
		usage: "rehearse lint [--verbose]\n\n" +
			"Prints each finding as path:line:col: LEVEL: message [rule], LEVEL being error\n" +
			"for what GitHub refuses and warning otherwise, and exits 2 only when there is an\n" +
			"error. A checker that is not installed is named on stderr.",
		setup: func(fs *pflag.FlagSet) func(context.Context, *Command, *globals, []string) int {
			verbose := fs.BoolP("verbose", "v", false, "show the offending line under each finding")
			return func(ctx context.Context, c *Command, g *globals, args []string) int {
				if len(args) > 0 {
					return c.fail(&usageError{fmt.Sprintf("lint takes no arguments, got %q (use -W PATH for one file)", args)})
				}
				if err := c.resolveRoot(ctx, g); err != nil {
					return c.fail(err)
				}
				opts := workflow.Options{Root: g.root, Path: g.workflow}
				// External linters run only when installed, as actionlint's
				// CLI does; a missing one is said once, so that a clean
				// result is not taken for a checked one.
				for _, ch := range checkers {
					p, ok := lookPath(ch.names)
					if !ok {
						fmt.Fprintf(c.Stderr, "rehearse lint: %s not found on PATH: %s are not checked (install %s)\n", ch.names[0], ch.what, ch.names[0])
						continue
					}
					*ch.path(&opts) = p
				}
				res, err := workflow.LoadContext(ctx, opts)
				if err != nil {
					return c.fail(err)
				}
				sources := map[string][]byte{}
				for _, wf := range res.Workflows {
					sources[wf.Path] = wf.Source
				}
				for _, f := range res.Findings {
					fmt.Fprintln(c.Stdout, f.Annotation())
					if *verbose {
						if line := sourceLine(sources[f.Path], f.Line); line != "" {
							fmt.Fprintf(c.Stdout, "  %s\n  %s^~~\n", line, strings.Repeat(" ", max(f.Column-1, 0)))
						}
					}
				}
				// Only what GitHub refuses fails lint: warnings (style,
				// shellcheck, unknown inputs) are shown and let it pass.
				if workflow.HasErrors(res.Findings) {
					return ExitInvalid
				}
				return ExitSuccess
			}
		},
	}
}

// checkers are the external linters lint runs when they are on PATH,
// under any of their names (Debian's pyflakes3 package installs
// pyflakes3 only).
var checkers = []struct {
	names []string
	what  string
	path  func(*workflow.Options) *string
}{
	{[]string{"shellcheck"}, "run: scripts", func(o *workflow.Options) *string { return &o.Shellcheck }},
	{[]string{"pyflakes", "pyflakes3"}, "run: steps with shell: python", func(o *workflow.Options) *string { return &o.Pyflakes }},
}

// lookPath is the first of names found on PATH.
func lookPath(names []string) (string, bool) {
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p, true
		}
	}
	return "", false
}

func sourceLine(src []byte, n int) string {
	lines := strings.Split(string(src), "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	return strings.TrimRight(lines[n-1], "\r")
}
