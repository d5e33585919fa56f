package progress

import (
	"strconv"
	"time"

	"github.com/rehearse-dev/rehearse/emulate/report"
)

// plain prints one prefixed line per thing that happens:
//
//	[Unit Tests (3.9)] job started in workflow "CI"
//	[Unit Tests (3.9)] > Run pytest
//	[Unit Tests (3.9)] ===== 2 passed in 0.03s =====
//	[Unit Tests (3.9)] < Run pytest: success (1.2s)
//	[Unit Tests (3.9)] job finished: success (12.3s)
//
// Each event is written with one Write call of whole lines, and only the
// drawing goroutine writes, so lines of parallel jobs never interleave
// mid-line (the guarantee go-task's prefixed output gets from its mutex).
// Plain ASCII markers keep the output readable in any editor or log
// viewer.
type plain struct {
	out  *output
	jobs map[string]*plainJob
	buf  []byte
}

// plainJob is what a job's later lines need from its earlier events.
type plainJob struct {
	start     time.Time
	step      string
	stepStart time.Time
}

func newPlain(out *output) *plain {
	return &plain{out: out, jobs: map[string]*plainJob{}}
}

func (p *plain) handle(e Event) {
	if e.Kind == Notice {
		p.out.write([]byte("rehearse: " + e.Line + "\n"))
		return
	}
	j := p.jobs[e.JobKey]
	if j == nil {
		j = &plainJob{}
		p.jobs[e.JobKey] = j
	}
	name := e.JobName
	if name == "" {
		name = e.JobKey
	}
	p.buf = p.buf[:0]
	switch e.Kind {
	case JobQueued:
		// Nothing to say yet; a queued job shows up when it starts.
	case JobStarted:
		j.start = e.Time
		msg := "job started"
		if e.Workflow != "" {
			msg += " in workflow " + strconv.Quote(e.Workflow)
		}
		p.add(name, msg)
	case StepStarted:
		j.step, j.stepStart = e.Step, e.Time
		p.add(name, "> "+e.Step)
	case Output:
		for _, l := range plainLines(e.Line) {
			p.add(name, l)
		}
	case StepFinished:
		msg := "< " + e.Step + ": " + conclusionText(e.Conclusion)
		if j.step == e.Step && !j.stepStart.IsZero() {
			msg += " (" + report.FormatDuration(e.Time.Sub(j.stepStart)) + ")"
		}
		j.step, j.stepStart = "", time.Time{}
		p.add(name, msg)
	case JobFinished:
		msg := "job finished: " + conclusionText(e.Conclusion)
		if !j.start.IsZero() {
			msg += " (" + report.FormatDuration(e.Time.Sub(j.start)) + ")"
		}
		delete(p.jobs, e.JobKey)
		p.add(name, msg)
	}
	p.out.write(p.buf)
}

// add appends one prefixed line. An empty line gets no trailing blank.
func (p *plain) add(name, line string) {
	p.buf = append(p.buf, '[')
	p.buf = append(p.buf, name...)
	p.buf = append(p.buf, ']')
	if line != "" {
		p.buf = append(p.buf, ' ')
		p.buf = append(p.buf, line...)
	}
	p.buf = append(p.buf, '\n')
}

func (p *plain) tick()      {}
func (p *plain) finish()    {}
func (p *plain) err() error { return p.out.err }

func conclusionText(c report.Conclusion) string { return c.Text() }
