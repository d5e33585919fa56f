package placement

import (
	"fmt"
	"strings"
)

// Affinity scores: a warm pip cache outweighs a held image, as a cold pip
// install of a test suite's dependencies (downloads, wheel builds) usually
// costs more than pulling an image that every cell of the run shares and
// that most builders soon hold.
const (
	scoreImage = 1
	scorePip   = 2
)

// decide applies the rules to c and returns the decision with the builder
// chosen on Run. p.mu is held.
func (p *Placer) decide(c Cell) (Decision, *builderState) {
	plat := formatPlatform(c.Platform)
	losses := p.losses[c.Key]
	if len(losses) >= 2 {
		parts := make([]string, len(losses))
		for i, l := range losses {
			parts[i] = fmt.Sprintf("%s was lost (%s)", l.builder, l.why)
		}
		return Decision{Action: Fail, Reason: "lost twice to a builder: " + strings.Join(parts, ", then "), Retry: true}, nil
	}

	// capable can run the platform; up of those can take cells now.
	var capable, up []*builderState
	for _, b := range p.builders {
		if !b.runs(c.Platform) {
			continue
		}
		capable = append(capable, b)
		if b.Reachable && !b.lost {
			up = append(up, b)
		}
	}
	if len(up) == 0 {
		if len(losses) == 1 {
			return Decision{Action: Fail, Retry: true, Reason: fmt.Sprintf("%s was lost: %s; no other builder can run %s",
				losses[0].builder, losses[0].why, plat)}, nil
		}
		return Decision{Action: NoBuilder, Reason: p.noBuilderReason(c, capable)}, nil
	}

	var best *builderState
	bestScore := -1
	var missed *builderState // the best-scoring builder passed over as full
	missedScore := 0
	free := 0
	for _, b := range up {
		score := p.score(b, c)
		if b.busy >= b.Capacity() {
			if score > missedScore {
				missed, missedScore = b, score
			}
			continue
		}
		free++
		if score > bestScore || score == bestScore && lessLoaded(b, best) {
			best, bestScore = b, score
		}
	}

	retryNote := ""
	if len(losses) == 1 {
		retryNote = fmt.Sprintf("after %s was lost: %s; ", losses[0].builder, losses[0].why)
	}
	if best == nil {
		return Decision{Action: Wait, Retry: retryNote != "", Reason: waitPrefix(retryNote) + busyReason(plat, up)}, nil
	}

	slots := fmt.Sprintf("%d of %d slots busy", best.busy, best.Capacity())
	var reason string
	switch {
	case len(up) == 1:
		reason = fmt.Sprintf("only builder with %s (%s)", plat, slots)
	case bestScore > 0:
		reason = fmt.Sprintf("%s (%s)", holds(bestScore), slots)
	case free == 1:
		reason = fmt.Sprintf("only builder with %s and a free slot (%s)", plat, slots)
	default:
		reason = fmt.Sprintf("least loaded (%s)", slots)
	}
	if missedScore > bestScore {
		reason += fmt.Sprintf("; %s %s but is full", missed.Name, holds(missedScore))
	}
	if retryNote != "" {
		reason = fmt.Sprintf("retried on %s %s%s", best.Name, retryNote, reason)
	}
	return Decision{Action: Run, Builder: best.Name, Reason: reason, Retry: retryNote != ""}, best
}

// score is how much of what c needs b holds now, by the builder's own
// report and the record entries that report still bears out.
func (p *Placer) score(b *builderState, c Cell) int {
	s := 0
	if p.pipWarm(b, c) {
		s += scorePip
	}
	if p.holdsImage(b, c) {
		s += scoreImage
	}
	return s
}

// holdsImage: the builder reports the image's digest. Without a digest in
// the cell, the record says which digest the builder last ran the
// reference at, and the builder must still report that one.
func (p *Placer) holdsImage(b *builderState, c Cell) bool {
	d := c.ImageDigest
	if d == "" && c.Image != "" {
		d = p.record.digest(b.Name, c.Image)
	}
	return d != "" && b.Images[d]
}

// pipWarm: the record says a cell with c's dependency key ran on b, and b
// still reports the pip cache mount, made before that entry (a mount made
// after it was pruned and made again, empty).
func (p *Placer) pipWarm(b *builderState, c Cell) bool {
	if c.DepKey == "" || !b.PipCache.Present {
		return false
	}
	at := p.record.depSince(b.Name, c.DepKey)
	return !at.IsZero() && !at.Before(b.PipCache.Created)
}

// lessLoaded reports whether a has a smaller share of its slots busy than
// b; equal shares are not less, so the builder given first wins a tie.
func lessLoaded(a, b *builderState) bool {
	if b == nil {
		return true
	}
	return a.busy*b.Capacity() < b.busy*a.Capacity()
}

func holds(score int) string {
	switch score {
	case scorePip + scoreImage:
		return "holds image and warm pip cache"
	case scorePip:
		return "holds warm pip cache"
	}
	return "holds image"
}

func waitPrefix(retryNote string) string {
	if retryNote == "" {
		return ""
	}
	return "to be retried " + retryNote
}

// busyReason says why a cell waits: every builder that could take it is
// full.
func busyReason(plat string, up []*builderState) string {
	if len(up) == 1 {
		b := up[0]
		return fmt.Sprintf("the only builder with %s, %s, is busy (%d of %d slots)", plat, b.Name, b.busy, b.Capacity())
	}
	busy, slots := 0, 0
	for _, b := range up {
		busy += b.busy
		slots += b.Capacity()
	}
	return fmt.Sprintf("all %d builders with %s are busy (%d of %d slots)", len(up), plat, busy, slots)
}

// noBuilderReason says why no builder can take a cell of platform p: none
// runs it, or those that do are unreachable or lost. An unreachable
// builder may never have said which platforms it runs, so it is named
// unless it is known to run others.
func (p *Placer) noBuilderReason(c Cell, capable []*builderState) string {
	plat := formatPlatform(c.Platform)
	if len(p.builders) == 0 {
		return "no builders: give one with --builder"
	}
	var down []string
	var reachable []*builderState
	for _, b := range p.builders {
		switch {
		case b.lost:
			if b.runs(c.Platform) {
				down = append(down, fmt.Sprintf("%s was lost (%s)", b.Name, b.lostWhy))
			}
		case !b.Reachable:
			if len(b.Platforms) == 0 || b.runs(c.Platform) {
				down = append(down, fmt.Sprintf("%s is unreachable (%s)", b.Name, b.Why))
			}
		}
		if b.Reachable {
			reachable = append(reachable, b)
		}
	}
	var reason string
	if len(capable) > 0 {
		reason = fmt.Sprintf("no reachable builder can run %s", plat)
	} else {
		reason = fmt.Sprintf("no builder can run %s: the reachable builders run %s", plat, platformList(reachable))
	}
	if len(down) > 0 {
		reason += "; " + strings.Join(down, ", ")
	}
	return reason
}
