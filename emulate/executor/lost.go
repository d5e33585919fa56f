package executor

import "fmt"

// BuilderLostError is what a job's methods return once the builder it ran
// on was lost under it (unreachable, or its daemon died) in a run spread
// over several builders: the job's state is gone with it, and the run
// starts the cell again from the beginning on another builder.
type BuilderLostError struct {
	Builder string
	// Reason is the error that showed the loss, in a few words.
	Reason string
}

func (e *BuilderLostError) Error() string {
	return fmt.Sprintf("builder %s was lost: %s", e.Builder, e.Reason)
}

// Losable is a job whose builder can be lost under it; Lost returns the
// [*BuilderLostError] once it was, else nil.
type Losable interface {
	Lost() error
}

// LostCause is why j's builder was lost under it, or nil (also for a nil
// job, and a job of an executor that cannot lose one).
func LostCause(j Job) error {
	if l, ok := j.(Losable); ok {
		return l.Lost()
	}
	return nil
}

// BuilderFailedError is a cell that could not run because of its
// builders, not because of its own steps: lost twice, or lost once with
// no other builder left.
type BuilderFailedError struct {
	Reason string
}

func (e *BuilderFailedError) Error() string {
	return "failed because of the builder, not the job: " + e.Reason
}
