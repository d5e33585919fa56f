package placement

// Action is what a [Decision] tells the caller to do with a cell.
type Action int

// The actions.
const (
	// Run: start the cell on the decision's builder, whose slot is now
	// taken; call [Placer.Finish] when it ends.
	Run Action = iota
	// Wait: every builder that can run the cell is busy; place it again
	// when a cell finishes. The caller counts the time as queue time.
	Wait
	// NoBuilder: no builder of the fleet can run the cell's platform (or
	// none that can is reachable); the cell is not run, as a cell of
	// another OS is not.
	NoBuilder
	// Fail: the cell was lost twice to a builder, or lost once with no
	// other builder left for it; it is reported as failed because of the
	// builder, not as a test failure.
	Fail
)

// String is the action's name in reports and tests.
func (a Action) String() string {
	switch a {
	case Run:
		return "run"
	case Wait:
		return "wait"
	case NoBuilder:
		return "no builder"
	case Fail:
		return "fail"
	}
	return "unknown"
}

// Decision is where a cell goes, or why it does not go anywhere now.
type Decision struct {
	Action Action
	// Builder is the builder's name when Action is Run.
	Builder string
	// Reason says why, for `plan --builders` and the report: "holds image
	// and warm pip cache (1 of 4 slots busy)", "only builder with
	// linux/arm64", "retried on b2 after b1 was lost: ...".
	Reason string
	// Retry is set when the cell was lost before: the report shows it as
	// retried, with the reason.
	Retry bool
}
