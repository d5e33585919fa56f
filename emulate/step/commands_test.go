package step

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// run feeds lines to a new Processor and collects everything it returns.
func run(opts ProcessorOptions, lines ...string) (display []string, effects []Effect) {
	p := NewProcessor(opts)
	for _, l := range lines {
		d, e := p.Line(l)
		display = append(display, d...)
		effects = append(effects, e...)
	}
	return display, effects
}

func annotation(level, msg string) Effect {
	return Effect{Kind: EffectAnnotation, Annotation: &Annotation{Level: level, Message: msg}}
}

var (
	setOutputDeprecated = fmt.Sprintf(deprecatedCommandMessage, "set-output")
	saveStateDeprecated = fmt.Sprintf(deprecatedCommandMessage, "save-state")
	setEnvDisabled      = fmt.Sprintf(disabledCommandMessage, "set-env")
	addPathDisabled     = fmt.Sprintf(disabledCommandMessage, "add-path")
)

func TestProcessor(t *testing.T) {
	t.Parallel()
	debug := ProcessorOptions{Debug: true}
	unsecure := ProcessorOptions{AllowUnsecureCommands: true}
	tests := []struct {
		what        string
		opts        ProcessorOptions
		lines       []string
		wantDisplay []string
		wantEffects []Effect
	}{
		{"plain output passes through", ProcessorOptions{}, []string{"hello", "", "a :: b"}, []string{"hello", "", "a :: b"}, nil},
		{"unknown command is output", ProcessorOptions{}, []string{"::foo::bar"}, []string{"::foo::bar"}, nil},

		// debug
		{"debug is hidden without step debug", ProcessorOptions{}, []string{"::debug::details"}, nil, nil},
		{"debug with step debug, one line per line", debug, []string{"::debug::a%0Ab%0D%0Ac"},
			[]string{"##[debug]a", "##[debug]b", "##[debug]c"}, nil},

		// issues
		{"error with position", ProcessorOptions{}, []string{"::error file=app.js,line=1,col=5,endColumn=7::Missing semicolon"},
			[]string{"##[error]Missing semicolon"},
			[]Effect{{Kind: EffectAnnotation, Annotation: &Annotation{Level: "error", File: "app.js", Line: 1, EndLine: 1, Col: 5, EndColumn: 7, Message: "Missing semicolon"}}}},
		{"warning with title", ProcessorOptions{}, []string{"::warning title=Lint,file=a.go,line=3,endLine=4::careful"},
			[]string{"##[warning]careful"},
			[]Effect{{Kind: EffectAnnotation, Annotation: &Annotation{Level: "warning", File: "a.go", Line: 3, EndLine: 4, Title: "Lint", Message: "careful"}}}},
		{"notice", ProcessorOptions{}, []string{"::notice::fyi"}, []string{"##[notice]fyi"}, []Effect{annotation("notice", "fyi")}},
		{"multi-line message is one log entry", ProcessorOptions{}, []string{"::error::a%0Ab"}, []string{"##[error]a\nb"}, []Effect{annotation("error", "a\nb")}},
		{"empty message: no log line, no annotation", ProcessorOptions{}, []string{"::error::"}, nil, nil},
		{"blank message is logged but not uploaded", ProcessorOptions{}, []string{"::error::  "}, []string{"##[error]  "}, nil},
		{"legacy form anywhere in the line", ProcessorOptions{}, []string{"note: ##[warning]old style"}, []string{"##[warning]old style"}, []Effect{annotation("warning", "old style")}},
		{"issue commands are never echoed", ProcessorOptions{Debug: true}, []string{"::error::x"}, []string{"##[error]x"}, []Effect{annotation("error", "x")}},
		{"file under the workspace becomes relative", ProcessorOptions{Workspace: "/home/runner/work/r/r"},
			[]string{"::error file=/home/runner/work/r/r/src/m.py,line=2::bad"}, []string{"##[error]bad"},
			[]Effect{{Kind: EffectAnnotation, Annotation: &Annotation{Level: "error", File: "src/m.py", Line: 2, EndLine: 2, Message: "bad"}}}},
		{"file outside the workspace is kept", ProcessorOptions{Workspace: "/home/runner/work/r/r"},
			[]string{"::error file=/tmp/x.py::bad"}, []string{"##[error]bad"},
			[]Effect{{Kind: EffectAnnotation, Annotation: &Annotation{Level: "error", File: "/tmp/x.py", Message: "bad"}}}},
		{"invalid positions are repaired with debug lines", debug, []string{"::warning col=1,endColumn=2::w"},
			[]string{"##[debug]Invalid warning command value. 'col' and 'endColumn' can only be set if 'line' value is provided.", "##[warning]w"},
			[]Effect{annotation("warning", "w")}},

		// add-mask
		{"add-mask is hidden", ProcessorOptions{}, []string{"::add-mask::s3cr3t"}, nil, []Effect{{Kind: EffectAddMask, Mask: "s3cr3t"}}},
		{"add-mask echo shows ***", debug, []string{"::add-mask::s3cr3t"}, []string{"::add-mask::***"}, []Effect{{Kind: EffectAddMask, Mask: "s3cr3t"}}},
		// ActionCommandManagerL0.AddMaskWithMultilineValue.
		{"L0 AddMaskWithMultilineValue", ProcessorOptions{}, []string{"::add-mask::abc%0Ddef%0Aghi%0D%0Ajkl", "::add-mask:: %0D  %0A   %0D%0A    %0D"},
			[]string{"##[warning]Can't add secret mask for empty string in ##[add-mask] command."},
			[]Effect{{Kind: EffectAddMask, Mask: "abc\rdef\nghi\r\njkl"}, annotation("warning", "Can't add secret mask for empty string in ##[add-mask] command.")}},

		// set-output and save-state
		{"set-output warns and sets", ProcessorOptions{}, []string{"::set-output name=result::42"},
			[]string{"##[warning]" + setOutputDeprecated},
			[]Effect{annotation("warning", setOutputDeprecated), {Kind: EffectSetOutput, Name: "result", Value: "42"}}},
		{"set-output without name fails the step", ProcessorOptions{}, []string{"::set-output::42"},
			[]string{"##[warning]" + setOutputDeprecated, "##[error]Unable to process command '::set-output::42' successfully.", "##[error]Required field 'name' is missing in ##[set-output] command."},
			[]Effect{annotation("warning", setOutputDeprecated), annotation("error", "Unable to process command '::set-output::42' successfully."), annotation("error", "Required field 'name' is missing in ##[set-output] command."), {Kind: EffectFailStep}}},
		{"save-state", ProcessorOptions{}, []string{"::save-state name=pid::123"},
			[]string{"##[warning]" + saveStateDeprecated},
			[]Effect{annotation("warning", saveStateDeprecated), {Kind: EffectSaveState, Name: "pid", Value: "123"}}},

		// set-env and add-path
		{"set-env is disabled", ProcessorOptions{}, []string{"::set-env name=A::b"},
			[]string{"##[error]Unable to process command '::set-env name=A::b' successfully.", "##[error]" + setEnvDisabled},
			[]Effect{annotation("error", "Unable to process command '::set-env name=A::b' successfully."), annotation("error", setEnvDisabled), {Kind: EffectFailStep}}},
		{"set-env when allowed", unsecure, []string{"::set-env name=A::b"}, nil, []Effect{{Kind: EffectSetEnv, Name: "A", Value: "b"}}},
		{"set-env refuses NODE_OPTIONS without failing", unsecure, []string{"::set-env name=node_options::--require x"},
			[]string{"##[error]Can't update NODE_OPTIONS environment variable using ::set-env:: command."},
			[]Effect{annotation("error", "Can't update NODE_OPTIONS environment variable using ::set-env:: command.")}},
		{"add-path is disabled", ProcessorOptions{}, []string{"::add-path::/opt/bin"},
			[]string{"##[error]Unable to process command '::add-path::/opt/bin' successfully.", "##[error]" + addPathDisabled},
			[]Effect{annotation("error", "Unable to process command '::add-path::/opt/bin' successfully."), annotation("error", addPathDisabled), {Kind: EffectFailStep}}},
		{"add-path when allowed", unsecure, []string{"::add-path::/opt/bin"}, nil, []Effect{{Kind: EffectAddPath, Value: "/opt/bin"}}},
		{"add-path needs a path", unsecure, []string{"::add-path::"},
			[]string{"##[error]Unable to process command '::add-path::' successfully.", "##[error]Value cannot be null. (Parameter 'path')"},
			[]Effect{annotation("error", "Unable to process command '::add-path::' successfully."), annotation("error", "Value cannot be null. (Parameter 'path')"), {Kind: EffectFailStep}}},

		// group
		{"group and endgroup", ProcessorOptions{}, []string{"::group::Build", "x", "::endgroup::ignored"},
			[]string{"##[group]Build", "x", "##[endgroup]"}, nil},
		{"group is echoed when echo is on", debug, []string{"::group::G"}, []string{"::group::G", "##[group]G"}, nil},

		// echo (ActionCommandManagerL0.EchoProcessCommand, EchoProcessCommandInvalid)
		{"echo on shows later commands", ProcessorOptions{}, []string{"::echo::on", "::set-output name=a::b"},
			[]string{"::set-output name=a::b", "##[warning]" + setOutputDeprecated},
			[]Effect{annotation("warning", setOutputDeprecated), {Kind: EffectSetOutput, Name: "a", Value: "b"}}},
		{"L0 echo values are trimmed and case-insensitive", ProcessorOptions{}, []string{"::echo::ON", "::echo::Off   ", "::set-output name=a::b"},
			[]string{"::echo::Off   ", "##[warning]" + setOutputDeprecated},
			[]Effect{annotation("warning", setOutputDeprecated), {Kind: EffectSetOutput, Name: "a", Value: "b"}}},
		{"L0 echo invalid value", ProcessorOptions{}, []string{"::echo::invalid"},
			[]string{"##[error]Unable to process command '::echo::invalid' successfully.", "##[error]Invalid echo command value. Possible values can be: 'on', 'off'. Current value is: 'invalid'."},
			[]Effect{annotation("error", "Unable to process command '::echo::invalid' successfully."), annotation("error", "Invalid echo command value. Possible values can be: 'on', 'off'. Current value is: 'invalid'."), {Kind: EffectFailStep}}},
		{"L0 echo without value", ProcessorOptions{}, []string{"::echo::"},
			[]string{"##[error]Unable to process command '::echo::' successfully.", "##[error]Value cannot be null. (Parameter 'value')"},
			[]Effect{annotation("error", "Unable to process command '::echo::' successfully."), annotation("error", "Value cannot be null. (Parameter 'value')"), {Kind: EffectFailStep}}},
		{"L0 EchoProcessCommandDebugOn: step debug starts with echo on", debug, []string{"::echo::off", "::set-output name=a::b"},
			[]string{"::echo::off", "##[debug]Setting echo command value to 'off'", "##[warning]" + setOutputDeprecated},
			[]Effect{annotation("warning", setOutputDeprecated), {Kind: EffectSetOutput, Name: "a", Value: "b"}}},

		// stop-commands (ActionCommandManagerL0)
		{"L0 StopProcessCommandAcceptsValidToken (and masks it)", ProcessorOptions{},
			[]string{"::stop-commands::randomToken", "##[set-env name=foo]bar", "::error::not now", "::randomToken::", "::error::now"},
			[]string{"::stop-commands::randomToken", "##[set-env name=foo]bar", "::error::not now", "::randomToken::", "##[error]now"},
			[]Effect{{Kind: EffectMaskValue, Mask: "randomToken"}, annotation("error", "now")}},
		{"L0 StopProcessCommand (legacy ##[ form stops and resumes)", ProcessorOptions{},
			[]string{"##[stop-commands]stopTok", "::warning::hidden", "##[stopTok]", "::warning::shown"},
			[]string{"##[stop-commands]stopTok", "::warning::hidden", "##[stopTok]", "##[warning]shown"},
			[]Effect{{Kind: EffectMaskValue, Mask: "stopTok"}, annotation("warning", "shown")}},
		{"short token is not masked", ProcessorOptions{}, []string{"::stop-commands::abc123", "::abc123::"},
			[]string{"::stop-commands::abc123", "::abc123::"}, nil},
		{"resume ignores properties and data", ProcessorOptions{}, []string{"::stop-commands::tok", "::TOK x=y::z", "::error::e"},
			[]string{"::stop-commands::tok", "::TOK x=y::z", "##[error]e"}, []Effect{annotation("error", "e")}},
		{"stopped with debug explains why", debug, []string{"::stop-commands::tok", "::error::x"},
			[]string{"::stop-commands::tok", "##[debug]Paused processing commands until the token you called ::stopCommands:: with is received",
				"##[debug]Process commands has been stopped and waiting for '##[tok]' to resume.", "::error::x"}, nil},
		{"L0 StopProcessCommand__FailOnInvalidStopTokens empty, later output is dropped", ProcessorOptions{}, []string{"::stop-commands::", "::error::gone", "plain"},
			[]string{"##[error]" + UnsupportedStopTokenMessage},
			[]Effect{annotation("error", UnsupportedStopTokenMessage), {Kind: EffectAbortStep, Message: UnsupportedStopTokenMessage}}},
		{"L0 StopProcessCommand__FailOnInvalidStopTokens command name", ProcessorOptions{}, []string{"::stop-commands::set-env"},
			[]string{"##[error]" + UnsupportedStopTokenMessage},
			[]Effect{annotation("error", UnsupportedStopTokenMessage), {Kind: EffectAbortStep, Message: UnsupportedStopTokenMessage}}},
		{"pause-logging is refused", ProcessorOptions{}, []string{"::stop-commands::Pause-Logging"},
			[]string{"##[error]" + UnsupportedStopTokenMessage},
			[]Effect{annotation("error", UnsupportedStopTokenMessage), {Kind: EffectAbortStep, Message: UnsupportedStopTokenMessage}}},
		{"L0 AllowsInvalidStopTokens: resuming with a command name unregisters it", ProcessorOptions{AllowUnsecureCommands: true, AllowUnsecureStopTokens: true},
			[]string{"::stop-commands::set-env", "::set-env::", "::set-env name=A::b"},
			[]string{"::stop-commands::set-env", "::set-env::", "::set-env name=A::b"},
			[]Effect{{Kind: EffectMaskValue, Mask: "set-env"}}},

		// problem matchers
		{"add-matcher", ProcessorOptions{}, []string{"::add-matcher::.github/eslint.json"}, nil, []Effect{{Kind: EffectAddMatcher, Value: ".github/eslint.json"}}},
		{"add-matcher needs a file", ProcessorOptions{}, []string{"::add-matcher::"}, []string{"##[warning]File path must be specified."}, []Effect{annotation("warning", "File path must be specified.")}},
		{"remove-matcher by owner", ProcessorOptions{}, []string{"::remove-matcher owner=eslint::"}, nil, []Effect{{Kind: EffectRemoveMatcher, Name: "eslint"}}},
		{"remove-matcher with both", ProcessorOptions{}, []string{"::remove-matcher owner=eslint::f.json"},
			[]string{"##[warning]Either specify an owner name or a file path in ##[remove-matcher] command. Both values cannot be set."},
			[]Effect{annotation("warning", "Either specify an owner name or a file path in ##[remove-matcher] command. Both values cannot be set.")}},
		{"remove-matcher with neither", ProcessorOptions{}, []string{"::remove-matcher::"},
			[]string{"##[warning]Either an owner name or a file path must be specified in ##[remove-matcher] command."},
			[]Effect{annotation("warning", "Either an owner name or a file path must be specified in ##[remove-matcher] command.")}},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			display, effects := run(tc.opts, tc.lines...)
			if diff := cmp.Diff(tc.wantDisplay, display); diff != "" {
				t.Errorf("display mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantEffects, effects); diff != "" {
				t.Errorf("effects mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProcessorStateIsPerStep(t *testing.T) {
	t.Parallel()
	first := NewProcessor(ProcessorOptions{})
	first.Line("::stop-commands::longtoken")
	first.Line("::echo::on")
	// A new step gets a new processor, as the runner creates a command
	// manager per handler.
	display, effects := NewProcessor(ProcessorOptions{}).Line("::error::x")
	if diff := cmp.Diff([]string{"##[error]x"}, display); diff != "" {
		t.Errorf("display mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Effect{annotation("error", "x")}, effects); diff != "" {
		t.Errorf("effects mismatch (-want +got):\n%s", diff)
	}
}

func BenchmarkProcessorLinePlain(b *testing.B) {
	p := NewProcessor(ProcessorOptions{})
	line := strings.Repeat("compiling package github.com/example/module/internal/thing ", 2)
	b.ReportAllocs()
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		p.Line(line)
	}
}

func BenchmarkProcessorLineCommand(b *testing.B) {
	p := NewProcessor(ProcessorOptions{})
	line := "::error file=src/app.js,line=10,col=5::Unexpected token"
	b.ReportAllocs()
	for b.Loop() {
		p.Line(line)
	}
}
