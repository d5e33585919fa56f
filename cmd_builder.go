package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/rehearse-dev/rehearse/emulate/builder"
)

func (c *Command) builderCommand() *subcommand {
	return &subcommand{
		name:    "builder",
		summary: "start, stop, show or list the BuildKit builders that container jobs run on",
		usage: "rehearse builder start [--insecure-registry HOST]...\n" +
			"  rehearse builder stop\n" +
			"  rehearse builder status [--builder ADDR [--builder-tls-ca FILE --builder-tls-cert FILE --builder-tls-key FILE]]\n" +
			"  rehearse builder ls [--builder ADDR[,jobs=N][,ca=F][,cert=F][,key=F]]... [--format text|json]",
		setup: func(fs *pflag.FlagSet) func(context.Context, *Command, *globals, []string) int {
			var x builderFlags
			x.add(fs)
			registries := fs.StringArray("insecure-registry", nil, "registry `HOST[:PORT]` the builder reaches over plain HTTP, such as 127.0.0.1:5000 (start; repeatable)")
			format := fs.String("format", "text", "output format of ls: text or json")
			return func(ctx context.Context, c *Command, g *globals, args []string) int {
				if len(args) != 1 {
					return c.fail(&usageError{fmt.Sprintf("builder takes one action: start, stop, status or ls (got %q); see 'rehearse help builder'", args)})
				}
				action := args[0]
				addr := x.address()
				flagged := len(x.builders) > 0 || addr.TLS()
				if fs.Changed("format") && action != "ls" {
					return c.fail(&usageError{"--format applies to `rehearse builder ls`"})
				}
				switch action {
				case "start", "stop":
					if flagged {
						return c.fail(&usageError{fmt.Sprintf("builder %s acts on rehearse's own builder; --builder and its TLS flags name one rehearse does not manage (use them with `rehearse builder status`)", action)})
					}
					if action == "stop" && len(*registries) > 0 {
						return c.fail(&usageError{"--insecure-registry applies to `rehearse builder start`"})
					}
				case "status", "ls":
					if len(*registries) > 0 {
						return c.fail(&usageError{"--insecure-registry applies to `rehearse builder start`"})
					}
					if action == "status" && len(x.builders) > 1 {
						return c.fail(&usageError{"builder status shows one builder; use `rehearse builder ls` for several"})
					}
				default:
					return c.fail(&usageError{fmt.Sprintf("unknown builder action %q: expected start, stop, status or ls", action)})
				}
				if action == "ls" {
					return c.builderList(ctx, g, &x, *format)
				}
				for _, r := range *registries {
					if err := builder.ValidateRegistry(r); err != nil {
						return c.fail(&usageError{err.Error()})
					}
				}
				opts := builder.Options{InsecureRegistries: *registries}
				switch action {
				case "start":
					return c.builderStart(ctx, opts)
				case "stop":
					return c.builderStop(ctx, opts)
				}
				return c.builderStatus(ctx, addr, opts)
			}
		},
	}
}

// builderStart starts the private builder, or says it runs already.
func (c *Command) builderStart(ctx context.Context, opts builder.Options) int {
	d, err := builder.Start(ctx, opts)
	if err != nil {
		return c.builderFailed(ctx, err)
	}
	verb := "started"
	if d.Reused {
		verb = "already running"
	}
	fmt.Fprintf(c.Stdout, "builder %s: %s\n", verb, d)
	if d.Log != "" {
		fmt.Fprintf(c.Stdout, "log: %s\n", d.Log)
	}
	if d.ConfigOutdated {
		fmt.Fprintf(c.Stderr, "warning: the running builder was started with other --insecure-registry settings; run `rehearse builder stop` and start it again to apply them\n")
	}
	if env := os.Getenv(builder.EnvHost); env != "" {
		fmt.Fprintf(c.Stderr, "note: %s=%s is set: runs use that builder while it answers, before this one\n", builder.EnvHost, env)
	}
	return ExitSuccess
}

// builderStop stops the private builder.
func (c *Command) builderStop(ctx context.Context, opts builder.Options) int {
	st, err := builder.Stop(ctx, opts)
	if err != nil {
		return c.builderFailed(ctx, err)
	}
	if !st.WasRunning {
		fmt.Fprintln(c.Stdout, "builder was not running")
		return ExitSuccess
	}
	var what []string
	if st.PID > 0 {
		what = append(what, fmt.Sprintf("%s pid %d", st.Kind, st.PID))
	}
	if st.Container != "" {
		what = append(what, fmt.Sprintf("%s %s", st.Kind, st.Container))
	}
	if st.Killed {
		what = append(what, "killed: it did not exit after SIGTERM")
	}
	if st.Unmounted > 0 {
		what = append(what, fmt.Sprintf("removed %d mounts it left", st.Unmounted))
	}
	fmt.Fprintf(c.Stdout, "builder stopped (%s)\n", strings.Join(what, ", "))
	return ExitSuccess
}

// builderStatus shows the builder a run would ask first: --builder, else
// $BUILDKIT_HOST, else the private one. It exits 0 only when it answers.
func (c *Command) builderStatus(ctx context.Context, flag builder.Address, opts builder.Options) int {
	given, src := builder.Given(flag, nil)
	var st *builder.Status
	if given.Addr == "" {
		if flag.TLS() {
			return c.fail(&usageError{"--builder-tls-ca, --builder-tls-cert and --builder-tls-key go with a tcp:// --builder (or $BUILDKIT_HOST)"})
		}
		var err error
		if st, err = builder.PrivateStatus(ctx, opts); err != nil {
			return c.builderFailed(ctx, err)
		}
	} else {
		if err := given.Validate(); err != nil {
			if src == builder.SourceEnv {
				err = fmt.Errorf("%w (from $%s)", err, builder.EnvHost)
			}
			return c.fail(err)
		}
		st = builder.StatusOf(ctx, given)
		st.Source = src
	}
	if ctx.Err() != nil {
		return ExitInterrupted
	}
	st.Print(c.Stdout)
	if !st.Answers {
		return ExitFailure
	}
	return ExitSuccess
}

// builderFailed reports an error of start, stop or status: exit 1, or 130
// when interrupted.
func (c *Command) builderFailed(ctx context.Context, err error) int {
	if ctx.Err() != nil {
		fmt.Fprintf(c.Stderr, "rehearse: interrupted: %v\n", err)
		return ExitInterrupted
	}
	var ae *builder.AddressError
	if errors.As(err, &ae) {
		return c.fail(err)
	}
	fmt.Fprintf(c.Stderr, "rehearse: %v\n", err)
	return ExitFailure
}
