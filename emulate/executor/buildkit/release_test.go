package buildkit

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestReleaseStoppedInit(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"no error", nil, false},
		{"init killed", errors.New("process did not complete successfully: exit code: 137"), true},
		{"init cancelled, as CI saw it", status.Error(codes.Canceled, "exit code: 255: context canceled"), true},
		{"wrapped cancel", fmt.Errorf("exit code: 255: %w", context.Canceled), true},
		{"other exit", errors.New("exit code: 1"), false},
		{"daemon gone", status.Error(codes.Unavailable, "connection refused"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := releaseStoppedInit(tt.err); got != tt.want {
				t.Errorf("releaseStoppedInit(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}
