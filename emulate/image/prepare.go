package image

import (
	_ "embed"
	"errors"
	"fmt"

	"github.com/moby/buildkit/client/llb"
	gatewaypb "github.com/moby/buildkit/frontend/gateway/pb"
)

// The runner user GitHub's hosted runners run jobs as, and the directories
// a job expects to own.
const (
	RunnerUser    = "runner"
	RunnerUID     = 1001
	RunnerGID     = 1001
	RunnerHome    = "/home/runner"
	RunnerWorkDir = "/home/runner/work"
	PipCacheDir   = "/home/runner/.cache/pip"
	ToolCacheDir  = "/opt/hostedtoolcache"
)

// prepareScript is run as root in the image; see its header.
//
//go:embed prepare.sh
var prepareScript string

// prepareMount is where the script is mounted read-only during the run.
// BuildKit removes the mount point it had to create, so the layer holds
// only what the script changed.
const prepareMount = "/.rehearse-prepare"

// Exit statuses of prepare.sh for images it refuses.
const (
	exitUIDTaken   = 111
	exitNameOtherU = 112
	exitGIDTaken   = 113
	exitNameOtherG = 114
)

// Prepare adds to an image, in one cached layer, what GitHub's runner
// gives a job where the image lacks it: user runner (uid 1001, group
// runner gid 1001, HOME /home/runner, bash as shell), passwordless sudo
// for it when sudo is installed (/etc/sudoers.d/runner), and
// /home/runner/work, /home/runner/.cache/pip and /opt/hostedtoolcache owned
// by it. It runs as root with the network off, with useradd when the image
// has it (which also writes its /etc/*- backups and runner's subordinate
// id ranges, as on GitHub's runner) and otherwise by appending to
// /etc/passwd, /etc/group, /etc/shadow and /etc/gshadow. Home is copied
// from /etc/skel, mode 0750 as on GitHub.
//
// An image whose uid 1001 is already runner keeps its user, group and
// sudoers (only missing directories are made), so preparing twice changes
// nothing. An image where uid 1001, gid 1001 or the name runner belongs to
// someone else fails the solve; [PrepareError] explains such a failure.
func Prepare(base llb.State) llb.State {
	script := llb.Scratch().File(llb.Mkfile("/prepare.sh", 0o644, []byte(prepareScript)),
		llb.WithCustomName("rehearse: runner user script"))
	return base.Run(
		llb.Args([]string{"/bin/sh", prepareMount + "/prepare.sh"}),
		llb.AddMount(prepareMount, script, llb.Readonly),
		llb.User("0:0"),
		llb.Dir("/"),
		llb.Network(llb.NetModeNone),
		llb.WithCustomName("rehearse: prepare user runner (uid 1001), sudo, /home/runner/work, /opt/hostedtoolcache"),
	).Root()
}

// PrepareError explains an error from solving a [Prepare]d state when the
// preparation refused the image; other errors come back unchanged.
func PrepareError(err error) error {
	var exit *gatewaypb.ExitError
	if err == nil || !errors.As(err, &exit) {
		return err
	}
	var why string
	switch exit.ExitCode {
	case exitUIDTaken:
		why = "uid 1001 belongs to another user in this image"
	case exitNameOtherU:
		why = "user runner exists in this image with a uid other than 1001"
	case exitGIDTaken:
		why = "gid 1001 belongs to another group in this image"
	case exitNameOtherG:
		why = "group runner exists in this image with a gid other than 1001"
	default:
		return err
	}
	return fmt.Errorf("could not prepare the image for GitHub's runner user: %s; jobs run as runner (uid 1001, gid 1001) as on GitHub, so use an image where those are free or already runner's: %w", why, err)
}
