package report

// Exit statuses returned by [ExitCode]; they are the same numbers as main's
// ExitSuccess, ExitFailure and ExitInterrupted, which main documents.
const (
	exitSuccess     = 0
	exitFailure     = 1
	exitInterrupted = 130
)

// Conclude sets every [WorkflowResult.Conclusion] and [Report.Conclusion]
// from the jobs' conclusions, as GitHub concludes a workflow run:
//
//   - failure if a job failed, unless the job has continue-on-error;
//   - otherwise cancelled if a job was cancelled;
//   - otherwise success. Skipped jobs do not fail a run (GitHub reports a
//     job skipped by `if:` as passing), and neither do cells that could not
//     run on this machine.
//
// An invalid workflow file is a failed workflow, as GitHub shows it. The
// run's conclusion applies the same rule to the workflows.
func Conclude(r *Report) {
	var runFailed, runCancelled bool
	for _, w := range r.Workflows {
		for _, j := range w.Jobs {
			if j.Conclusion == Failure && j.Hint == "" {
				j.Hint = NetworkHint(j.LogTail)
			}
		}
		w.Conclusion = concludeWorkflow(w)
		switch w.Conclusion {
		case Failure:
			runFailed = true
		case Cancelled:
			runCancelled = true
		}
	}
	r.Conclusion = pick(runFailed, runCancelled)
}

// concludeWorkflow is one workflow's conclusion.
func concludeWorkflow(w *WorkflowResult) Conclusion {
	if w.Invalid {
		return Failure
	}
	var failed, cancelled bool
	for _, j := range w.Jobs {
		switch j.Conclusion {
		case Failure:
			if !j.ContinueOnError {
				failed = true
			}
		case Cancelled:
			cancelled = true
		}
	}
	return pick(failed, cancelled)
}

func pick(failed, cancelled bool) Conclusion {
	switch {
	case failed:
		return Failure
	case cancelled:
		return Cancelled
	}
	return Success
}

// ExitCode is the process exit status for r: 0 when the run succeeded, 1
// when it failed, 130 when it was cancelled: fail-fast cancels cells only
// after another job failed, so a run whose conclusion is cancelled is one
// that was interrupted (Ctrl-C). It reads [Report.Conclusion], or works it out as [Conclude] would
// when that is unset, without changing r.
func ExitCode(r *Report) int {
	switch runConclusion(r) {
	case Failure:
		return exitFailure
	case Cancelled:
		return exitInterrupted
	}
	return exitSuccess
}

// runConclusion is r.Conclusion, or what [Conclude] would set it to.
func runConclusion(r *Report) Conclusion {
	if r.Conclusion != "" {
		return r.Conclusion
	}
	var failed, cancelled bool
	for _, w := range r.Workflows {
		switch concludeWorkflow(w) {
		case Failure:
			failed = true
		case Cancelled:
			cancelled = true
		}
	}
	return pick(failed, cancelled)
}
