// Package checkers runs the external script checkers of rehearse lint,
// shellcheck and pyflakes, over many scripts at once.
//
// actionlint (v1.7.12) starts one checker process per run: script and
// writes the script into its stdin pipe before starting it. That costs
// about 30 ms per script (19 s for 1,000 jobs), and blocks forever on a
// script over 64 KB, the pipe's capacity (rhysd/actionlint issue 702).
// Here every script is written to a file in a temporary directory and the
// checker is started on many files: about one process per core (and per
// shell dialect for shellcheck), with nothing written to its stdin.
//
// A checker reads each file as it would have read its stdin, so its
// findings are the ones one process per script gives; the caller turns
// them into workflow findings (emulate/workflow's scriptcheck.go).
package checkers
