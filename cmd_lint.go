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
		usage:   "rehearse lint [--verbose]",
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
				// External linters run only when installed, as actionlint's CLI does.
				if p, err := exec.LookPath("shellcheck"); err == nil {
					opts.Shellcheck = p
				}
				if p, err := exec.LookPath("pyflakes"); err == nil {
					opts.Pyflakes = p
				}
				res, err := workflow.Load(opts)
				if err != nil {
					return c.fail(err)
				}
				sources := map[string][]byte{}
				for _, wf := range res.Workflows {
					sources[wf.Path] = wf.Source
				}
				for _, f := range res.Findings {
					fmt.Fprintln(c.Stdout, f.String())
					if *verbose {
						if line := sourceLine(sources[f.Path], f.Line); line != "" {
							fmt.Fprintf(c.Stdout, "  %s\n  %s^~~\n", line, strings.Repeat(" ", max(f.Column-1, 0)))
						}
					}
				}
				if len(res.Findings) > 0 {
					return ExitInvalid
				}
				return ExitSuccess
			}
		},
	}
}

func sourceLine(src []byte, n int) string {
	lines := strings.Split(string(src), "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	return strings.TrimRight(lines[n-1], "\r")
}
