// Package run executes a plan: it schedules job cells over the needs graph,
// runs each job's steps with the runner's semantics through an
// executor.Executor, and collects a report.
//
// Event flow:
//
//	plan.Plan ──▶ scheduler ──(one goroutine per cell, waits on its needs,
//	               │            then takes a --jobs slot and a max-parallel slot)
//	               ▼
//	            jobRun ──▶ steps ──▶ executor.Job.Exec ──▶ stdout/stderr
//	               │                                          │
//	               │                 lineWriter: workflow commands, masking,
//	               │                 job log file, progress.Output events
//	               ▼
//	       report.JobResult (one slot per cell, written by its goroutine only)
//
// A job holds a slot only while it runs, never while it waits for needs, so
// no --jobs value can deadlock the graph.
package run
