package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/spf13/pflag"

	"github.com/rehearse-dev/rehearse/emulate/trigger"
)

// Command is one invocation of rehearse with its streams injected, so the
// tests drive the whole program with buffers.
type Command struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Ctx is cancelled on Ctrl-C; nil means context.Background().
	Ctx context.Context
}

// globals are the flags every subcommand accepts, before or after its name.
type globals struct {
	dir      string // -C: repository root
	workflow string // -W: workflow file or directory, relative to the root
	root     string // resolved root
	// git is what resolveRoot read of the repository, when it did.
	git *trigger.Git
}

type subcommand struct {
	name, summary, usage string
	// negativeArgs: an argument that begins with - followed by a digit, a
	// dot, a space or Infinity is positional (a negative number in an
	// expression), not a flag, wherever it stands.
	negativeArgs bool
	// flags adds the subcommand's own flags; run runs it with the positional args.
	setup func(fs *pflag.FlagSet) func(ctx context.Context, c *Command, g *globals, args []string) int
}

func (c *Command) subcommands() []*subcommand {
	return []*subcommand{
		c.listCommand(),
		c.planCommand(),
		c.lintCommand(),
		c.runCommand(),
		c.exprCommand(),
		c.imageCommand(),
		c.cacheCommand(),
		c.builderCommand(),
		{name: "version", summary: "print the version", usage: "rehearse version",
			setup: func(*pflag.FlagSet) func(context.Context, *Command, *globals, []string) int {
				return func(_ context.Context, c *Command, _ *globals, _ []string) int {
					fmt.Fprintf(c.Stdout, "rehearse %s\n", Version())
					return ExitSuccess
				}
			}},
	}
}

// usageError is a mistake in the command line: exit 2 with a hint.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// Main runs rehearse with args (args[0] is the program name) and returns
// the exit status.
func (c *Command) Main(args []string) (code int) {
	// A panic is a bug in rehearse, never the user's fault: say so plainly
	// instead of printing a stack trace at them.
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(c.Stderr, "rehearse: internal error: %v\nthis is a bug in rehearse; please report it with the workflow that caused it (REHEARSE_DEBUG=1 shows the stack)\n", r)
			if os.Getenv("REHEARSE_DEBUG") == "1" {
				fmt.Fprintf(c.Stderr, "%s\n", debug.Stack())
			}
			code = ExitInvalid
		}
	}()
	ctx := c.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	subs := c.subcommands()
	name, rest := splitSubcommand(args[1:])
	switch name {
	case "", "help", "-h", "--help":
		if name == "help" && len(rest) > 0 {
			for _, s := range subs {
				if s.name == rest[0] {
					c.printSubUsage(s)
					return ExitSuccess
				}
			}
			fmt.Fprintf(c.Stderr, "rehearse: no help for unknown command %q. commands are %s\n", rest[0], commandNames(subs))
			return ExitInvalid
		}
		c.printUsage(c.Stdout, subs)
		if name == "" {
			return ExitInvalid
		}
		return ExitSuccess
	case "--version":
		name = "version"
	}
	var sub *subcommand
	for _, s := range subs {
		if s.name == name {
			sub = s
		}
	}
	if sub == nil {
		fmt.Fprintf(c.Stderr, "rehearse: unknown command %q. commands are %s; see 'rehearse help'\n", name, commandNames(subs))
		return ExitInvalid
	}
	fs := pflag.NewFlagSet("rehearse "+sub.name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	g := &globals{}
	fs.StringVarP(&g.dir, "chdir", "C", "", "repository root (default: the git top level of the current directory)")
	fs.StringVarP(&g.workflow, "workflows", "W", "", "workflow file or directory of workflows, relative to the root (default .github/workflows)")
	help := fs.BoolP("help", "h", false, "show this help")
	run := sub.setup(fs)
	if sub.negativeArgs {
		rest = negativeArgsPositional(fs, rest)
	}
	if err := fs.Parse(rest); err != nil {
		fmt.Fprintf(c.Stderr, "rehearse %s: %v\nsee 'rehearse help %s'\n", sub.name, err, sub.name)
		return ExitInvalid
	}
	if *help {
		c.printSubUsage(sub)
		return ExitSuccess
	}
	return run(ctx, c, g, fs.Args())
}

// negativeArgsPositional moves the arguments that look like a negative
// number (-1, -.5, '-1 < 0', -Infinity) behind a "--", so that pflag
// takes them as positional arguments instead of unknown shorthand flags.
// No flag is spelled that way, and the value of a flag that takes one
// (--format -1) stays where it is.
func negativeArgsPositional(fs *pflag.FlagSet, args []string) []string {
	var flags, negative []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			// Everything after it is positional already.
			return append(append(append(flags, "--"), negative...), args[i+1:]...)
		}
		if looksNegative(a) {
			negative = append(negative, a)
			continue
		}
		flags = append(flags, a)
		if takesValue(fs, a) && i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	if len(negative) == 0 {
		return flags
	}
	return append(append(flags, "--"), negative...)
}

// looksNegative reports whether a begins with - and then a digit, a dot, a
// space or Infinity: the start of a negative number, never of a flag.
func looksNegative(a string) bool {
	if len(a) < 2 || a[0] != '-' {
		return false
	}
	c := a[1]
	return c >= '0' && c <= '9' || c == '.' || c == ' ' || c == '\t' || strings.HasPrefix(a[1:], "Infinity")
}

// takesValue reports whether a is a flag whose value is the next argument
// (--format json, -C dir), not given after = nor a boolean.
func takesValue(fs *pflag.FlagSet, a string) bool {
	var f *pflag.Flag
	switch {
	case strings.HasPrefix(a, "--"):
		if strings.Contains(a, "=") {
			return false
		}
		f = fs.Lookup(a[2:])
	case len(a) == 2 && a[0] == '-':
		f = fs.ShorthandLookup(a[1:])
	}
	return f != nil && f.NoOptDefVal == ""
}

// splitSubcommand finds the subcommand among args, skipping the global
// flags that may come before it (-C DIR, -W PATH).
func splitSubcommand(args []string) (string, []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-C" || a == "-W" || a == "--chdir" || a == "--workflows":
			i++ // skip the value
		case strings.HasPrefix(a, "-"):
		default:
			rest := append(append([]string{}, args[:i]...), args[i+1:]...)
			return a, rest
		}
	}
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "--version") {
		return args[0], nil
	}
	return "", args
}

func commandNames(subs []*subcommand) string {
	var names []string
	for _, s := range subs {
		names = append(names, s.name)
	}
	return strings.Join(names, ", ")
}

func (c *Command) printUsage(w io.Writer, subs []*subcommand) {
	fmt.Fprintf(w, `rehearse runs a repository's GitHub Actions workflows on this machine and
reports what GitHub would report.

Usage:
  rehearse [-C DIR] [-W PATH] COMMAND [ARGS]

Commands:
`)
	for _, s := range subs {
		fmt.Fprintf(w, "  %-9s %s\n", s.name, s.summary)
	}
	fmt.Fprintf(w, `  help      show help for a command: rehearse help plan

Global flags (before or after the command):
  -C, --chdir DIR        repository root (default: git top level of the current directory)
  -W, --workflows PATH   workflow file or directory, relative to the root (default .github/workflows)

Exit status: 0 success, 1 a job failed, 2 usage error or invalid workflow, 130 interrupted.
`)
}

func (c *Command) printSubUsage(s *subcommand) {
	fs := pflag.NewFlagSet(s.name, pflag.ContinueOnError)
	fs.SortFlags = false
	fs.StringP("chdir", "C", "", "repository root (default: the git top level of the current directory)")
	fs.StringP("workflows", "W", "", "workflow file or directory, relative to the root (default .github/workflows)")
	s.setup(fs)
	fmt.Fprintf(c.Stdout, "%s\n\nUsage:\n  %s\n\nFlags:\n%s", s.summary, s.usage, fs.FlagUsages())
}

// resolveRoot finds the repository root: -C, else the git top level of the
// current directory, else the current directory with a warning.
func (c *Command) resolveRoot(ctx context.Context, g *globals) error {
	dir := g.dir
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return fmt.Errorf("could not find the current directory: %w", err)
		}
		dir = wd
		// Reading git here finds the top level and saves load from asking
		// git again (every git process costs milliseconds).
		gi, err := trigger.ReadGit(ctx, wd)
		if err != nil {
			return fmt.Errorf("could not read the git repository at %q: %w", wd, err)
		}
		if gi.Available {
			dir, g.git = gi.Root, gi
		} else {
			fmt.Fprintf(c.Stderr, "warning: %s is not in a git repository: git information (sha, ref, changed files) is missing; using it as the root\n", wd)
		}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("could not resolve %q: %w", dir, err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("repository root %q does not exist: check -C", dir)
		}
		return fmt.Errorf("could not read repository root %q: %w", dir, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("repository root %q is not a directory: -C takes a directory, -W a workflow file", dir)
	}
	g.root = abs
	g.workflow = resolveWorkflowPath(g.root, g.workflow)
	return nil
}

// resolveWorkflowPath finds -W: relative to the root as documented, else
// as the shell completed it (relative to the current directory), else a
// bare file name in .github/workflows. Unknown paths are left for the
// loader to report.
func resolveWorkflowPath(root, p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	if _, err := os.Stat(filepath.Join(root, p)); err == nil {
		return p
	}
	if wd, err := os.Getwd(); err == nil {
		if abs := filepath.Join(wd, p); fileExists(abs) {
			if rel, err := filepath.Rel(root, abs); err == nil && !strings.HasPrefix(rel, "..") {
				return rel
			}
			return abs
		}
	}
	if inDir := filepath.Join(".github", "workflows", p); fileExists(filepath.Join(root, inDir)) {
		return inDir
	}
	return p
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// keyValues parses repeated K=V flags.
func keyValues(flag string, list []string) (map[string]string, error) {
	m := map[string]string{}
	for _, kv := range list {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, &usageError{fmt.Sprintf("%s %q: expected KEY=VALUE", flag, kv)}
		}
		m[k] = v
	}
	return m, nil
}
