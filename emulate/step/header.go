package step

import "strings"

// RunHeader returns the log lines the runner prints before a `run:` step
// starts: a "##[group]Run <first line>" line, each script line in bright
// cyan, the "shell:" line, the step's environment when it has any, and
// "##[endgroup]". env is the environment the runner lists: the step's
// merged env block, in order. Source: actions/runner
// src/Runner.Worker/Handlers/ScriptHandler.cs (PrintActionDetails, outside a
// composite action).
func RunHeader(script string, c Command, env []KeyValue) []string {
	// The title is the first non-blank line: leading spaces, tabs and line
	// breaks are skipped, and the line ends at the next CR or LF.
	first := strings.TrimLeft(script, " \t\r\n")
	if i := strings.IndexAny(first, "\r\n"); i >= 0 {
		first = first[:i]
	}
	lines := []string{"##[group]Run " + first}
	body := strings.TrimRight(strings.ReplaceAll(script, "\r\n", "\n"), "\n")
	for _, line := range strings.Split(body, "\n") {
		lines = append(lines, "\x1b[36;1m"+line+"\x1b[0m")
	}
	lines = append(lines, c.ShellLine())
	if len(env) > 0 {
		lines = append(lines, "env:")
		for _, kv := range env {
			lines = append(lines, "  "+kv.Key+": "+kv.Value)
		}
	}
	return append(lines, "##[endgroup]")
}
