package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/containerd/platforms"

	"github.com/rehearse-dev/rehearse/emulate/actions"
	"github.com/rehearse-dev/rehearse/emulate/builder"
	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/expr"
	"github.com/rehearse-dev/rehearse/emulate/placement"
	"github.com/rehearse-dev/rehearse/emulate/plan"
	"github.com/rehearse-dev/rehearse/emulate/toolchain"
	"github.com/rehearse-dev/rehearse/emulate/workspace"
)

// forecastNote marks the forecast for what it is, in both formats.
const forecastNote = "a forecast: the builders as they answered now, the record of past placements, and cells of equal length started in stage order; a run places each cell when it starts and may place it elsewhere"

// forecast is `plan --builders`: the builders as surveyed and where each
// container job cell would go, with why. Its JSON is the plan's
// "forecast" key.
type forecast struct {
	Note     string            `json:"note"`
	Builders []forecastBuilder `json:"builders"`
	Cells    []forecastCell    `json:"cells"`
}

type forecastBuilder struct {
	Name      string `json:"name"`
	Reachable bool   `json:"reachable"`
	// Reason says why it is not reachable; its cells go elsewhere.
	Reason    string   `json:"reason,omitempty"`
	Platforms []string `json:"platforms"`
	// Capacity is how many cells it takes at once; 0 when unreachable.
	Capacity int `json:"capacity"`
}

type forecastCell struct {
	Workflow string `json:"workflow"`
	Key      string `json:"key"`
	Name     string `json:"name"`
	Stage    int    `json:"stage"`
	// Action is what placement would do: "run" (on Builder), "no builder",
	// or "at run time" for a matrix the run expands itself.
	Action  string `json:"action"`
	Builder string `json:"builder,omitempty"`
	Reason  string `json:"reason"`
}

// planForecast contacts the builders a run would use (the --builder flags,
// else the configuration's, else the one a run would find) and forecasts
// the plan's container cells on them. A builder that does not answer is
// reported on stderr and left out, as a run leaves it out; with none
// answering the forecast is an error (exit 2).
func (c *Command) planForecast(ctx context.Context, x *builderFlags, l *loaded, p *plan.Plan) (*forecast, error) {
	specs := x.specs
	if len(specs) == 0 {
		sp, err := defaultSpec(ctx, x)
		if err != nil {
			return nil, err
		}
		specs = []builder.Spec{sp}
	}
	surveys := builder.SurveyAll(ctx, specs, false)
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	var down []string
	for _, s := range surveys {
		if !s.Status.Answers || s.Status.Err != nil {
			down = append(down, fmt.Sprintf("builder %s is unreachable: %s", s.Spec.Name(), fleetReason(s)))
		}
	}
	if len(down) == len(surveys) {
		return nil, &usageError{fmt.Sprintf("plan --builders: none of the builders answers (%s): check them with `rehearse builder ls`, or plan without --builders", strings.Join(down, "; "))}
	}
	for _, d := range down {
		fmt.Fprintf(c.Stderr, "rehearse: %s; the forecast leaves it out\n", d)
	}
	var rec *placement.Record
	if state, err := workspace.StateDir(); err == nil {
		var werr error
		rec, werr = placement.LoadRecord(state)
		if werr != nil {
			fmt.Fprintf(c.Stderr, "warning: %v\n", werr)
		}
	}
	return forecastOf(p, l.opts.Root, surveys, rec)
}

// forecastOf places the plan's container cells on the surveyed builders
// with [placement.Placer.Forecast]. Cells go in stage order (a cell starts
// once its needs are done), then in plan order, as the run gives out its
// slots; the record is read, never written.
func forecastOf(p *plan.Plan, root string, surveys []*builder.Survey, rec *placement.Record) (*forecast, error) {
	f := &forecast{Note: forecastNote, Builders: []forecastBuilder{}, Cells: []forecastCell{}}
	var fleet []placement.Builder
	for _, s := range surveys {
		b := placementBuilder(s)
		fleet = append(fleet, b)
		fb := forecastBuilder{Name: b.Name, Reachable: b.Reachable, Reason: b.Why, Platforms: []string{}}
		if b.Reachable {
			fb.Capacity = b.Capacity()
		}
		for _, pl := range b.Platforms {
			if s := platforms.Format(platforms.Normalize(pl)); !slices.Contains(fb.Platforms, s) {
				fb.Platforms = append(fb.Platforms, s)
			}
		}
		f.Builders = append(f.Builders, fb)
	}
	placer, err := placement.New(fleet, placement.Options{Record: rec})
	if err != nil {
		return nil, &usageError{err.Error()}
	}
	deps := &depKeys{root: root, keys: map[string]string{}}
	var cells []placement.Cell
	var placed []int // index in f.Cells of each of cells
	for _, wp := range p.Workflows {
		if !wp.Triggered || wp.Invalid {
			continue
		}
		for _, jp := range wp.Jobs {
			fc := forecastCell{Workflow: wp.File, Key: jp.Key, Name: jp.Name, Stage: jp.Stage}
			switch {
			case jp.Status == plan.StatusDeferred && p.Rules.Executor == plan.RunnerContainer:
				fc.Action, fc.Reason = "at run time", "its matrix is decided while the run goes on: its cells are placed then"
			case jp.Status != plan.StatusPlanned || jp.Runner != plan.RunnerContainer:
				continue
			default:
				cells = append(cells, deps.cell(plannedSpec(wp, jp, root)))
				placed = append(placed, len(f.Cells))
			}
			f.Cells = append(f.Cells, fc)
		}
	}
	order := make([]int, len(cells))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return f.Cells[placed[a]].Stage - f.Cells[placed[b]].Stage })
	inOrder := make([]placement.Cell, len(cells))
	for i, k := range order {
		inOrder[i] = cells[k]
	}
	for i, d := range placer.Forecast(inOrder) {
		fc := &f.Cells[placed[order[i]]]
		fc.Action, fc.Builder, fc.Reason = d.Action.String(), d.Builder, d.Reason
	}
	// Shown in the order they would start.
	slices.SortStableFunc(f.Cells, func(a, b forecastCell) int { return a.Stage - b.Stage })
	return f, nil
}

// plannedSpec is the job spec a run would give the executor for a
// planned cell, as far as placement reads it: key, labels, image and
// the Pythons its setup-python steps ask for.
func plannedSpec(wp *plan.WorkflowPlan, jp *plan.JobPlan, root string) executor.JobSpec {
	spec := executor.JobSpec{Key: wp.File + ":" + jp.Key, Labels: jp.RunsOn, Image: jp.Image}
	if jp.Job == nil {
		return spec
	}
	if jp.Job.Container != nil {
		spec.Container = &executor.ContainerSpec{Image: jp.Image}
	}
	for _, py := range plannedPythons(jp, root) {
		spec.Tools = append(spec.Tools, executor.ToolRequest{Name: "python", Spec: py})
	}
	return spec
}

// plannedPythons are the versions a cell's setup-python steps ask for, as
// far as the plan can tell: literal values and the matrix, else the
// version file the step names, else .python-version, as the run reads
// them before a job starts. A value that needs another context (env,
// steps) is unknown here; the cell is then placed without it.
func plannedPythons(jp *plan.JobPlan, root string) []string {
	ctxs := map[string]expr.Value{"matrix": nil}
	if jp.Cell != nil {
		ctxs["matrix"] = jp.Cell
	}
	var out []string
	for _, s := range jp.Job.Steps {
		if s.Uses == nil || actions.ParseRef(s.Uses.Value).Name() != "actions/setup-python" {
			continue
		}
		in, known := plan.StepInputs(s, ctxs)
		if !known {
			continue
		}
		specs := toolchain.PythonSpecs(in, root)
		out = append(out, specs...)
	}
	return out
}

// writeText prints the forecast after the plan: the builders, then each
// container cell with where it would go and why, in start order.
func (f *forecast) writeText(w io.Writer) error {
	fmt.Fprintf(w, "\nBuilders (forecast, not a promise: %s)\n", strings.TrimPrefix(f.Note, "a forecast: "))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, b := range f.Builders {
		if !b.Reachable {
			fmt.Fprintf(tw, "  %s\tunreachable: %s\n", b.Name, b.Reason)
			continue
		}
		fmt.Fprintf(tw, "  %s\t%d slot%s\t%s\n", b.Name, b.Capacity, plural(b.Capacity), strings.Join(b.Platforms, ", "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(f.Cells) == 0 {
		_, err := fmt.Fprintln(w, "\nNo job cell runs in a container: nothing to place.")
		return err
	}
	fmt.Fprintln(w, "\nForecast placement")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  stage\tworkflow\tjob\tbuilder\twhy")
	for _, c := range f.Cells {
		where := c.Builder
		if c.Action != placement.Run.String() {
			where = "(" + c.Action + ")"
		}
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%s\n", c.Stage, c.Workflow, c.Name, where, c.Reason)
	}
	return tw.Flush()
}
