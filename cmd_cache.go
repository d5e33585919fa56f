package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/moby/buildkit/client"
	"github.com/spf13/pflag"

	"github.com/rehearse-dev/rehearse/cache"
	"github.com/rehearse-dev/rehearse/emulate/builder"
	"github.com/rehearse-dev/rehearse/emulate/report"
)

// cacheCommand is `rehearse cache ls|prune`: the caches runs share.
func (c *Command) cacheCommand() *subcommand {
	return &subcommand{
		name:    "cache",
		summary: "list or clear the caches runs share: pip (containers and host) and actions/cache",
		usage: "rehearse cache ls [--builder ADDR]\n" +
			"  rehearse cache prune [pip|actions]... [--builder ADDR]",
		setup: func(fs *pflag.FlagSet) func(context.Context, *Command, *globals, []string) int {
			var x builderFlags
			x.add(fs)
			return func(ctx context.Context, c *Command, _ *globals, args []string) int {
				if len(args) == 0 {
					return c.fail(&usageError{"cache takes an action: ls or prune; see 'rehearse help cache'"})
				}
				switch args[0] {
				case "ls":
					if len(args) > 1 {
						return c.fail(&usageError{fmt.Sprintf("cache ls takes no arguments (got %q)", args[1:])})
					}
					return c.cacheList(ctx, &x)
				case "prune":
					what := map[string]bool{}
					for _, a := range args[1:] {
						if a != "pip" && a != "actions" {
							return c.fail(&usageError{fmt.Sprintf("cache prune %q: expected pip or actions", a)})
						}
						what[a] = true
					}
					if len(what) == 0 {
						what = map[string]bool{"pip": true, "actions": true}
					}
					return c.cachePrune(ctx, &x, what)
				}
				return c.fail(&usageError{fmt.Sprintf("unknown cache action %q: expected ls or prune", args[0])})
			}
		},
	}
}

// cacheBuilder connects to the builder a run would use, without starting
// one: --builder or $BUILDKIT_HOST, else the private builder if it runs.
// It returns nil and why when there is none.
func cacheBuilder(ctx context.Context, x *builderFlags) (*client.Client, string, string) {
	a, _ := builder.Given(x.address(), os.Getenv)
	if a.Addr == "" {
		st, err := builder.PrivateStatus(ctx, builder.Options{})
		if err != nil || !st.Answers {
			return nil, "", "rehearse's builder is not running (rehearse builder start)"
		}
		a = st.Address
	}
	cl, err := builder.Connect(ctx, a)
	if err != nil {
		return nil, a.Addr, builder.Reason(err)
	}
	return cl, a.Addr, ""
}

func (c *Command) cacheList(ctx context.Context, x *builderFlags) int {
	tw := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CACHE\tWHERE\tSIZE\tFILES\tLAST USED")
	age := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return report.FormatDuration(time.Since(t).Round(time.Second)) + " ago"
	}
	cl, addr, why := cacheBuilder(ctx, x)
	switch {
	case cl == nil && addr == "":
		fmt.Fprintf(tw, "pip (containers)\t-\t-\t-\t%s\n", why)
	case cl == nil:
		fmt.Fprintf(tw, "pip (containers)\t%s\t-\t-\tnot reachable: %s\n", addr, why)
	default:
		defer cl.Close()
		u, err := cache.PipMountUsage(ctx, cl, agentBinary())
		where := fmt.Sprintf("BuildKit %s, cache mount %s", addr, cache.PipMountID)
		switch {
		case err != nil:
			fmt.Fprintf(tw, "pip (containers)\t%s\t-\t-\t%v\n", where, err)
		case !u.Found:
			fmt.Fprintf(tw, "pip (containers)\t%s\t0 B\t0\tnever used\n", where)
		default:
			last := age(u.LastUsed)
			if u.InUse {
				last = "in use now"
			}
			fmt.Fprintf(tw, "pip (containers)\t%s\t%s\t%d\t%s\n", where, report.FormatSize(u.Size), u.Files, last)
		}
	}
	if dir, err := cache.PipDir(); err == nil {
		size, files, newest := cache.DirUsage(dir)
		fmt.Fprintf(tw, "pip (host)\t%s\t%s\t%d\t%s\n", dir, report.FormatSize(size), files, age(newest))
	}
	if dir, err := cache.ActionsCacheDir(); err == nil {
		size, files, newest := cache.DirUsage(dir)
		fmt.Fprintf(tw, "actions/cache\t%s\t%s\t%d\t%s\n", dir, report.FormatSize(size), files, age(newest))
	}
	if err := tw.Flush(); err != nil {
		return c.fail(err)
	}
	return ExitSuccess
}

func (c *Command) cachePrune(ctx context.Context, x *builderFlags, what map[string]bool) int {
	code := ExitSuccess
	if what["pip"] {
		cl, addr, why := cacheBuilder(ctx, x)
		if cl == nil {
			if addr != "" {
				fmt.Fprintf(c.Stderr, "warning: the containers' pip cache was not pruned: %s is not reachable: %s\n", addr, why)
				code = ExitFailure
			}
		} else {
			freed, err := cache.PrunePipMount(ctx, cl)
			cl.Close()
			if err != nil {
				fmt.Fprintf(c.Stderr, "rehearse: %v\n", err)
				code = ExitFailure
			} else {
				fmt.Fprintf(c.Stdout, "pruned the containers' pip cache on %s (%s)\n", addr, report.FormatSize(freed))
			}
		}
		if dir, err := cache.PipDir(); err == nil {
			size, _, _ := cache.DirUsage(dir)
			if err := removeContents(dir); err != nil {
				fmt.Fprintf(c.Stderr, "rehearse: could not clear %s: %v\n", dir, err)
				code = ExitFailure
			} else {
				fmt.Fprintf(c.Stdout, "cleared the host's pip cache %s (%s)\n", dir, report.FormatSize(size))
			}
		}
	}
	if what["actions"] {
		if dir, err := cache.ActionsCacheDir(); err == nil {
			size, _, _ := cache.DirUsage(dir)
			if err := removeContents(dir); err != nil {
				fmt.Fprintf(c.Stderr, "rehearse: could not clear %s: %v\n", dir, err)
				code = ExitFailure
			} else {
				fmt.Fprintf(c.Stdout, "cleared the actions/cache store %s (%s)\n", dir, report.FormatSize(size))
			}
		}
	}
	return code
}

// removeContents empties a directory, keeping it.
func removeContents(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}
