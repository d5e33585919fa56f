package step

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// Command is a `run:` step's shell after resolution: which program the runner
// starts, with which argument template, on a script file with which
// extension.
type Command struct {
	// Shell is the runner's shell name, called shellCommand in the runner. It
	// is the first word of `shell:`, or "sh" (Linux, macOS) or "pwsh" or
	// "powershell" (Windows) for the default. It selects the default
	// arguments, the script extension and the script preamble.
	Shell string
	// Program is the executable the runner starts: the path that lookPath
	// found. For the default shell on Linux and macOS it is bash when bash is
	// on PATH, even though Shell is "sh".
	Program string
	// ArgFormat is the argument template. It contains {0} where the script
	// path goes and is exactly the text the runner prints after
	// "shell: <program> ".
	ArgFormat string
	// ScriptExt is the script file extension with its dot (".sh", ".py",
	// ".ps1", ".cmd") or "" for a shell the runner does not know.
	ScriptExt string
	// RunnerOS is the runner.os value ("Linux", "macOS", "Windows") that the
	// command was resolved for. It decides the script's line endings.
	RunnerOS string
}

// builtinShell is one row of ScriptHandlerHelpers' _defaultArguments and
// _extensions tables.
type builtinShell struct {
	name, args, ext string
}

// builtinShells are the shells the runner knows. The runner looks them up
// case-insensitively. Source: actions/runner
// src/Runner.Worker/Handlers/ScriptHandlerHelpers.cs.
var builtinShells = []builtinShell{
	{"cmd", `/D /E:ON /V:OFF /S /C "CALL "{0}""`, ".cmd"},
	{"pwsh", `-command ". '{0}'"`, ".ps1"},
	{"powershell", `-command ". '{0}'"`, ".ps1"},
	{"bash", "--noprofile --norc -e -o pipefail {0}", ".sh"},
	{"sh", "-e {0}", ".sh"},
	{"python", "{0}", ".py"},
}

func lookupBuiltin(shell string) (builtinShell, bool) {
	for _, b := range builtinShells {
		if strings.EqualFold(b.name, shell) {
			return b, true
		}
	}
	return builtinShell{}, false
}

// NotFoundError reports that the shell program is not on the step's PATH.
// The runner fails the step with "File not found: '<program>'"
// (Runner.Sdk/Util/WhichUtil.cs).
type NotFoundError struct {
	// Program is the name the runner looked up.
	Program string
	// Err is what lookPath returned, if anything.
	Err error
}

// Error describes the missing program and what to do about it.
func (e *NotFoundError) Error() string {
	return fmt.Sprintf("shell program %q was not found on the step's PATH; install it or choose another `shell:` (built in: bash, sh, pwsh, powershell, cmd, python, or a template such as \"perl {0}\")", e.Program)
}

// Unwrap returns the lookPath error.
func (e *NotFoundError) Unwrap() error { return e.Err }

// RunnerMessage is the error text a GitHub log shows for this failure.
func (e *NotFoundError) RunnerMessage() string {
	return fmt.Sprintf("File not found: '%s'", e.Program)
}

// ErrInvalidShell is wrapped by the error [Resolve] returns for a `shell:`
// that is neither a built-in shell nor a template containing {0}.
var ErrInvalidShell = errors.New("invalid shell option")

// InvalidShellMessage is the runner's error for [ErrInvalidShell]
// (ScriptHandler.cs).
const InvalidShellMessage = "Invalid shell option. Shell must be a valid built-in (bash, sh, cmd, powershell, pwsh) or a format string containing '{0}'"

// Resolve turns a step's `shell:` into the command the runner runs. shell is
// the value after defaults.run.shell has been applied, or "" for the
// platform default. runnerOS is runner.os. lookPath finds a program on the
// step's PATH, which the runner builds as the GITHUB_PATH entries followed by
// PATH (see [PathEnv]). It is injected so that tests do not depend on the
// host.
//
// The rules follow ScriptHandler.RunAsync:
//   - Default on Linux and macOS: the runner runs bash if lookPath finds it
//     and sh otherwise, with "-e {0}" and a .sh file. The shell name stays
//     "sh".
//   - Default on Windows: pwsh, or powershell if pwsh is missing.
//   - Otherwise the value is split at its first space into a program and an
//     argument template. An empty template takes the built-in one for that
//     program ("bash" becomes "--noprofile --norc -e -o pipefail {0}").
//   - The program must be found (a [*NotFoundError] if not). The template must
//     then contain {0} (an error wrapping [ErrInvalidShell] if not) and must
//     be a valid .NET format string.
func Resolve(shell, runnerOS string, lookPath func(string) (string, error)) (Command, error) {
	c := Command{RunnerOS: runnerOS}
	if shell == "" {
		var err error
		c.Shell, c.Program, err = defaultShell(runnerOS, lookPath)
		if err != nil {
			return Command{}, err
		}
		b, _ := lookupBuiltin(c.Shell)
		c.ArgFormat = b.args
	} else {
		program, args, _ := strings.Cut(shell, " ")
		if program == "" {
			return Command{}, fmt.Errorf("%w: shell %q starts with a space, so it names no program", ErrInvalidShell, shell)
		}
		path, err := lookPath(program)
		if err != nil || path == "" {
			return Command{}, &NotFoundError{Program: program, Err: err}
		}
		c.Shell, c.Program = program, path
		c.ArgFormat = strings.TrimLeftFunc(args, unicode.IsSpace)
		if c.ArgFormat == "" {
			b, _ := lookupBuiltin(program)
			c.ArgFormat = b.args
		}
	}
	if !strings.Contains(c.ArgFormat, "{0}") {
		return Command{}, fmt.Errorf("%w %q: it is not a built-in shell (bash, sh, cmd, powershell, pwsh, python) and has no {0} for the script path", ErrInvalidShell, shell)
	}
	if _, err := formatOne(c.ArgFormat, "script"); err != nil {
		return Command{}, fmt.Errorf("%w %q: %w", ErrInvalidShell, shell, err)
	}
	if b, ok := lookupBuiltin(c.Shell); ok {
		c.ScriptExt = b.ext
	}
	return c, nil
}

// defaultShell picks the shell for a step without `shell:`. The lookup order
// and the names in the errors are the runner's.
func defaultShell(runnerOS string, lookPath func(string) (string, error)) (shell, program string, err error) {
	if isWindows(runnerOS) {
		if p, err := lookPath("pwsh"); err == nil && p != "" {
			return "pwsh", p, nil
		}
		p, err := lookPath("powershell")
		if err != nil || p == "" {
			return "", "", &NotFoundError{Program: "powershell", Err: err}
		}
		return "powershell", p, nil
	}
	if p, err := lookPath("bash"); err == nil && p != "" {
		return "sh", p, nil
	}
	p, err := lookPath("sh")
	if err != nil || p == "" {
		return "", "", &NotFoundError{Program: "sh", Err: err}
	}
	return "sh", p, nil
}

func isWindows(runnerOS string) bool { return strings.EqualFold(runnerOS, "Windows") }

// Argv returns the program and its arguments for a script written at
// scriptPath. Argv[0] is c.Program. As in the runner, double quotes in the
// path are backslash-escaped, the path is substituted into ArgFormat, and
// the resulting string is split with [ParseArguments]. So a template such as
// "bash {0}" splits a path that contains a space, exactly as on GitHub.
// c must come from [Resolve], which validated the template.
//
// On Windows .NET does not split the string. It passes it to CreateProcess
// as the command line, and the program parses it itself (cmd.exe does not use
// the C runtime rules). A Windows executor should pass [Command.Arguments]
// unchanged through syscall.SysProcAttr.CmdLine.
func (c Command) Argv(scriptPath string) []string {
	return append([]string{c.Program}, ParseArguments(c.Arguments(scriptPath))...)
}

// Arguments is the argument string the runner gives the process:
// ArgFormat with {0} replaced by scriptPath, whose double quotes are
// backslash-escaped first.
func (c Command) Arguments(scriptPath string) string {
	escaped := strings.ReplaceAll(scriptPath, `"`, `\"`)
	args, err := formatOne(c.ArgFormat, escaped)
	if err != nil {
		// Only a hand-built Command gets here. Substituting literally is
		// the nearest meaning of the template.
		args = strings.ReplaceAll(c.ArgFormat, "{0}", escaped)
	}
	return args
}

// ShellLine is the "shell: ..." line of the "Run" group, with the resolved
// program path, as ScriptHandler.PrintActionDetails prints it for a step on
// the host.
func (c Command) ShellLine() string {
	program := c.Program
	if program == "" {
		program = c.Shell
	}
	return "shell: " + program + " " + c.ArgFormat
}

// ScriptContent is what the runner writes into the script file for the
// command's shell on its runner OS (FixUpScriptContents). It writes the
// script as UTF-8 without a byte order mark and adds nothing except:
//   - cmd: "@echo off" on a line before the script;
//   - pwsh and powershell: "$ErrorActionPreference = 'stop'" before the
//     script and a line after it that exits with $LASTEXITCODE.
//
// The match is case-sensitive, unlike the table of default arguments, so
// `shell: PWSH` gets no preamble. On Windows the preamble lines are joined
// with CRLF and every line ending becomes CRLF.
func (c Command) ScriptContent(script string) string {
	return scriptContent(c.Shell, script, isWindows(c.RunnerOS))
}

func scriptContent(shell, contents string, windows bool) string {
	newline := "\n"
	if windows {
		newline = "\r\n"
	}
	switch shell {
	case "cmd":
		// The runner uses @echo off rather than /Q so that a script can turn
		// echo back on.
		contents = "@echo off" + newline + contents
	case "powershell", "pwsh":
		contents = "$ErrorActionPreference = 'stop'" + newline + contents + newline +
			`if ((Test-Path -LiteralPath variable:\LASTEXITCODE)) { exit $LASTEXITCODE }`
	}
	if windows {
		contents = strings.ReplaceAll(contents, "\r\n", "\n")
		contents = strings.ReplaceAll(contents, "\n", "\r\n")
	}
	return contents
}
