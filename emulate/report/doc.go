// Package report holds the result of a run and prints it: the checks-list
// summary a person reads at the end of `rehearse run` ([WriteText]) and the
// machine-readable form behind --format json and --report ([WriteJSON]).
//
// The scheduler fills a [Report] with one [JobResult] per job or matrix
// cell; [Conclude] then derives the workflow and run conclusions the way
// GitHub does, and [ExitCode] maps the run's conclusion to the process exit
// status that main returns.
//
// Annotation lines in the text summary have the form
//
//	path:line:col: level: message
//
// with paths relative to the repository root, which is what the VS Code
// problem matcher in testdata/problem-matcher.json reads; the tests check
// that matcher against the real output. Those lines are never colored, so
// the matcher works whatever the terminal.
package report
