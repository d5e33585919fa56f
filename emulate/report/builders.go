package report

import (
	"fmt"
)

// builders lists, for a run spread over several builders, which builder
// ran each job cell, how long it waited for one, and the cells that ran
// again after their builder was lost.
func (p *textPrinter) builders(r *Report) {
	started := false
	for _, w := range r.Workflows {
		for _, j := range w.Jobs {
			if j.Placement == "" && j.Retried == "" {
				continue
			}
			if !started {
				p.section("Builders")
				started = true
			}
			line := "  " + jobName(w, j) + ": "
			if j.Builder != "" {
				line += j.Builder
			} else {
				line += "no builder"
			}
			if j.QueueMS > 0 {
				line += fmt.Sprintf(", waited %s for it", FormatDuration(ms(j.QueueMS)))
			}
			if j.Placement != "" {
				line += " (" + j.Placement + ")"
			}
			p.line(line)
			if j.Retried != "" {
				p.line("    retried: " + j.Retried)
			}
		}
	}
}
