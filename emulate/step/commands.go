package step

import (
	"fmt"
	"strings"
)

// EffectKind says what an [Effect] asks the executor to do.
type EffectKind int

// The effects of workflow commands. Each names the runner behaviour it
// stands for.
const (
	// EffectAnnotation records Annotation on the step: an ::error::,
	// ::warning:: or ::notice:: command, or an error or warning the runner
	// raises about a command. Its log line is already in the display lines.
	EffectAnnotation EffectKind = iota + 1
	// EffectAddMask registers Mask as ::add-mask:: does: the value and each
	// of its lines (mask.Masker.Add).
	EffectAddMask
	// EffectMaskValue registers Mask as a single value without splitting
	// lines (mask.Masker.AddValue). The runner does this for a
	// ::stop-commands:: token longer than six characters.
	EffectMaskValue
	// EffectSetOutput sets step output Name to Value (deprecated
	// ::set-output::).
	EffectSetOutput
	// EffectSaveState saves Value under Name for the action's post step
	// (deprecated ::save-state::).
	EffectSaveState
	// EffectSetEnv sets Name to Value in the job environment for later steps
	// (::set-env::, only with ACTIONS_ALLOW_UNSECURE_COMMANDS).
	EffectSetEnv
	// EffectAddPath adds Value to the prepend-path list with [AddPaths]
	// (::add-path::, only with ACTIONS_ALLOW_UNSECURE_COMMANDS).
	EffectAddPath
	// EffectAddMatcher loads the problem-matcher file Value (::add-matcher::).
	// A relative path is relative to the workspace.
	EffectAddMatcher
	// EffectRemoveMatcher removes the matchers owned by Name, or those
	// defined in file Value (::remove-matcher::).
	EffectRemoveMatcher
	// EffectFailStep marks the step failed once its process ends, whatever
	// the exit code. The runner sets CommandResult to Failed when a command
	// throws.
	EffectFailStep
	// EffectAbortStep fails the step now with Message. An invalid
	// ::stop-commands:: token throws out of the runner's output handler. The
	// step's handler stops, the step fails, and nothing more of its output is
	// logged or processed, although its process is not killed. After this
	// effect the Processor ignores further lines.
	EffectAbortStep
)

// Effect is one change a workflow command makes to the step or job. Which
// fields are set depends on Kind. See the constants of [EffectKind].
type Effect struct {
	Kind       EffectKind
	Annotation *Annotation
	Mask       string
	Name       string
	Value      string
	Message    string
}

// ProcessorOptions configure a [Processor].
type ProcessorOptions struct {
	// Debug is step debug logging (the ACTIONS_STEP_DEBUG secret or
	// variable). ::debug:: messages are shown as "##[debug]" lines only when
	// it is set, and command echo starts on when it is set.
	Debug bool
	// AllowUnsecureCommands re-enables ::set-env:: and ::add-path::. Compute
	// it with [AllowUnsecureCommands] from ACTIONS_ALLOW_UNSECURE_COMMANDS.
	AllowUnsecureCommands bool
	// AllowUnsecureStopTokens permits an empty, "pause-logging" or
	// command-name token for ::stop-commands::. Compute it with
	// [AllowUnsecureStopTokens] from ACTIONS_ALLOW_UNSECURE_STOPCOMMAND_TOKENS.
	AllowUnsecureStopTokens bool
	// Workspace is github.workspace. An annotation file under it is made
	// relative to it. With "" file paths are left as given.
	Workspace string
}

// Processor interprets the workflow commands in one step's output the way the
// runner's ActionCommandManager does. The runner creates one per step, so
// stop-commands and echo state do not carry over. A Processor is not safe for
// concurrent use. Feed it stdout and stderr lines in the order the runner
// would see them.
type Processor struct {
	opts       ProcessorOptions
	registered map[string]bool // lower-cased names that parse as commands
	echo       bool
	stopped    bool
	stopToken  string
	aborted    bool // an EffectAbortStep was returned
}

// stopCommand is the one command the manager handles itself.
const stopCommand = "stop-commands"

// The runner's fixed messages (Runner.Common/Constants.cs).
const (
	deprecatedCommandMessage = "The `%s` command is deprecated and will be disabled soon. Please upgrade to using Environment Files. For more information see: https://github.blog/changelog/2022-10-11-github-actions-deprecating-save-state-and-set-output-commands/"
	disabledCommandMessage   = "The `%s` command is disabled. Please upgrade to using Environment Files or opt into unsecure command execution by setting the `ACTIONS_ALLOW_UNSECURE_COMMANDS` environment variable to `true`. For more information see: https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-path-commands/"
	// UnsupportedStopTokenMessage is the error for an invalid
	// ::stop-commands:: token.
	UnsupportedStopTokenMessage = "You cannot use a endToken that is an empty string, the string 'pause-logging', or another workflow command. For more information see: https://docs.github.com/actions/learn-github-actions/workflow-commands-for-github-actions#example-stopping-and-starting-workflow-commands or opt into insecure command execution by setting the `ACTIONS_ALLOW_UNSECURE_STOPCOMMAND_TOKENS` environment variable to `true`."
)

// NewProcessor returns the processor for one step.
func NewProcessor(opts ProcessorOptions) *Processor {
	p := &Processor{opts: opts, registered: map[string]bool{stopCommand: true}, echo: opts.Debug}
	for name := range extensions {
		p.registered[name] = true
	}
	return p
}

// Line handles one line of step output, without its line break. It returns
// the lines the runner writes to the step log for it, in order and not yet
// masked, and the effects on the step. A plain line comes back unchanged. A
// command usually shows no line as written: ::add-mask:: is hidden,
// ::set-output:: shows only its deprecation warning, ::group::x becomes
// "##[group]x", ::error::m becomes
// "##[error]m", and ::debug::m becomes "##[debug]m" only with Debug. With
// echo on (::echo::on, or Debug) most commands are also shown as written.
//
// Apply the mask effects before writing the display lines. The runner
// registers a mask before it logs, so "::stop-commands::<token>" is shown
// with the token masked.
func (p *Processor) Line(line string) (display []string, effects []Effect) {
	if p.aborted {
		return nil, nil
	}
	// OutputManager's own shortcut: only a line with "::" or "##[" can be a
	// command.
	if !strings.Contains(line, "::") && !strings.Contains(line, "##[") {
		return []string{line}, nil
	}
	r := &result{p: p}
	p.handle(line, r)
	return r.display, r.effects
}

// result collects the log lines and effects of one line.
type result struct {
	p       *Processor
	display []string
	effects []Effect
}

func (r *result) output(s string) { r.display = append(r.display, s) }

// debug is ExecutionContext.Debug: nothing unless debug logging is on, and
// one "##[debug]" line for each line of the message.
func (r *result) debug(message string) {
	if !r.p.opts.Debug {
		return
	}
	for _, l := range strings.Split(strings.ReplaceAll(message, "\r\n", "\n"), "\n") {
		r.output("##[debug]" + l)
	}
}

// issue is ExecutionContext.AddIssue: a log line for a non-empty message and
// an annotation unless the message is blank, which the runner does not
// upload.
func (r *result) issue(a Annotation) {
	if l := a.Log(); l != "" {
		r.output(l)
	}
	if strings.TrimSpace(a.Message) != "" {
		r.effect(Effect{Kind: EffectAnnotation, Annotation: &a})
	}
}

func (r *result) error(message string) { r.issue(Annotation{Level: "error", Message: message}) }

func (r *result) warning(message string) { r.issue(Annotation{Level: "warning", Message: message}) }

func (r *result) effect(e Effect) { r.effects = append(r.effects, e) }

// commandError is an exception thrown by a command extension. The runner
// reports it as two errors and fails the step.
type commandError string

func (p *Processor) handle(line string, r *result) {
	c, ok := parseCommand(line, p.registered)
	if !ok {
		r.output(line)
		return
	}
	if p.stopped {
		if p.stopToken != "" && strings.EqualFold(c.name, p.stopToken) {
			r.output(line)
			r.debug("Resume processing commands")
			delete(p.registered, strings.ToLower(p.stopToken))
			p.stopped, p.stopToken = false, ""
			return
		}
		// The manager declines the line, so the runner logs it as output.
		r.debug(fmt.Sprintf("Process commands has been stopped and waiting for '##[%s]' to resume.", p.stopToken))
		r.output(line)
		return
	}
	if strings.EqualFold(c.name, stopCommand) {
		p.stopCommands(line, c.data, r)
		return
	}
	ext := extensions[strings.ToLower(c.name)]
	if p.echo && !ext.omitEcho {
		r.output(line)
	}
	if err := ext.process(p, c, r); err != "" {
		// The runner names the command instead of echoing the line when the
		// extension omits echo, so that ::add-mask:: never leaks a secret.
		info := line
		if ext.omitEcho {
			info = strings.ToLower(c.name)
		}
		r.error(fmt.Sprintf("Unable to process command '%s' successfully.", info))
		r.error(string(err))
		r.effect(Effect{Kind: EffectFailStep})
	}
}

// stopCommands is the stop branch of TryProcessCommand with ValidateStopToken.
func (p *Processor) stopCommands(line, token string, r *result) {
	invalid := token == "" || p.registered[strings.ToLower(token)] || strings.EqualFold(token, "pause-logging")
	if invalid && !p.opts.AllowUnsecureStopTokens {
		// The runner's StepsRunner logs the escaped exception as the error.
		r.error(UnsupportedStopTokenMessage)
		r.effect(Effect{Kind: EffectAbortStep, Message: UnsupportedStopTokenMessage})
		p.aborted = true
		return
	}
	p.stopped, p.stopToken = true, token
	p.registered[strings.ToLower(token)] = true
	if utf16Len(token) > 6 {
		// The token resumes processing, so output that can guess it can
		// inject commands. The runner masks it for the rest of the job.
		r.effect(Effect{Kind: EffectMaskValue, Mask: token})
	}
	r.output(line)
	r.debug("Paused processing commands until the token you called ::stopCommands:: with is received")
}

// extension is one IActionCommandExtension. process returns a non-empty
// commandError for the exception the runner's extension would throw.
type extension struct {
	omitEcho bool
	process  func(p *Processor, c actionCommand, r *result) commandError
}

// extensions are the commands the runner registers, keyed by lower-cased
// name. internal-set-repo-path is left out because it is registered only
// while a runner plugin runs.
var extensions = map[string]extension{
	"set-env":        {process: (*Processor).setEnv},
	"set-output":     {process: (*Processor).setOutput},
	"save-state":     {process: (*Processor).saveState},
	"add-mask":       {omitEcho: true, process: (*Processor).addMask},
	"add-path":       {process: (*Processor).addPath},
	"add-matcher":    {process: (*Processor).addMatcher},
	"remove-matcher": {process: (*Processor).removeMatcher},
	"debug":          {omitEcho: true, process: (*Processor).debugCommand},
	"error":          {omitEcho: true, process: issueCommand("error")},
	"warning":        {omitEcho: true, process: issueCommand("warning")},
	"notice":         {omitEcho: true, process: issueCommand("notice")},
	"group":          {process: (*Processor).group},
	"endgroup":       {process: (*Processor).endGroup},
	"echo":           {process: (*Processor).echoCommand},
}

func (p *Processor) setEnv(c actionCommand, r *result) commandError {
	if !p.opts.AllowUnsecureCommands {
		return commandError(fmt.Sprintf(disabledCommandMessage, "set-env"))
	}
	name, _ := c.props.get("name")
	if name == "" {
		return "Required field 'name' is missing in ##[set-env] command."
	}
	if blocked, ok := blockedEnv(name); ok {
		r.error(fmt.Sprintf("Can't update %s environment variable using ::set-env:: command.", blocked))
		return ""
	}
	r.effect(Effect{Kind: EffectSetEnv, Name: name, Value: c.data})
	r.debug(fmt.Sprintf("%s='%s'", name, c.data))
	return ""
}

// setOutput warns on every use because github.com sets the
// DistributedTask.DeprecateStepOutputCommands flag, and still sets the
// output.
func (p *Processor) setOutput(c actionCommand, r *result) commandError {
	r.warning(fmt.Sprintf(deprecatedCommandMessage, "set-output"))
	name, _ := c.props.get("name")
	if name == "" {
		return "Required field 'name' is missing in ##[set-output] command."
	}
	r.effect(Effect{Kind: EffectSetOutput, Name: name, Value: c.data})
	return ""
}

func (p *Processor) saveState(c actionCommand, r *result) commandError {
	r.warning(fmt.Sprintf(deprecatedCommandMessage, "save-state"))
	name, _ := c.props.get("name")
	if name == "" {
		return "Required field 'name' is missing in ##[save-state] command."
	}
	r.effect(Effect{Kind: EffectSaveState, Name: name, Value: c.data})
	r.debug(fmt.Sprintf("Save intra-action state %s = %s", name, c.data))
	return ""
}

func (p *Processor) addMask(c actionCommand, r *result) commandError {
	if strings.TrimSpace(c.data) == "" {
		r.warning("Can't add secret mask for empty string in ##[add-mask] command.")
		return ""
	}
	if p.echo {
		r.output("::add-mask::***")
	}
	r.effect(Effect{Kind: EffectAddMask, Mask: c.data})
	return ""
}

func (p *Processor) addPath(c actionCommand, r *result) commandError {
	if !p.opts.AllowUnsecureCommands {
		return commandError(fmt.Sprintf(disabledCommandMessage, "add-path"))
	}
	if c.data == "" {
		// ArgUtil.NotNullOrEmpty throws ArgumentNullException.
		return "Value cannot be null. (Parameter 'path')"
	}
	r.effect(Effect{Kind: EffectAddPath, Value: c.data})
	return ""
}

func (p *Processor) addMatcher(c actionCommand, r *result) commandError {
	if c.data == "" {
		r.warning("File path must be specified.")
		return ""
	}
	r.effect(Effect{Kind: EffectAddMatcher, Value: c.data})
	return ""
}

func (p *Processor) removeMatcher(c actionCommand, r *result) commandError {
	owner, _ := c.props.get("owner")
	switch {
	case owner != "" && c.data != "":
		r.warning("Either specify an owner name or a file path in ##[remove-matcher] command. Both values cannot be set.")
	case owner == "" && c.data == "":
		r.warning("Either an owner name or a file path must be specified in ##[remove-matcher] command.")
	default:
		r.effect(Effect{Kind: EffectRemoveMatcher, Name: owner, Value: c.data})
	}
	return ""
}

func (p *Processor) debugCommand(c actionCommand, r *result) commandError {
	r.debug(c.data)
	return ""
}

// issueCommand is IssueCommandExtension for one level.
func issueCommand(level string) func(*Processor, actionCommand, *result) commandError {
	return func(p *Processor, c actionCommand, r *result) commandError {
		for _, d := range validateLinesAndColumns(strings.ToLower(c.name), c.props) {
			r.debug(d)
		}
		if file, ok := c.props.get(propFile); ok && file != "" && p.opts.Workspace != "" {
			if rel := makeRelative(file, p.opts.Workspace); rel != file && rel != "" {
				c.props.set(propFile, rel)
			}
		}
		r.issue(annotationFromProperties(level, c.data, c.props))
		return ""
	}
}

func (p *Processor) group(c actionCommand, r *result) commandError {
	r.output("##[group]" + c.data)
	return ""
}

func (p *Processor) endGroup(c actionCommand, r *result) commandError {
	r.output("##[endgroup]")
	return ""
}

func (p *Processor) echoCommand(c actionCommand, r *result) commandError {
	if c.data == "" {
		return "Value cannot be null. (Parameter 'value')"
	}
	switch strings.ToUpper(strings.TrimSpace(c.data)) {
	case "ON":
		p.echo = true
		r.debug("Setting echo command value to 'on'")
	case "OFF":
		p.echo = false
		r.debug("Setting echo command value to 'off'")
	default:
		return commandError(fmt.Sprintf("Invalid echo command value. Possible values can be: 'on', 'off'. Current value is: '%s'.", c.data))
	}
	return ""
}
