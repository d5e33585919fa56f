package plan

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

// Select narrows the plan to the -j jobs (with what they need, unless
// noDeps) and the matrix cells that --matrix KEY=VALUE keeps.
//
// Jobs are handled as the needs graph names them: by job id, and as
// "caller/callee" for the jobs of a called reusable workflow (the plan's
// keys). -j matches a job id or the id of a job calling a reusable
// workflow, which selects every job of the called workflow; a need naming
// such a caller keeps every called job, as the scheduler waits for them
// all.
//
// --matrix narrows only the cells that have its key, and with -j only the
// cells of the -j jobs: a job it needs keeps all its cells, and a job
// without the key is kept whole, since dropping either would leave its
// dependents skipped ("a job it needs did not succeed"). A filter that
// keeps no cell at all is a usage error naming the keys there are.
func (p *Plan) Select(ids []string, cellFilter map[string]string, noDeps bool) error {
	if len(ids) == 0 && len(cellFilter) == 0 {
		return nil
	}
	// groupOf is the id other jobs name in needs: the job id, or
	// "caller/callee" for a called job. Lower-cased: ids are
	// case-insensitive.
	groupOf := func(j *JobPlan) string {
		if i := strings.LastIndex(j.Key, "/"); i >= 0 && j.Caller != nil {
			return strings.ToLower(j.Key[:i+1] + j.ID)
		}
		return strings.ToLower(j.ID)
	}
	matched := map[string]bool{} // -j ids, lower-cased, that named a job
	keepOf := make([]map[string]bool, len(p.Workflows))
	var targets []*JobPlan // the cells --matrix narrows
	isTarget := map[*JobPlan]bool{}
	for wi, w := range p.Workflows {
		groups := map[string][]*JobPlan{}
		for _, j := range w.Jobs {
			groups[groupOf(j)] = append(groups[groupOf(j)], j)
		}
		// needed is the groups a need waits for: the named job, or every
		// job of the reusable workflow a caller calls.
		needed := func(need string) []string {
			need = strings.ToLower(need)
			if _, ok := groups[need]; ok {
				return []string{need}
			}
			var out []string
			for g := range groups {
				if strings.HasPrefix(g, need+"/") {
					out = append(out, g)
				}
			}
			return out
		}
		keep := map[string]bool{}
		var add func(g string)
		add = func(g string) {
			if keep[g] {
				return
			}
			keep[g] = true
			if noDeps {
				return
			}
			for _, j := range groups[g] {
				for _, n := range j.Needs {
					for _, d := range needed(n) {
						add(d)
					}
				}
			}
		}
		target := map[string]bool{}
		if len(ids) == 0 {
			for g := range groups {
				keep[g], target[g] = true, true
			}
		}
		for _, id := range ids {
			for _, j := range w.Jobs {
				// The job id, the caller's id, or the caller/callee id that
				// `rehearse list` shows for a called workflow's job.
				if strings.EqualFold(j.ID, id) || (j.Caller != nil && (strings.EqualFold(j.Caller.ID, id) || strings.EqualFold(groupOf(j), id))) {
					matched[strings.ToLower(id)] = true
					target[groupOf(j)] = true
					add(groupOf(j))
				}
			}
		}
		keepOf[wi] = keep
		for _, j := range w.Jobs {
			if target[groupOf(j)] {
				targets, isTarget[j] = append(targets, j), true
			}
		}
	}
	var unknown []string
	for _, id := range ids {
		if !matched[strings.ToLower(id)] && !slices.Contains(unknown, id) {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) > 0 {
		// The job may exist in a workflow the event does not trigger: say so.
		for _, id := range unknown {
			for _, w := range p.Workflows {
				if w.Triggered || w.Workflow == nil {
					continue
				}
				for _, j := range w.Workflow.Jobs {
					if strings.EqualFold(j.ID, id) {
						return fmt.Errorf("job %q is in %s, which is not triggered: %s", id, w.File, w.Reason)
					}
				}
			}
		}
		return fmt.Errorf("no job with id %q in the selected workflows; rehearse list shows the job ids", strings.Join(unknown, ", "))
	}
	// Each KEY=VALUE must name a key and a value of the cells it narrows,
	// and together they must keep one of them: a mistyped key would
	// otherwise run everything (cells without it are kept), a mistyped
	// value nothing.
	if len(cellFilter) > 0 {
		scope := "the selected workflows"
		if len(ids) > 0 {
			scope = "the selected jobs"
		}
		var keys []string               // the cells' keys, in matrix order
		values := map[string][]string{} // lower-cased key: its values
		hint, kept := "", 0
		for _, j := range targets {
			if j.Status == StatusDeferred {
				hint = fmt.Sprintf("; the matrix of %q is computed at run time and cannot be filtered", j.ID)
			}
			for _, k := range j.Cell.Keys() {
				lk := strings.ToLower(k)
				if _, ok := values[lk]; !ok {
					keys, values[lk] = append(keys, k), nil
				}
				v, _ := j.Cell.Get(k)
				if s := expr.ToString(v); !slices.Contains(values[lk], s) {
					values[lk] = append(values[lk], s)
				}
			}
			if filtered, ok := cellMatches(j.Cell, cellFilter); filtered && ok {
				kept++
			}
		}
		quoted := func(list []string) string {
			q := make([]string, len(list))
			for i, s := range list {
				q[i] = strconv.Quote(s)
			}
			return strings.Join(q, ", ")
		}
		var flags []string
		for _, k := range slices.Sorted(maps.Keys(cellFilter)) {
			want := cellFilter[k]
			flags = append(flags, fmt.Sprintf("--matrix %q", k+"="+want))
			vs, ok := values[strings.ToLower(k)]
			switch {
			case len(keys) == 0:
				return fmt.Errorf("--matrix %q: %s have no matrix%s", k+"="+want, scope, hint)
			case !ok:
				return fmt.Errorf("--matrix %q: no matrix cell of %s has the key %q; available keys are %s%s", k+"="+want, scope, k, quoted(keys), hint)
			case !slices.Contains(vs, want):
				return fmt.Errorf("--matrix %q: no matrix cell of %s has %s %q; available values are %s", k+"="+want, scope, k, want, quoted(vs))
			}
		}
		if kept == 0 {
			return fmt.Errorf("%s: no matrix cell of %s has all of these values; available keys are %s", strings.Join(flags, " "), scope, quoted(keys))
		}
	}

	for wi, w := range p.Workflows {
		keep := keepOf[wi]
		var jobs []*JobPlan
		for _, j := range w.Jobs {
			if !keep[groupOf(j)] {
				continue
			}
			if len(cellFilter) > 0 && isTarget[j] {
				if _, ok := cellMatches(j.Cell, cellFilter); !ok {
					continue
				}
			}
			jobs = append(jobs, j)
		}
		if noDeps {
			// The jobs it needs do not run, so they are not waited for;
			// needs among the selected jobs (the jobs of a called
			// workflow) still order them.
			for _, j := range jobs {
				var needs []string
				for _, n := range j.Needs {
					ln := strings.ToLower(n)
					if keep[ln] || slices.ContainsFunc(jobs, func(d *JobPlan) bool { return strings.HasPrefix(groupOf(d), ln+"/") }) {
						needs = append(needs, n)
					}
				}
				j.Needs = needs
			}
		}
		if len(jobs) == 0 && len(w.Jobs) > 0 {
			w.Triggered, w.Reason = false, "no selected job in this workflow"
		}
		w.Jobs = jobs
	}
	return nil
}

// cellMatches reports whether cell has any key of filter (filtered), and
// whether each key of filter it has has the wanted value (ok). Keys are
// case-insensitive, as in matrix.<key>; values compare as text.
func cellMatches(cell *expr.Object, filter map[string]string) (filtered, ok bool) {
	ok = true
	for k, want := range filter {
		v, has := cell.Get(k)
		if !has {
			continue
		}
		filtered = true
		if expr.ToString(v) != want {
			ok = false
		}
	}
	return filtered, ok
}
