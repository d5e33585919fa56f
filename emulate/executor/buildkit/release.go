package buildkit

import (
	"context"
	"errors"
	"strings"

	"github.com/moby/buildkit/util/grpcerrors"
	"google.golang.org/grpc/codes"
)

// releaseStoppedInit reports whether an error from releasing a container
// is only the release doing its work: the daemon stops the container's
// first process (the agent's init) by cancelling it, and depending on
// whether runc or the process saw the signal first that comes back as
// "exit code: 137" or as a cancelled exit ("exit code: 255: context
// canceled"). Any other error is a real failure to release.
func releaseStoppedInit(err error) bool {
	if err == nil {
		return false
	}
	if strings.Contains(err.Error(), "exit code: 137") {
		return true
	}
	return errors.Is(err, context.Canceled) || grpcerrors.Code(err) == codes.Canceled
}
