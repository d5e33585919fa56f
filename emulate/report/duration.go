package report

import (
	"fmt"
	"time"
)

// FormatDuration prints a duration the way the summary and the live view
// show it: tenths of a second below a minute ("12.3s"), then whole seconds
// ("1m02s", "1h02m03s"). Negative durations print as "0.0s".
func FormatDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	// Round first so 59.96s becomes "1m00s" rather than "60.0s".
	if r := d.Round(100 * time.Millisecond); r < time.Minute {
		return fmt.Sprintf("%.1fs", r.Seconds())
	}
	d = d.Round(time.Second)
	h, m, s := int(d/time.Hour), int(d/time.Minute%60), int(d/time.Second%60)
	if h > 0 {
		return fmt.Sprintf("%dh%02dm%02ds", h, m, s)
	}
	return fmt.Sprintf("%dm%02ds", m, s)
}

// ms converts the model's millisecond counts.
func ms(n int64) time.Duration { return time.Duration(n) * time.Millisecond }
