//go:build !linux

package builder

import (
	"context"
	"fmt"
	"runtime"
)

// startNative is Linux only: elsewhere the plan never chooses it.
func startNative(context.Context, resolved, plan) (*Daemon, error) {
	return nil, fmt.Errorf("buildkitd runs on Linux only (this is %s)", runtime.GOOS)
}

// stopNative finds nothing to stop where buildkitd cannot run.
func stopNative(context.Context, resolved) (*Stopped, error) {
	return &Stopped{}, nil
}

// cleanStale has nothing to clean where buildkitd cannot run.
func cleanStale(context.Context, resolved) error { return nil }
