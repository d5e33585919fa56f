package run

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/mattn/go-shellwords"

	"github.com/rehearse-dev/rehearse/emulate/actions"
	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/expr"
	"github.com/rehearse-dev/rehearse/emulate/plan"
	"github.com/rehearse-dev/rehearse/emulate/toolchain"
	"github.com/rehearse-dev/rehearse/emulate/workflow"
)

// jobSpec is what the executor needs to start this job cell: its host
// directories (host executor), its image, its container: section, and the
// tools its setup-python steps will ask for.
func (jr *jobRun) jobSpec(ctx context.Context, base map[string]expr.Value) (executor.JobSpec, error) {
	spec := executor.JobSpec{
		// A job key is unique in its workflow only: two workflows may
		// both have a job "test", and the pool of several builders
		// places cells by this key.
		Key:        jr.n.wp.File + ":" + jr.jp.Key,
		Repository: repository(jr.github()),
		HostDirs:   executor.Dirs{Workspace: jr.dirs.Workspace, Temp: jr.dirs.Temp, ToolCache: jr.dirs.ToolCache},
		Labels:     jr.jp.RunsOn,
		Image:      jr.jp.Image,
		NoNetwork:  jr.s.o.NoNetwork,
		Log: func(line string) {
			// The executor speaks while the job is set up and when it ends
			// (cleaning up orphan processes).
			step := "Set up job"
			if jr.stepsDone.Load() {
				step = "Complete job"
			}
			jr.log.line(step, jr.s.o.Masker.Mask(line))
		},
	}
	if c := jr.jp.Job.Container; c != nil {
		cs, err := jr.containerSpec(c, base)
		if err != nil {
			return spec, err
		}
		spec.Container = cs
	}
	spec.Tools = jr.toolRequests(base)
	return spec, nil
}

func repository(gh *expr.Object) string {
	v, _ := gh.Get("repository")
	if s, ok := v.(string); ok && s != "" {
		return s
	}
	return "rehearse/repository"
}

// imageNote is the image in the "Set up job" log line.
func imageNote(image string) string {
	if image == "" {
		return ""
	}
	return " (image " + image + ")"
}

// containerSpec evaluates a job's container: section. The options rehearse
// can honour are --user, --env, --hostname and --network none|host; any
// other option fails the job, naming it, rather than being ignored.
func (jr *jobRun) containerSpec(c *workflow.Container, ctxs map[string]expr.Value) (*executor.ContainerSpec, error) {
	env := &expr.Env{Contexts: ctxs}
	eval := func(s *workflow.String, what string) (string, error) {
		if s == nil {
			return "", nil
		}
		v, err := expr.Interpolate(s.Value, env)
		if err != nil {
			return "", jr.posErr(s.Pos, what, err)
		}
		return expr.ToString(v), nil
	}
	image, err := eval(c.Image, "container.image")
	if err != nil {
		return nil, err
	}
	if image == "" {
		return nil, fmt.Errorf("%s:%d:%d: container.image is empty", jr.wf.Path, c.Pos.Line, c.Pos.Col)
	}
	cs := &executor.ContainerSpec{Image: image, Env: map[string]string{}}
	vars, err := jr.evalEnv(c.Env, ctxs)
	if err != nil {
		return nil, err
	}
	for _, kv := range vars {
		cs.Env[kv[0]] = kv[1]
	}
	if cs.Username, err = eval(c.Username, "container.credentials.username"); err != nil {
		return nil, err
	}
	if cs.Password, err = eval(c.Password, "container.credentials.password"); err != nil {
		return nil, err
	}
	opts, err := eval(c.Options, "container.options")
	if err != nil {
		return nil, err
	}
	if err := parseContainerOptions(opts, cs); err != nil {
		p := c.Pos
		if c.Options != nil {
			p = c.Options.Pos
		}
		return nil, fmt.Errorf("%s:%d:%d: container.options: %v", jr.wf.Path, p.Line, p.Col, err)
	}
	return cs, nil
}

// parseContainerOptions reads the docker create flags of container.options
// that a BuildKit container can honour.
func parseContainerOptions(opts string, cs *executor.ContainerSpec) error {
	args, err := shellwords.Parse(opts)
	if err != nil {
		return err
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, val, hasVal := strings.Cut(a, "=")
		next := func() (string, error) {
			if hasVal {
				return val, nil
			}
			if i+1 >= len(args) {
				return "", fmt.Errorf("%s needs a value", name)
			}
			i++
			return args[i], nil
		}
		switch name {
		case "--user", "-u":
			v, err := next()
			if err != nil {
				return err
			}
			cs.User = v
		case "--env", "-e":
			v, err := next()
			if err != nil {
				return err
			}
			k, ev, _ := strings.Cut(v, "=")
			cs.Env[k] = ev
		case "--hostname", "-h":
			v, err := next()
			if err != nil {
				return err
			}
			cs.Hostname = v
		case "--network", "--net":
			v, err := next()
			if err != nil {
				return err
			}
			switch v {
			case "none":
				cs.NoNetwork = true
			case "host":
			default:
				return fmt.Errorf("--network %s is not supported (rehearse runs container jobs on the host's network, or none)", v)
			}
		default:
			return fmt.Errorf("option %q is not supported by rehearse's container executor (supported: --user, --env, --hostname, --network none|host)", a)
		}
	}
	return nil
}

// toolRequests are the Pythons and Go toolchains the job's setup-python
// and setup-go steps will ask for,
// decided now where their inputs allow it (literal values, matrix, env,
// inputs, vars; a python-version-file read from the repository), so that
// the executor can install them before the first step, as GitHub's images
// come with their tool cache. An input that needs what only a running job
// knows (an earlier step's output) is left to the step. A setup-uv step is
// a request for "uv" with no spec: the step installs uv itself, and the
// executor only gives the job the shared uv cache.
func (jr *jobRun) toolRequests(base map[string]expr.Value) []executor.ToolRequest {
	ctxs := make(map[string]expr.Value, len(base)+1)
	for k, v := range base {
		ctxs[k] = v
	}
	// --env values are the bottom of the env context, as when the job runs.
	envObj, ok := base["env"].(*expr.Object)
	if !ok {
		envObj = jr.newEnv()
	}
	for _, level := range []workflow.Env{jr.wf.Env, jr.jp.Job.Env} {
		ctxs["env"] = envObj
		vars, err := jr.evalEnv(level, ctxs)
		if err != nil {
			return nil
		}
		envObj = envObj.Clone()
		for _, kv := range vars {
			envObj.Set(kv[0], kv[1])
		}
	}
	ctxs["env"] = envObj
	var out []executor.ToolRequest
	seen := map[string]bool{}
	for _, s := range jr.jp.Job.Steps {
		if s.Uses == nil {
			continue
		}
		action := actions.ParseRef(s.Uses.Value).Name()
		if action == "astral-sh/setup-uv" && !seen["uv"] {
			seen["uv"] = true
			out = append(out, executor.ToolRequest{Name: "uv"})
		}
		if action != "actions/setup-python" && action != "actions/setup-go" {
			continue
		}
		sctx, _, err := jr.stepContexts(ctxs, nil, s)
		if err != nil {
			continue
		}
		in, ok := plan.StepInputs(s, sctx)
		if !ok {
			continue
		}
		if action == "actions/setup-go" {
			spec := in["go-version"]
			if spec == "" && in["go-version-file"] != "" {
				spec, _ = toolchain.GoVersionFile(filepath.Join(jr.s.o.Root, in["go-version-file"]), "")
			}
			if r := (executor.ToolRequest{Name: "go", Spec: spec, Arch: in["architecture"]}); spec != "" && !seen[fmt.Sprintf("%+v", r)] {
				seen[fmt.Sprintf("%+v", r)] = true
				out = append(out, r)
			}
			continue
		}
		for _, sp := range toolchain.PythonSpecs(in, jr.s.o.Root) {
			r := executor.ToolRequest{Name: "python", Spec: sp, Arch: in["architecture"],
				AllowPrereleases: strings.EqualFold(in["allow-prereleases"], "true"),
				Freethreaded:     strings.EqualFold(in["freethreaded"], "true")}
			key := fmt.Sprintf("%+v", r)
			if !seen[key] {
				seen[key] = true
				out = append(out, r)
			}
		}
	}
	return out
}
