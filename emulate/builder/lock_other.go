//go:build !unix

package builder

import "context"

// lockFile does nothing where there is no flock: there the private daemon
// runs in a container, whose engine refuses a second container of the
// same name, and Start then reuses the first.
func lockFile(context.Context, string) (func(), error) {
	return func() {}, nil
}
