package placement

// Forecast says where cells would go if they were placed now, in the order
// given, without changing the placer: what `plan --builders` shows. It
// assumes cells of equal length, so when a cell would wait, the cell that
// started first finishes first and frees its slot (and leaves its image
// and pip cache behind, as in a run); such a cell's reason starts with
// "after a wait for a slot: ". A real run differs where cells differ in
// length, which is why the plan marks it a forecast.
func (p *Placer) Forecast(cells []Cell) []Decision {
	p.mu.Lock()
	f := p.clone()
	p.mu.Unlock()

	// started is the forecast's own cells in start order; cells already
	// running when it began are left running, as their length is unknown.
	var started []string
	out := make([]Decision, len(cells))
	for i, c := range cells {
		d := f.Place(c)
		waited := false
		for d.Action == Wait && len(started) > 0 {
			f.Finish(started[0], "")
			started = started[1:]
			waited = true
			d = f.Place(c)
		}
		if d.Action == Run {
			started = append(started, c.Key)
			if waited {
				d.Reason = "after a wait for a slot: " + d.Reason
			}
		}
		out[i] = d
	}
	return out
}
