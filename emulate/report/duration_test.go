package report

import (
	"testing"
	"time"
)

func TestFormatDuration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		d    time.Duration
		want string
	}{
		{"zero", 0, "0.0s"},
		{"negative", -time.Second, "0.0s"},
		{"tenths", 12_345 * time.Millisecond, "12.3s"},
		{"rounds up to a minute", 59_960 * time.Millisecond, "1m00s"},
		{"minutes", 62_400 * time.Millisecond, "1m02s"},
		{"hours", time.Hour + 2*time.Minute + 3*time.Second, "1h02m03s"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := FormatDuration(tc.d); got != tc.want {
				t.Errorf("FormatDuration(%v) = %q, want %q", tc.d, got, tc.want)
			}
		})
	}
}
