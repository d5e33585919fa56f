package executor

import (
	"crypto/rand"
	"fmt"
)

// TrackingVar is the variable the runner gives every process of a job: it
// finds, when the job ends, the processes the job left running.
const TrackingVar = "RUNNER_TRACKING_ID"

// NewTrackingID is a tracking id in the runner's form, github_<uuid>.
func NewTrackingID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("github_%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
