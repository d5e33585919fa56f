package artifact

import "fmt"

// Level says how the action logs a [Message].
type Level string

// Levels of [Message], named after the @actions/core calls.
const (
	Info    Level = "info"
	Warning Level = "warning"
	Error   Level = "error"
)

// Message is one line the action would log.
type Message struct {
	Level Level
	Text  string
}

func info(text string) Message   { return Message{Info, text} }
func warn(text string) Message   { return Message{Warning, text} }
func errMsg(text string) Message { return Message{Error, text} }

// ActionError is a failure of the action itself, carrying the exact text the
// action fails the step with (core.setFailed). Callers print it as the
// step's error annotation; other errors are rehearse's own I/O failures.
type ActionError struct {
	Msg string
}

// Error returns the action's message.
func (e *ActionError) Error() string { return e.Msg }

// actionErrorf builds an [ActionError]. GitHub's texts are capitalized and
// punctuated, so they are kept out of fmt.Errorf on purpose.
func actionErrorf(format string, args ...any) error {
	return &ActionError{Msg: fmt.Sprintf(format, args...)}
}
