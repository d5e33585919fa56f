// Package pool is the container executor of a run spread over several
// BuildKit builders (issue 9). Each builder has its own container
// executor (emulate/executor/buildkit, with its own pip, uv and Go cache
// mounts); the pool places every job cell with a [placement.Placer] and
// starts it on the chosen builder's executor.
//
// A cell that finds every builder that can run it full waits, in
// StartJob, until a cell finishes, and the job's Info says how long. A
// builder whose job methods fail is asked whether it still answers; when
// it does not, it is lost for the rest of the run: every cell running on
// it gets [executor.BuilderLostError] from then on (its job reports it
// through [executor.Losable]), and the run starts those cells again,
// once, on another builder. A cell lost twice is a
// [executor.BuilderFailedError], not a test failure.
package pool
