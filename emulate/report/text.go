package report

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/mattn/go-runewidth"
)

// TextOptions changes how [WriteText] prints.
type TextOptions struct {
	// Color adds ANSI colors to symbols, conclusions and headings, for a
	// terminal. Annotation lines stay plain in every mode, so a problem
	// matcher reading a colored terminal still matches them.
	Color bool
	// TailLines is how many of a failed job's last output lines to print;
	// 0 prints every line [JobResult.LogTail] holds.
	TailLines int
}

// WriteText prints r as the summary at the end of a run, in this order:
//
//   - every job cell, grouped by workflow, like GitHub's checks list:
//     symbol, `workflow / job (matrix)`, conclusion, duration, and why it
//     was skipped, cancelled or not run;
//   - each failed job's failing step and the last lines of its output;
//   - all annotations, one `path:line:col: level: message` line each;
//   - the step summaries (GITHUB_STEP_SUMMARY markdown, printed as is);
//   - the artifacts and the log directory;
//   - a last line with the run's conclusion and how many jobs ended how.
//
// Sections with nothing in them are left out. r should have been through
// [Conclude]; an unset conclusion is worked out without changing r.
func WriteText(w io.Writer, r *Report, o TextOptions) error {
	// The summary is built whole and written once, so a reader on a pipe
	// never sees half of it and there is one error to check.
	p := &textPrinter{color: o.Color}
	p.jobs(r)
	p.failures(r, o.TailLines)
	p.annotations(r)
	p.summaries(r)
	p.artifacts(r)
	p.ranOn(r)
	p.builders(r)
	p.logs(r)
	p.total(r)
	if _, err := w.Write(p.b.Bytes()); err != nil {
		return fmt.Errorf("could not write the summary: %w", err)
	}
	return nil
}

// textPrinter accumulates the summary.
type textPrinter struct {
	b     bytes.Buffer
	color bool
}

// section starts a section, separated from the previous one by a blank
// line. An empty title starts a section without a heading.
func (p *textPrinter) section(title string) {
	if p.b.Len() > 0 {
		p.b.WriteByte('\n')
	}
	if title != "" {
		p.line(p.bold(title))
	}
}

// line writes one line, without trailing blanks (columns are padded).
func (p *textPrinter) line(s string) {
	p.b.WriteString(strings.TrimRight(s, " "))
	p.b.WriteByte('\n')
}

func (p *textPrinter) bold(s string) string {
	if !p.color {
		return s
	}
	return "\x1b[1m" + s + ANSIReset
}

// jobName is a job's line in the checks list: `workflow / job (matrix)`.
// The job's Name is already the display name with its matrix values.
func jobName(w *WorkflowResult, j *JobResult) string {
	name := j.Name
	if name == "" {
		name = j.ID
	}
	if wf := workflowName(w); wf != "" {
		return wf + " / " + name
	}
	return name
}

// workflowName is the workflow's `name:`, or its file as GitHub falls back
// to the path when a workflow has no name.
func workflowName(w *WorkflowResult) string {
	if w.Name != "" {
		return w.Name
	}
	return w.File
}

// jobs prints the checks list, one group per workflow, with the name,
// conclusion and duration columns aligned over all groups.
func (p *textPrinter) jobs(r *Report) {
	var nameW, conclW, durW int
	for _, w := range r.Workflows {
		for _, j := range w.Jobs {
			nameW = max(nameW, runewidth.StringWidth(jobName(w, j)))
			conclW = max(conclW, len(conclusionText(j)))
			durW = max(durW, len(jobDuration(j)))
		}
	}
	for _, w := range r.Workflows {
		head := workflowName(w)
		if w.Name != "" && w.File != "" && w.Name != w.File {
			head += " (" + w.File + ")"
		}
		p.section(head)
		if w.Invalid {
			// As GitHub shows it: a failed run with the file's errors.
			p.line("  " + Failure.paint(Failure.Symbol(), p.color) + " " + Failure.paint("invalid workflow file", p.color) + ": GitHub would refuse it; no job ran")
			for _, e := range w.Errors {
				p.line("    " + e)
			}
		}
		for _, j := range w.Jobs {
			c := conclusionText(j)
			line := "  " + j.Conclusion.paint(j.Conclusion.Symbol(), p.color) + " " +
				runewidth.FillRight(jobName(w, j), nameW) + "  " +
				j.Conclusion.paint(c, p.color) + strings.Repeat(" ", conclW-len(c))
			if durW > 0 {
				line += "  " + fmt.Sprintf("%*s", durW, jobDuration(j))
			}
			if note := jobNote(j); note != "" {
				line += "  " + note
			}
			p.line(line)
		}
	}
}

// conclusionText is the conclusion column.
func conclusionText(j *JobResult) string { return j.Conclusion.Text() }

// jobDuration is empty for jobs that never started: a skipped job or a
// cell not run locally has no duration, and "0.0s" would suggest it ran.
func jobDuration(j *JobResult) string {
	if j.Conclusion == Skipped || j.Conclusion == NotRunLocally || (j.DurationMS == 0 && len(j.Steps) == 0) {
		return ""
	}
	return FormatDuration(ms(j.DurationMS))
}

// jobNote is the text after the duration: why the job ended as it did.
func jobNote(j *JobResult) string {
	note := j.Reason
	if j.Conclusion == Failure && j.ContinueOnError {
		note = strings.TrimSpace("continue-on-error " + note)
	}
	return note
}

// failures prints, for each failed job, its failing step and the end of
// its output. The tail is indented so a problem matcher does not read a
// compiler message in it as a second copy of an annotation.
func (p *textPrinter) failures(r *Report, tail int) {
	for _, w := range r.Workflows {
		for _, j := range w.Jobs {
			if j.Conclusion != Failure {
				continue
			}
			head := Failure.paint(Failure.Symbol(), p.color) + " " + p.bold(jobName(w, j))
			if j.FailedStep != "" {
				head += ": step " + strconv.Quote(j.FailedStep) + " failed"
			} else {
				head += ": failed"
			}
			p.section("")
			p.line(head)
			if j.Reason != "" {
				p.line("  " + j.Reason)
			}
			if j.Hint != "" {
				p.line("  hint: " + j.Hint)
			}
			lines := j.LogTail
			if tail > 0 && len(lines) > tail {
				lines = lines[len(lines)-tail:]
			}
			if len(lines) == 0 {
				p.line("  (no output)")
			}
			for _, l := range lines {
				p.line("  │ " + l)
			}
			if j.LogFile != "" {
				p.line("  full log: " + j.LogFile)
			}
		}
	}
}

// annotations prints every annotation once, in position order. These lines
// are never colored and never indented: they are what the problem matcher
// reads. A multi-line message continues on indented lines.
func (p *textPrinter) annotations(r *Report) {
	all := allAnnotations(r)
	if len(all) == 0 {
		return
	}
	p.section("Annotations")
	from := annotationJobs(r)
	for _, a := range all {
		p.line(a.String())
		for _, l := range a.continuation() {
			p.line("    " + l)
		}
		// Which jobs reported it, on an indented line the problem matcher
		// does not read (identical annotations of many cells are one line).
		if jobs := from[a.key()]; len(jobs) > 0 {
			p.line("    from " + listJobs(jobs))
		}
	}
}

// annotationJobs maps each annotation to the jobs that reported it.
func annotationJobs(r *Report) map[string][]string {
	out := map[string][]string{}
	for _, w := range r.Workflows {
		for _, j := range w.Jobs {
			for _, a := range j.Annotations {
				k := a.key()
				if n := jobName(w, j); !slices.Contains(out[k], n) {
					out[k] = append(out[k], n)
				}
			}
		}
	}
	return out
}

// listJobs names up to three jobs and counts the rest.
func listJobs(jobs []string) string {
	if len(jobs) <= 3 {
		return strings.Join(jobs, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(jobs[:3], ", "), len(jobs)-3)
}

// summaries prints each job's step summary markdown as it was written,
// indented under the job's name.
func (p *textPrinter) summaries(r *Report) {
	first := true
	for _, w := range r.Workflows {
		for _, j := range w.Jobs {
			md := strings.TrimRight(strings.ReplaceAll(j.Summary, "\r\n", "\n"), "\n \t")
			if strings.TrimSpace(md) == "" {
				continue
			}
			if first {
				p.section("Step summaries")
				first = false
			}
			p.line("  " + jobName(w, j))
			for l := range strings.SplitSeq(md, "\n") {
				p.line("    " + l)
			}
		}
	}
}

// artifacts prints one aligned line per uploaded artifact.
func (p *textPrinter) artifacts(r *Report) {
	if len(r.Artifacts) == 0 {
		return
	}
	p.section("Artifacts")
	var nameW, jobW, filesW, sizeW int
	for _, a := range r.Artifacts {
		nameW = max(nameW, runewidth.StringWidth(a.Name))
		jobW = max(jobW, runewidth.StringWidth(a.Job))
		filesW = max(filesW, len(fileCount(a.Files)))
		sizeW = max(sizeW, len(FormatSize(a.Size)))
	}
	for _, a := range r.Artifacts {
		p.line("  " + runewidth.FillRight(a.Name, nameW) + "  " +
			runewidth.FillRight(a.Job, jobW) + "  " +
			fmt.Sprintf("%*s  %*s", filesW, fileCount(a.Files), sizeW, FormatSize(a.Size)) + "  " +
			a.Path)
	}
}

func fileCount(n int) string {
	if n == 1 {
		return "1 file"
	}
	return strconv.Itoa(n) + " files"
}

// FormatSize prints a byte count with binary units: "512 B", "1.5 KiB".
func FormatSize(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTP"[exp])
}

// ranOn says where the jobs ran: which executor, and for containers which
// builder and image, with how many jobs each.
func (p *textPrinter) ranOn(r *Report) {
	type where struct{ executor, builder, image string }
	counts := map[where]int{}
	var order []where
	for _, w := range r.Workflows {
		for _, j := range w.Jobs {
			if j.Executor == "" {
				continue
			}
			k := where{j.Executor, j.Builder, j.Image}
			if counts[k] == 0 {
				order = append(order, k)
			}
			counts[k]++
		}
	}
	if len(order) == 0 {
		return
	}
	p.section("")
	for _, k := range order {
		line := "Ran on: " + k.executor
		if k.builder != "" {
			line += " (BuildKit at " + k.builder + ")"
		}
		if k.image != "" {
			line += " in " + k.image
		}
		p.line(fmt.Sprintf("%s: %d job%s", line, counts[k], plural(counts[k])))
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// logs names the directory that holds every job's full log.
func (p *textPrinter) logs(r *Report) {
	if r.LogDir == "" {
		return
	}
	p.section("")
	p.line("Logs: " + r.LogDir)
}

// total prints the last line: the run's conclusion and the counts, e.g.
// "✗ failure: 3 succeeded, 1 failed, 7 not run locally, 2 skipped in 1m05s".
func (p *textPrinter) total(r *Report) {
	c := runConclusion(r)
	var succeeded, failed, allowed, cancelled, notRun, skipped, unknown, invalid int
	for _, w := range r.Workflows {
		if w.Invalid {
			invalid++
		}
		for _, j := range w.Jobs {
			switch j.Conclusion {
			case Success:
				succeeded++
			case Failure:
				if j.ContinueOnError {
					allowed++
				} else {
					failed++
				}
			case Cancelled:
				cancelled++
			case NotRunLocally:
				notRun++
			case Skipped:
				skipped++
			default:
				unknown++
			}
		}
	}
	var parts []string
	add := func(n int, what string) {
		if n > 0 {
			parts = append(parts, strconv.Itoa(n)+" "+what)
		}
	}
	add(succeeded, "succeeded")
	add(failed, "failed")
	add(allowed, "failed with continue-on-error")
	add(cancelled, "cancelled")
	add(notRun, "not run locally")
	add(skipped, "skipped")
	add(unknown, "unknown")
	if invalid > 0 {
		parts = append(parts, fmt.Sprintf("%d invalid workflow file%s", invalid, plural(invalid)))
	}
	if r.Partial {
		parts = append(parts, "partial result")
	}
	if len(parts) == 0 {
		parts = append(parts, "no jobs")
	}
	line := c.paint(c.Symbol()+" "+string(c), p.color) + ": " + strings.Join(parts, ", ")
	if r.DurationMS > 0 {
		line += " in " + FormatDuration(ms(r.DurationMS))
	}
	p.section("")
	p.line(line)
}
