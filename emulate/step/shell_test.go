package step

import (
	"errors"
	"io/fs"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fakePath returns a lookPath that finds exactly the given programs.
func fakePath(found map[string]string) func(string) (string, error) {
	return func(name string) (string, error) {
		if p, ok := found[name]; ok {
			return p, nil
		}
		return "", fs.ErrNotExist
	}
}

var ubuntu = map[string]string{
	"bash":    "/usr/bin/bash",
	"sh":      "/usr/bin/sh",
	"python":  "/usr/bin/python",
	"pwsh":    "/usr/bin/pwsh",
	"perl":    "/usr/bin/perl",
	"Bash":    "/usr/bin/Bash", // for the case-insensitive table lookup
	"PWSH":    "/usr/bin/PWSH",
	"/bin/sh": "/bin/sh",
}

func TestResolve(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what     string
		shell    string
		runnerOS string
		path     map[string]string
		want     Command
	}{
		// ScriptHandler.cs: the default is "sh" with bash's path when bash exists.
		{"default finds bash (ScriptHandler.cs default shell)", "", "Linux", ubuntu,
			Command{Shell: "sh", Program: "/usr/bin/bash", ArgFormat: "-e {0}", ScriptExt: ".sh", RunnerOS: "Linux"}},
		{"default falls back to sh without bash", "", "macOS", map[string]string{"sh": "/bin/sh"},
			Command{Shell: "sh", Program: "/bin/sh", ArgFormat: "-e {0}", ScriptExt: ".sh", RunnerOS: "macOS"}},
		{"explicit bash gets pipefail (ScriptHandlerHelpers _defaultArguments)", "bash", "Linux", ubuntu,
			Command{Shell: "bash", Program: "/usr/bin/bash", ArgFormat: "--noprofile --norc -e -o pipefail {0}", ScriptExt: ".sh", RunnerOS: "Linux"}},
		{"explicit sh", "sh", "Linux", ubuntu,
			Command{Shell: "sh", Program: "/usr/bin/sh", ArgFormat: "-e {0}", ScriptExt: ".sh", RunnerOS: "Linux"}},
		{"python runs the .py file directly", "python", "Linux", ubuntu,
			Command{Shell: "python", Program: "/usr/bin/python", ArgFormat: "{0}", ScriptExt: ".py", RunnerOS: "Linux"}},
		{"pwsh dot-sources a .ps1", "pwsh", "Linux", ubuntu,
			Command{Shell: "pwsh", Program: "/usr/bin/pwsh", ArgFormat: `-command ". '{0}'"`, ScriptExt: ".ps1", RunnerOS: "Linux"}},
		{"cmd on windows", "cmd", "Windows", map[string]string{"cmd": `C:\Windows\system32\cmd.EXE`},
			Command{Shell: "cmd", Program: `C:\Windows\system32\cmd.EXE`, ArgFormat: `/D /E:ON /V:OFF /S /C "CALL "{0}""`, ScriptExt: ".cmd", RunnerOS: "Windows"}},
		{"windows default prefers pwsh", "", "Windows", map[string]string{"pwsh": `C:\pwsh.exe`, "powershell": `C:\ps.exe`},
			Command{Shell: "pwsh", Program: `C:\pwsh.exe`, ArgFormat: `-command ". '{0}'"`, ScriptExt: ".ps1", RunnerOS: "Windows"}},
		{"windows default falls back to powershell", "", "Windows", map[string]string{"powershell": `C:\ps.exe`},
			Command{Shell: "powershell", Program: `C:\ps.exe`, ArgFormat: `-command ". '{0}'"`, ScriptExt: ".ps1", RunnerOS: "Windows"}},
		{"custom template keeps everything after the first space", "perl -w {0}", "Linux", ubuntu,
			Command{Shell: "perl", Program: "/usr/bin/perl", ArgFormat: "-w {0}", ScriptExt: "", RunnerOS: "Linux"}},
		{"custom template trims leading white space (TrimStart)", "perl    {0}", "Linux", ubuntu,
			Command{Shell: "perl", Program: "/usr/bin/perl", ArgFormat: "{0}", RunnerOS: "Linux"}},
		{"template replaces the built-in arguments", "bash -x {0}", "Linux", ubuntu,
			Command{Shell: "bash", Program: "/usr/bin/bash", ArgFormat: "-x {0}", ScriptExt: ".sh", RunnerOS: "Linux"}},
		{"argument table is case-insensitive", "Bash", "Linux", ubuntu,
			Command{Shell: "Bash", Program: "/usr/bin/Bash", ArgFormat: "--noprofile --norc -e -o pipefail {0}", ScriptExt: ".sh", RunnerOS: "Linux"}},
		{"absolute program path has no built-in extension", "/bin/sh -e {0}", "Linux", ubuntu,
			Command{Shell: "/bin/sh", Program: "/bin/sh", ArgFormat: "-e {0}", RunnerOS: "Linux"}},
		{"escaped braces are a valid template", "perl -e '{{}}' {0}", "Linux", ubuntu,
			Command{Shell: "perl", Program: "/usr/bin/perl", ArgFormat: "-e '{{}}' {0}", RunnerOS: "Linux"}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := Resolve(tc.shell, tc.runnerOS, fakePath(tc.path))
			if err != nil {
				t.Fatalf("Resolve(%q) error: %v", tc.shell, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Resolve(%q) mismatch (-want +got):\n%s", tc.shell, diff)
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what        string
		shell       string
		runnerOS    string
		path        map[string]string
		notFound    string // the program of a *NotFoundError, or ""
		invalid     bool   // wraps ErrInvalidShell
		runnerError string // NotFoundError.RunnerMessage
	}{
		{"missing program (WhichUtil require:true)", "pwsh", "Linux", map[string]string{"bash": "/bin/bash"}, "pwsh", false, "File not found: 'pwsh'"},
		{"no shell at all names sh", "", "Linux", nil, "sh", false, "File not found: 'sh'"},
		{"windows without powershell names powershell", "", "Windows", nil, "powershell", false, "File not found: 'powershell'"},
		{"lookup happens before the template check", "nosuch {0}", "Linux", ubuntu, "nosuch", false, "File not found: 'nosuch'"},
		{"unknown program without a template", "perl", "Linux", ubuntu, "", true, ""},
		{"template without {0}", "bash -e", "Linux", ubuntu, "", true, ""},
		{"index other than 0 is a FormatException", "perl {0} {1}", "Linux", ubuntu, "", true, ""},
		{"unmatched brace is a FormatException", "perl {0} }", "Linux", ubuntu, "", true, ""},
		{"only an aligned item does not count as {0} (Contains check)", "perl {0,8}", "Linux", ubuntu, "", true, ""},
		{"leading space leaves no program", " bash", "Linux", ubuntu, "", true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			_, err := Resolve(tc.shell, tc.runnerOS, fakePath(tc.path))
			if err == nil {
				t.Fatalf("Resolve(%q) succeeded, want an error", tc.shell)
			}
			var nf *NotFoundError
			gotNotFound := ""
			if errors.As(err, &nf) {
				gotNotFound = nf.Program
				if diff := cmp.Diff(tc.runnerError, nf.RunnerMessage()); diff != "" {
					t.Errorf("RunnerMessage mismatch (-want +got):\n%s", diff)
				}
				if !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("error %v does not unwrap to the lookPath error", err)
				}
			}
			if gotNotFound != tc.notFound {
				t.Errorf("not-found program = %q, want %q (error: %v)", gotNotFound, tc.notFound, err)
			}
			if got := errors.Is(err, ErrInvalidShell); got != tc.invalid {
				t.Errorf("errors.Is(ErrInvalidShell) = %v, want %v (error: %v)", got, tc.invalid, err)
			}
		})
	}
}

func TestArgv(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what, shell, runnerOS, script string
		path                          map[string]string
		want                          []string
	}{
		{"default shell", "", "Linux", "/home/runner/work/_temp/abc.sh", ubuntu,
			[]string{"/usr/bin/bash", "-e", "/home/runner/work/_temp/abc.sh"}},
		{"bash", "bash", "Linux", "/tmp/x.sh", ubuntu,
			[]string{"/usr/bin/bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "/tmp/x.sh"}},
		{"pwsh keeps the quoted command as one argument", "pwsh", "Linux", "/tmp/x.ps1", ubuntu,
			[]string{"/usr/bin/pwsh", "-command", ". '/tmp/x.ps1'"}},
		{"cmd quoting", "cmd", "Windows", `D:\a\_temp\x.cmd`, map[string]string{"cmd": "cmd.exe"},
			[]string{"cmd.exe", "/D", "/E:ON", "/V:OFF", "/S", "/C", `CALL D:\a\_temp\x.cmd`}},
		{"python", "python", "Linux", "/tmp/x.py", ubuntu, []string{"/usr/bin/python", "/tmp/x.py"}},
		{"a space in the path splits an unquoted {0}, as on GitHub", "bash", "Linux", "/tmp/my dir/x.sh", ubuntu,
			[]string{"/usr/bin/bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "/tmp/my", "dir/x.sh"}},
		{"a quoted {0} keeps the space", `perl "{0}"`, "Linux", "/tmp/my dir/x", ubuntu,
			[]string{"/usr/bin/perl", "/tmp/my dir/x"}},
		{"a quote in the path is escaped before splitting", `perl "{0}"`, "Linux", `/tmp/a"b`, ubuntu,
			[]string{"/usr/bin/perl", `/tmp/a"b`}},
		{"escaped braces become literal", "perl -e '{{}}' {0}", "Linux", "/tmp/x", ubuntu,
			[]string{"/usr/bin/perl", "-e", "'{}'", "/tmp/x"}},
		{"alignment pads the path", "perl {0}{0,4}", "Linux", "/x", ubuntu,
			[]string{"/usr/bin/perl", "/x", "/x"}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			c, err := Resolve(tc.shell, tc.runnerOS, fakePath(tc.path))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, c.Argv(tc.script)); diff != "" {
				t.Errorf("Argv mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestShellLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		c    Command
		want string
	}{
		// The two lines every GitHub log shows for run steps on ubuntu.
		{"default shell", Command{Shell: "sh", Program: "/usr/bin/bash", ArgFormat: "-e {0}"}, "shell: /usr/bin/bash -e {0}"},
		{"explicit bash", Command{Shell: "bash", Program: "/usr/bin/bash", ArgFormat: "--noprofile --norc -e -o pipefail {0}"}, "shell: /usr/bin/bash --noprofile --norc -e -o pipefail {0}"},
		{"no program falls back to the shell name", Command{Shell: "bash", ArgFormat: "{0}"}, "shell: bash {0}"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := tc.c.ShellLine(); got != tc.want {
				t.Errorf("ShellLine() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestScriptContent(t *testing.T) {
	t.Parallel()
	const pwshExit = `if ((Test-Path -LiteralPath variable:\LASTEXITCODE)) { exit $LASTEXITCODE }`
	tests := []struct {
		what, shell, runnerOS, script, want string
	}{
		{"bash gets the script unchanged", "bash", "Linux", "echo hi\n", "echo hi\n"},
		{"sh keeps CRLF on linux", "sh", "Linux", "echo a\r\necho b", "echo a\r\necho b"},
		{"python unchanged", "python", "Linux", "print(1)", "print(1)"},
		{"pwsh preamble and exit line (FixUpScriptContents)", "pwsh", "Linux", "Write-Host hi",
			"$ErrorActionPreference = 'stop'\nWrite-Host hi\n" + pwshExit},
		{"powershell on windows uses CRLF", "powershell", "Windows", "a\nb",
			"$ErrorActionPreference = 'stop'\r\na\r\nb\r\n" + pwshExit},
		{"cmd gets @echo off and CRLF", "cmd", "Windows", "echo a\necho b\r\n", "@echo off\r\necho a\r\necho b\r\n"},
		{"windows bash is normalised to CRLF too", "bash", "Windows", "a\nb\r\nc", "a\r\nb\r\nc"},
		{"preamble match is case-sensitive", "PWSH", "Linux", "x", "x"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			c := Command{Shell: tc.shell, RunnerOS: tc.runnerOS}
			if diff := cmp.Diff(tc.want, c.ScriptContent(tc.script)); diff != "" {
				t.Errorf("Command.ScriptContent mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
