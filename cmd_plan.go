package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/rehearse-dev/rehearse/emulate/plan"
)

func (c *Command) planCommand() *subcommand {
	return &subcommand{
		name:    "plan",
		summary: "show what a run would do: triggered workflows, jobs and matrix cells, stages, where each runs",
		usage:   "rehearse plan [EVENT] [--format text|json] [--builders] [--ref REF] [--input K=V] [-P LABEL=TARGET] ...",
		setup: func(fs *pflag.FlagSet) func(context.Context, *Command, *globals, []string) int {
			var ef eventFlags
			ef.add(fs)
			format := fs.String("format", "text", "output format: text or json")
			builders := fs.Bool("builders", false, "contact the builders (--builder, the configuration) and forecast which one each container job cell would go to, and why; without it plan contacts none")
			return func(ctx context.Context, c *Command, g *globals, args []string) int {
				if *format != "text" && *format != "json" {
					return c.fail(&usageError{fmt.Sprintf("--format %q: expected text or json", *format)})
				}
				l, err := c.load(ctx, g, &ef, args)
				if err != nil {
					return c.fail(err)
				}
				p := plan.Build(l.res, l.opts)
				invalid := reportPlanErrors(c, p)
				var fc *forecast
				if *builders {
					if fc, err = c.planForecast(ctx, &ef.exec.builderFlags, l, p); err != nil {
						if ctx.Err() != nil {
							return ExitInterrupted
						}
						return c.fail(err)
					}
				}
				if *format == "json" {
					enc := json.NewEncoder(c.Stdout)
					enc.SetIndent("", "  ")
					// The forecast is one more key of the plan's object.
					out := struct {
						*plan.Plan
						Forecast *forecast `json:"forecast,omitempty"`
					}{p, fc}
					if err := enc.Encode(out); err != nil {
						return c.fail(err)
					}
				} else {
					if err := plan.WriteText(c.Stdout, p); err != nil {
						return c.fail(err)
					}
					if fc != nil {
						if err := fc.writeText(c.Stdout); err != nil {
							return c.fail(err)
						}
					}
				}
				if invalid {
					return ExitInvalid
				}
				return ExitSuccess
			}
		},
	}
}

func (c *Command) listCommand() *subcommand {
	return &subcommand{
		name:    "list",
		summary: "list workflows and jobs in a compact table",
		usage:   "rehearse list [EVENT]",
		setup: func(fs *pflag.FlagSet) func(context.Context, *Command, *globals, []string) int {
			var ef eventFlags
			ef.add(fs)
			return func(ctx context.Context, c *Command, g *globals, args []string) int {
				l, err := c.load(ctx, g, &ef, args)
				if err != nil {
					return c.fail(err)
				}
				p := plan.Build(l.res, l.opts)
				invalid := reportPlanErrors(c, p)
				if err := plan.WriteList(c.Stdout, p); err != nil {
					return c.fail(err)
				}
				if invalid {
					return ExitInvalid
				}
				return ExitSuccess
			}
		},
	}
}

// fail prints err and maps it to an exit status: every error that reaches
// here is bad input or an unusable environment (exit 2).
func (c *Command) fail(err error) int {
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(c.Stderr, "rehearse: %s\n", ue.msg)
		return ExitInvalid
	}
	fmt.Fprintf(c.Stderr, "rehearse: %v\n", err)
	return ExitInvalid
}

// reportPlanErrors reports whether the command must fail (the validator's
// findings are printed already): a
// workflow is invalid, or every workflow the event could trigger refused
// it (a workflow_dispatch whose inputs no workflow accepts).
func reportPlanErrors(c *Command, p *plan.Plan) bool {
	invalid, refused, accepted := false, 0, 0
	for _, w := range p.Workflows {
		invalid = invalid || w.Invalid
		if w.Refused {
			refused++
		}
		if w.Triggered {
			accepted++
		}
	}
	if refused > 0 && accepted == 0 {
		for _, w := range p.Workflows {
			if w.Refused {
				fmt.Fprintf(c.Stderr, "%s: %s\n", w.File, w.Reason)
			}
		}
		return true
	}
	return invalid
}
