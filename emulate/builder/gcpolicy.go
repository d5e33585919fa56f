package builder

import (
	"fmt"
	"strings"
	"time"
)

// BuildKit's default garbage collection first deletes, once its cache
// holds more than 512 MB (images count), every cache mount unused for 48
// hours: the shared pip cache would be gone after a weekend. The private
// daemon gets BuildKit's default rules with cache mounts taken out of the
// first one and given their own, longer keep.
const (
	// cacheMountKeep is how long a cache mount (the pip cache) is kept
	// unused.
	cacheMountKeep = 30 * 24 * time.Hour
	// contextKeep and contextCap are BuildKit's first rule for what is
	// cheap to make again: copies of the workspace and git checkouts.
	contextKeep = 48 * time.Hour
	contextCap  = 512_000_000
	// unusedKeep is BuildKit's second rule: anything unused for 60 days.
	unusedKeep = 60 * 24 * time.Hour
)

// diskCaps are the sizes BuildKit's default rules take from the disk that
// holds the daemon's root (its DetectDefaultGCCap on Unix): keep at least
// reserved bytes, use at most maxUsed, leave minFree free.
type diskCaps struct {
	reserved, maxUsed int64
	minFree           string
}

// capsFor computes diskCaps for a disk of total bytes; 0 (unknown) gives
// BuildKit's percentages without its byte limits.
func capsFor(total int64) diskCaps {
	if total <= 0 {
		return diskCaps{minFree: "20%"}
	}
	return diskCaps{
		reserved: min(total/10, 10_000_000_000),
		maxUsed:  min(total/10*8, 100_000_000_000),
		minFree:  "20%",
	}
}

// space is a disk size as buildkitd.toml takes it: bytes, or a percentage
// of the disk when bytes are unknown.
func space(bytes int64, percent string) string {
	if bytes > 0 {
		return fmt.Sprint(bytes)
	}
	return fmt.Sprintf("%q", percent)
}

// renderGCPolicy writes the [[worker.oci.gcpolicy]] rules, which belong
// after the [worker.oci] table's own keys.
func renderGCPolicy(b *strings.Builder, c diskCaps) {
	rule := func(lines ...string) {
		b.WriteString("\n[[worker.oci.gcpolicy]]\n")
		for _, l := range lines {
			b.WriteString("  " + l + "\n")
		}
	}
	hours := func(d time.Duration) string {
		return fmt.Sprintf("keepDuration = %q", fmt.Sprintf("%dh", int(d.Hours())))
	}
	caps := []string{
		"reservedSpace = " + space(c.reserved, "10%"),
		"maxUsedSpace = " + space(c.maxUsed, "80%"),
		fmt.Sprintf("minFreeSpace = %q", c.minFree),
	}
	rule(`filters = ["type==source.local", "type==source.git.checkout"]`, hours(contextKeep), fmt.Sprintf("maxUsedSpace = %d", contextCap))
	rule(`filters = ["type==exec.cachemount"]`, hours(cacheMountKeep))
	rule(append([]string{hours(unusedKeep)}, caps...)...)
	rule(caps...)
	rule(append([]string{"all = true"}, caps...)...)
}
