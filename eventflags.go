package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/rehearse-dev/rehearse/emulate/config"
	"github.com/rehearse-dev/rehearse/emulate/dotenv"
	"github.com/rehearse-dev/rehearse/emulate/plan"
	"github.com/rehearse-dev/rehearse/emulate/trigger"
	"github.com/rehearse-dev/rehearse/emulate/workflow"
)

// eventFlags are the flags that describe the triggering event and the
// values conditions may read; plan and run share them.
type eventFlags struct {
	inputs      []string
	eventFile   string
	ref, base   string
	prTitle     string
	labels      []string
	platforms   []string
	allowDeploy bool
	vars        []string
	varFiles    []string
	secrets     []string
	secretFiles []string
	exec        executorFlags
}

func (e *eventFlags) add(fs *pflag.FlagSet) {
	fs.StringArrayVar(&e.inputs, "input", nil, "workflow_dispatch input `KEY=VALUE` (repeatable)")
	fs.StringVar(&e.eventFile, "event-file", "", "JSON event payload `FILE` merged over the one built from git")
	fs.StringVar(&e.ref, "ref", "", "act as if on this branch or tag `REF`, e.g. refs/tags/v1.0")
	fs.StringVar(&e.base, "base", "", "base branch `REF` of a pull_request event (default: the default branch)")
	fs.StringVar(&e.prTitle, "pr-title", "", "pull request `TITLE` (default: the head commit's subject)")
	fs.StringArrayVar(&e.labels, "label", nil, "pull request `LABEL` (repeatable)")
	fs.StringArrayVarP(&e.platforms, "platform", "P", nil, "run runs-on `LABEL=TARGET` here: host (or -self-hosted) keeps the label on this machine, an image runs it in that image, e.g. -P windows-latest=host, -P ubuntu-latest=oci-layout://DIR@sha256:... (repeatable)")
	e.exec.add(fs)
	fs.BoolVar(&e.allowDeploy, "allow-deploy", false, "run deploy and publish steps and environment jobs")
	fs.StringArrayVar(&e.vars, "var", nil, "vars context value `KEY=VALUE` (repeatable)")
	fs.StringArrayVar(&e.varFiles, "var-file", nil, "dotenv `FILE` of vars (repeatable)")
	fs.StringArrayVar(&e.secrets, "secret", nil, "secret `KEY=VALUE` (repeatable; never printed)")
	fs.StringArrayVar(&e.secretFiles, "secret-file", nil, "dotenv `FILE` of secrets (repeatable; values never printed)")
}

// loaded is a validated set of workflows with its event.
type loaded struct {
	cfg  *config.Config
	res  *workflow.Result
	git  *trigger.Git
	ev   *trigger.Event
	opts plan.Options
}

// load validates the workflows, prints findings to stderr (errors as GitHub
// reports an invalid workflow file, the rest as warnings), and builds the
// event. It returns an exit status when it cannot go on.
func (c *Command) load(ctx context.Context, g *globals, e *eventFlags, args []string) (*loaded, error) {
	if err := e.exec.check(); err != nil {
		return nil, err
	}
	if err := c.resolveRoot(ctx, g); err != nil {
		return nil, err
	}
	cfg, err := config.Load(g.root)
	if err != nil {
		return nil, &usageError{err.Error()}
	}
	e.exec.applyConfig(cfg)
	if err := e.exec.check(); err != nil {
		return nil, err
	}
	// Validating the workflows is CPU work and reading the event waits on
	// git processes: do both at once.
	type loadResult struct {
		res *workflow.Result
		err error
	}
	loading := make(chan loadResult, 1)
	go func() {
		res, err := workflow.Load(workflow.Options{Root: g.root, Path: g.workflow})
		loading <- loadResult{res, err}
	}()
	gi, ev, gitErr := c.readEvent(ctx, g, e, args)
	lr := <-loading
	if lr.err != nil {
		return nil, lr.err
	}
	res := lr.res
	printFindings(c, res)
	if gi != nil && g.dir != "" && !gi.Available {
		fmt.Fprintf(c.Stderr, "warning: %s is not a git repository: git information (sha, ref, changed files) is missing\n", g.root)
	}
	if gi != nil && gi.Available {
		for _, w := range gi.Warnings {
			fmt.Fprintf(c.Stderr, "warning: %s\n", w)
		}
	}
	if gitErr != nil {
		return nil, gitErr
	}
	for _, w := range ev.Warnings {
		fmt.Fprintf(c.Stderr, "warning: %s\n", w)
	}
	platforms, err := keyValues("-P", e.platforms)
	if err != nil {
		return nil, err
	}
	// The configuration files' mappings, then -P over them.
	targets := map[string]string{}
	for k, v := range cfg.Platforms {
		targets[strings.ToLower(k)] = v
	}
	for k, v := range platforms {
		targets[strings.ToLower(k)] = v
	}
	lower := map[string]string{}
	for k, v := range targets {
		if !plan.IsHostTarget(v) {
			ref, err := normalizeImage(v)
			if err != nil {
				return nil, &usageError{fmt.Sprintf("-P %s=%s: %v", k, v, err)}
			}
			v = ref
		}
		lower[k] = v
	}
	placing := plan.Placing{Executor: e.exec.planExecutor(), Platforms: lower, DefaultImages: defaultImages()}
	vars, err := mergedValues("--var", e.vars, e.varFiles)
	if err != nil {
		return nil, err
	}
	secrets, err := mergedValues("--secret", e.secrets, e.secretFiles)
	if err != nil {
		return nil, err
	}
	return &loaded{cfg: cfg, res: res, git: gi, ev: ev, opts: plan.Options{
		Root: g.root, Git: gi, Event: ev, Placing: placing, AllowDeploy: e.allowDeploy,
		Vars: vars, Secrets: secrets,
	}}, nil
}

// mergedValues reads dotenv files, then applies K=V flags over them.
func mergedValues(flag string, kvs, files []string) (map[string]string, error) {
	out := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, &usageError{fmt.Sprintf("could not read %s-file %q: %v", flag, f, err)}
		}
		m, err := dotenv.Parse(string(data))
		if err != nil {
			return nil, &usageError{fmt.Sprintf("%s: %v", f, err)}
		}
		for k, v := range m {
			out[k] = v
		}
	}
	m, err := keyValues(flag, kvs)
	if err != nil {
		return nil, err
	}
	for k, v := range m {
		out[k] = v
	}
	return out, nil
}

func printFindings(c *Command, res *workflow.Result) {
	for _, f := range res.Findings {
		if f.Severity == workflow.SeverityWarning {
			fmt.Fprintf(c.Stderr, "%s:%d:%d: warning: %s [%s]\n", f.Path, f.Line, f.Column, shorten(f.Message), f.Kind)
		}
	}
	for _, f := range res.Findings {
		if f.Severity == workflow.SeverityError {
			fmt.Fprintf(c.Stderr, "%s:%d:%d: error: %s [%s]\n", f.Path, f.Line, f.Column, f.Message, f.Kind)
		}
	}
	for path := range res.Invalid {
		fmt.Fprintf(c.Stderr, "%s: invalid workflow file: GitHub would refuse it; fix the errors above (rehearse lint shows every finding)\n", path)
	}
}

// shorten keeps warnings printed by plan and run to a readable length
// (actionlint lists whole context types); rehearse lint prints them whole.
func shorten(msg string) string {
	const limit = 400
	if len(msg) <= limit {
		return msg
	}
	return strings.ToValidUTF8(msg[:limit], "") + "… (rehearse lint shows all)"
}

// readEvent reads git (unless resolving the root did) and builds the
// event the command plans for: EVENT from args, shaped by the event flags.
func (c *Command) readEvent(ctx context.Context, g *globals, e *eventFlags, args []string) (*trigger.Git, *trigger.Event, error) {
	gi := g.git
	if gi == nil {
		var err error
		gi, err = trigger.ReadGit(ctx, g.root)
		if err != nil {
			return nil, nil, fmt.Errorf("could not read the git repository at %q: %w", g.root, err)
		}
	}
	eventName := "push"
	if len(args) > 1 {
		return gi, nil, &usageError{fmt.Sprintf("too many arguments %q: give at most one EVENT", args)}
	}
	if len(args) == 1 {
		eventName = args[0]
	}
	inputs, err := keyValues("--input", e.inputs)
	if err != nil {
		return gi, nil, err
	}
	ev, err := trigger.NewEvent(ctx, gi, trigger.Options{
		Event: eventName, Ref: e.ref, Base: e.base, Inputs: inputs,
		EventFile: e.eventFile, PRTitle: e.prTitle, Labels: e.labels,
	})
	if err != nil {
		return gi, nil, &usageError{err.Error()}
	}
	return gi, ev, nil
}
