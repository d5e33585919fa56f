// Package plan decides, before anything runs, what a run would do: which
// workflows the event triggers, every job and matrix cell by its GitHub
// display name, the needs graph in stages, where each cell runs on this
// machine (or why it cannot), the conditions that can already be decided,
// and how each step is treated (run, built-in action, local action, deploy
// step held back, unsupported action).
//
// The scheduler runs exactly the plan it is given, so `rehearse plan` and
// `rehearse run` cannot disagree.
package plan
