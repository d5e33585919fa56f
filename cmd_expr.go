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
	"github.com/rehearse-dev/rehearse/emulate/valuejson"
)

func (c *Command) exprCommand() *subcommand {
	return &subcommand{
		name:    "expr",
		summary: "evaluate one ${{ }} expression, e.g. to debug an if: condition",
		usage:   "rehearse expr 'EXPRESSION' [--context FILE.json] [--format text|json]",
		setup: func(fs *pflag.FlagSet) func(context.Context, *Command, *globals, []string) int {
			contextFile := fs.String("context", "", "JSON object whose keys are the named values (github, matrix, ...)")
			format := fs.String("format", "text", "output format: text (as substituted into a run: script) or json")
			return func(_ context.Context, c *Command, _ *globals, args []string) int {
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
						contexts[k] = v
						return true
					})
				}
				src := trimDelimiters(args[0])
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
			fmt.Fprintln(c.Stderr, "hint: only the contexts given with --context FILE.json exist, e.g. {\"github\": {\"ref\": \"refs/heads/main\"}}")
		}
	}
	return ExitInvalid
}
