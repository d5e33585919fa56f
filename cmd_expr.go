package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/rehearse-dev/rehearse/emulate/expr"
	"github.com/rehearse-dev/rehearse/emulate/trigger"
	"github.com/rehearse-dev/rehearse/emulate/valuejson"
)

func (c *Command) exprCommand() *subcommand {
	return &subcommand{
		name:    "expr",
		summary: "evaluate one ${{ }} expression, e.g. to debug an if: condition",
		usage: "rehearse expr 'EXPRESSION' [--event EVENT] [--ref REF] [--context FILE.json] [--format text|json]\n\n" +
			"  The github context is the repository's, as plan sees it for the event\n" +
			"  (push unless --event says otherwise); --context FILE.json adds other\n" +
			"  contexts (matrix, env, steps, ...) and replaces github if it has one.\n" +
			"  An expression may begin with - (a negative number): rehearse expr '-1 < 0'",
		// A negative number is an expression, not a flag.
		negativeArgs: true,
		setup: func(fs *pflag.FlagSet) func(context.Context, *Command, *globals, []string) int {
			contextFile := fs.String("context", "", "JSON object whose keys are the named values (github, matrix, ...); its github replaces the repository's")
			format := fs.String("format", "text", "output format: text (as substituted into a run: script) or json")
			var ev exprEventFlags
			ev.add(fs)
			return func(ctx context.Context, c *Command, g *globals, args []string) int {
				if *format != "text" && *format != "json" {
					return c.fail(&usageError{fmt.Sprintf("--format %q: expected text or json", *format)})
				}
				if len(args) != 1 {
					return c.fail(&usageError{"expr takes one argument: the expression, quoted, e.g. rehearse expr \"format('{0}', 1)\""})
				}
				contexts := map[string]expr.Value{}
				if *contextFile != "" {
					data, err := os.ReadFile(*contextFile)
					if err != nil {
						return c.fail(fmt.Errorf("could not read --context %q: %w", *contextFile, err))
					}
					v, err := expr.FromJSON(string(data))
					if err != nil {
						return c.fail(fmt.Errorf("--context %q is not valid JSON: %v", *contextFile, err))
					}
					obj, ok := v.(*expr.Object)
					if !ok {
						return c.fail(fmt.Errorf("--context %q must hold a JSON object of named values, got %s", *contextFile, expr.KindOf(v)))
					}
					obj.Range(func(k string, v expr.Value) bool {
						contexts[strings.ToLower(k)] = v
						return true
					})
				}
				src := trimDelimiters(args[0])
				// The repository's github context, built only when the
				// expression reads it: reading git costs processes, and an
				// expression without github works outside a repository.
				if _, given := contexts["github"]; !given && readsGitHub(src) {
					gh, err := c.exprGitHub(ctx, g, &ev)
					if err != nil {
						return c.fail(err)
					}
					contexts["github"] = gh
				}
				v, err := expr.Evaluate(src, &expr.Env{Contexts: contexts})
				if err != nil {
					return c.exprError(*format, src, err)
				}
				if *format == "json" {
					out, err := json.Marshal(map[string]any{"kind": expr.KindOf(v).String(), "value": valuejson.Value{V: v}})
					if err != nil {
						return c.fail(err)
					}
					fmt.Fprintln(c.Stdout, string(out))
					return ExitSuccess
				}
				fmt.Fprintln(c.Stdout, expr.ToString(v))
				return ExitSuccess
			}
		},
	}
}

// exprEventFlags are the flags of plan that shape the github context,
// with the event as a flag since expr's argument is the expression.
type exprEventFlags struct {
	event, eventFile, ref, base, prTitle string
	inputs, labels                       []string
}

func (e *exprEventFlags) add(fs *pflag.FlagSet) {
	fs.StringVar(&e.event, "event", "push", "the triggering `EVENT` of the github context, as plan's EVENT argument")
	fs.StringVar(&e.eventFile, "event-file", "", "JSON event payload `FILE` merged over the one built from git (github.event)")
	fs.StringVar(&e.ref, "ref", "", "act as if on this branch or tag `REF`, e.g. refs/tags/v1.0")
	fs.StringVar(&e.base, "base", "", "base branch `REF` of a pull_request event (default: the default branch)")
	fs.StringVar(&e.prTitle, "pr-title", "", "pull request `TITLE` (default: the head commit's subject)")
	fs.StringArrayVar(&e.labels, "label", nil, "pull request `LABEL` (repeatable)")
	fs.StringArrayVar(&e.inputs, "input", nil, "workflow_dispatch input `KEY=VALUE` (repeatable)")
}

// readsGitHub reports whether the expression src names the github
// context. An expression that does not parse reads nothing: its error is
// reported by the evaluation.
func readsGitHub(src string) bool {
	n, err := expr.Parse(src)
	if err != nil {
		return false
	}
	found := false
	expr.Walk(n, func(n expr.Node) bool {
		if nv, ok := n.(*expr.NamedValue); ok && strings.EqualFold(nv.Name, "github") {
			found = true
		}
		return !found
	})
	return found
}

// exprGitHub is the github context plan evaluates conditions with, for
// the repository at -C (or the current one) and the event the flags
// describe; a job's own values (job, workflow) are empty.
func (c *Command) exprGitHub(ctx context.Context, g *globals, e *exprEventFlags) (*expr.Object, error) {
	if err := c.resolveRoot(ctx, g); err != nil {
		return nil, err
	}
	gi := g.git
	if gi == nil {
		var err error
		if gi, err = trigger.ReadGit(ctx, g.root); err != nil {
			return nil, fmt.Errorf("could not read the git repository at %q: %w", g.root, err)
		}
		if g.dir != "" && !gi.Available {
			fmt.Fprintf(c.Stderr, "warning: %s is not a git repository: git information (sha, ref, changed files) is missing\n", g.root)
		}
	}
	inputs, err := keyValues("--input", e.inputs)
	if err != nil {
		return nil, err
	}
	ev, err := trigger.NewEvent(ctx, gi, trigger.Options{
		Event: e.event, Ref: e.ref, Base: e.base, Inputs: inputs,
		EventFile: e.eventFile, PRTitle: e.prTitle, Labels: e.labels,
	})
	if err != nil {
		return nil, &usageError{err.Error()}
	}
	for _, w := range ev.Warnings {
		fmt.Fprintf(c.Stderr, "warning: %s\n", w)
	}
	return trigger.Context(gi, ev, trigger.RunInfo{Workspace: g.root, RunID: 1, RunNumber: 1, RunAttempt: 1}), nil
}

// trimDelimiters accepts the expression with or without ${{ }}.
func trimDelimiters(s string) string {
	t := strings.TrimSpace(s)
	if strings.HasPrefix(t, "${{") && strings.HasSuffix(t, "}}") {
		return t[3 : len(t)-2]
	}
	return s
}

func (c *Command) exprError(format, src string, err error) int {
	var ee *expr.Error
	kind, msg := "evaluation", err.Error()
	if errors.As(err, &ee) {
		kind, msg = ee.Kind.String(), ee.Message
	}
	if format == "json" {
		out, _ := json.Marshal(map[string]any{"error": map[string]any{"kind": kind, "message": msg}})
		fmt.Fprintln(c.Stdout, string(out))
	} else {
		col := 1
		if ee != nil {
			col = ee.Offset + 1
		}
		fmt.Fprintf(c.Stderr, "rehearse: %s error at column %d: %s\n  %s\n  %*s^\n", kind, col, msg, src, col-1, "")
		if strings.Contains(msg, "Unrecognized named-value") {
			fmt.Fprintln(c.Stderr, "hint: only the repository's github context and the contexts given with --context FILE.json exist, e.g. {\"matrix\": {\"os\": \"ubuntu-latest\"}}")
		}
	}
	return ExitInvalid
}
