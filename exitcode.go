package main

// Exit statuses of rehearse, documented in the README.
const (
	// ExitSuccess: every job that ran succeeded (skips by design and cells
	// that cannot run on this machine do not fail a run); lint found nothing.
	ExitSuccess = 0
	// ExitFailure: a job failed.
	ExitFailure = 1
	// ExitInvalid: usage error, invalid workflow, missing file, unreachable
	// service; lint found something.
	ExitInvalid = 2
	// ExitInterrupted: cancelled with Ctrl-C (SIGINT) or SIGTERM.
	ExitInterrupted = 130
)
