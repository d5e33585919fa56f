package plan

import (
	"github.com/rehearse-dev/rehearse/emulate/trigger"
)

// Options are the inputs of a plan besides the workflows.
type Options struct {
	// Root is the repository root (github.workspace at plan time).
	Root string
	// Git and Event describe the triggering event.
	Git   *trigger.Git
	Event *trigger.Event
	// Placing says where cells run: the executor and the label mappings.
	Placing
	// AllowDeploy lets deploy steps and environment jobs run.
	AllowDeploy bool
	// Vars and Secrets are the vars and secrets contexts. Secret values are
	// only used to decide conditions; they are never printed.
	Vars, Secrets map[string]string
}
