package plan

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Summary counts the cells of a plan by status.
type Summary struct {
	Workflows, Triggered, Invalid             int
	Planned, Skipped, Deferred, NotRunLocally int
}

// Summarize counts cells by status.
func (p *Plan) Summarize() Summary {
	var s Summary
	for _, w := range p.Workflows {
		s.Workflows++
		if w.Triggered {
			s.Triggered++
		}
		if w.Invalid {
			s.Invalid++
		}
		for _, j := range w.Jobs {
			switch j.Status {
			case StatusPlanned:
				s.Planned++
			case StatusSkipped:
				s.Skipped++
			case StatusDeferred:
				s.Deferred++
			case StatusNotRunLocally:
				s.NotRunLocally++
			}
		}
	}
	return s
}

// WriteText prints the plan for a person: per workflow, the stages of the
// needs graph with each cell's runner and status, then each job's steps.
func WriteText(w io.Writer, p *Plan) error {
	for i, wp := range p.Workflows {
		if i > 0 {
			fmt.Fprintln(w)
		}
		head := fmt.Sprintf("%s (%s)", wp.Name, wp.File)
		switch {
		case wp.Invalid:
			fmt.Fprintf(w, "%s: invalid workflow file\n", head)
			continue
		case !wp.Triggered:
			fmt.Fprintf(w, "%s: not triggered by %s: %s\n", head, wp.Event, wp.Reason)
			continue
		}
		fmt.Fprintf(w, "%s: triggered by %s\n", head, wp.Event)
		writeStages(w, wp)
		writeSteps(w, wp)
	}
	s := p.Summarize()
	fmt.Fprintf(w, "\n%d of %d workflow%s triggered; %d job%s planned", s.Triggered, s.Workflows, plural(s.Workflows), s.Planned, plural(s.Planned))
	if s.Deferred > 0 {
		fmt.Fprintf(w, ", %d resolved at run time", s.Deferred)
	}
	if s.Skipped > 0 {
		fmt.Fprintf(w, ", %d skipped", s.Skipped)
	}
	if s.NotRunLocally > 0 {
		fmt.Fprintf(w, ", %d not run locally", s.NotRunLocally)
	}
	if s.Invalid > 0 {
		fmt.Fprintf(w, "; %d invalid", s.Invalid)
	}
	fmt.Fprintln(w)
	return nil
}

func writeStages(w io.Writer, wp *WorkflowPlan) {
	maxStage := 0
	for _, j := range wp.Jobs {
		maxStage = max(maxStage, j.Stage)
	}
	for st := 1; st <= maxStage; st++ {
		fmt.Fprintf(w, "  stage %d\n", st)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, j := range wp.Jobs {
			if j.Stage != st {
				continue
			}
			how := string(j.Status)
			if j.Status == StatusPlanned {
				how = "runs on " + j.Runner
				if j.Runner == RunnerContainer && j.Image != "" {
					how = "runs in a container of " + j.Image
				}
			}
			if j.Reason != "" {
				how += ": " + j.Reason
			}
			needs := ""
			if len(j.Needs) > 0 {
				needs = "needs " + strings.Join(j.Needs, ", ")
			}
			fmt.Fprintf(tw, "    %s\t%s\t%s\t%s\t%s\n", j.Key, j.Name, strings.Join(j.RunsOn, ","), needs, how)
		}
		tw.Flush()
	}
}

func writeSteps(w io.Writer, wp *WorkflowPlan) {
	seen := map[string]bool{}
	for _, j := range wp.Jobs {
		if len(j.Notes) > 0 {
			for _, n := range j.Notes {
				if !seen[n] {
					seen[n] = true
					fmt.Fprintf(w, "  note: %s: %s\n", j.Name, n)
				}
			}
		}
	}
	done := map[string]bool{}
	for _, j := range wp.Jobs {
		// One listing per job id: cells share their steps; a step skipped in
		// some cells only says so in its note.
		if done[needKey(j)] {
			continue
		}
		done[needKey(j)] = true
		fmt.Fprintf(w, "  steps of %s:\n", needKey(j))
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for i, s := range j.Steps {
			what := string(s.Kind)
			if s.Uses != "" {
				what += " " + s.Uses
			}
			note := s.Note
			if s.If != "" && !s.Skip {
				note = strings.TrimSpace("if: " + strings.TrimSpace(s.If) + " " + note)
			}
			fmt.Fprintf(tw, "    %d\t%s\t%s\t%s\n", i+1, s.Name, what, note)
		}
		tw.Flush()
	}
}

// WriteList prints the compact table of `rehearse list`.
func WriteList(w io.Writer, p *Plan) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STAGE\tJOB ID\tNAME\tCELLS\tWORKFLOW\tFILE\tEVENTS")
	for _, wp := range p.Workflows {
		events := ""
		if wp.Workflow != nil {
			var names []string
			for _, t := range wp.Workflow.Triggers {
				names = append(names, t.Event)
			}
			events = strings.Join(names, ",")
		}
		if wp.Invalid {
			fmt.Fprintf(tw, "-\t-\t-\t-\t%s\t%s\t%s\n", wp.Name, wp.File, "invalid")
			continue
		}
		type row struct {
			stage int
			id    string
			name  string
			cells int
		}
		var rows []*row
		byID := map[string]*row{}
		for _, j := range wp.Jobs {
			id := needKey(j)
			r := byID[id]
			if r == nil {
				r = &row{stage: j.Stage, id: id, name: j.Job.DisplayName()}
				if j.Callee != nil {
					r.name = j.Caller.DisplayName() + " / " + j.Job.DisplayName()
				}
				byID[id] = r
				rows = append(rows, r)
			}
			r.cells++
		}
		if len(rows) == 0 && wp.Workflow != nil {
			for _, j := range wp.Workflow.Jobs {
				fmt.Fprintf(tw, "-\t%s\t%s\t-\t%s\t%s\t%s\n", j.ID, j.DisplayName(), wp.Name, wp.File, events)
			}
			continue
		}
		for _, r := range rows {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\t%s\n", r.stage, r.id, r.name, r.cells, wp.Name, wp.File, events)
		}
	}
	return tw.Flush()
}

// plural is the "s" of a count's noun.
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
