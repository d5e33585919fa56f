package host

import (
	"bytes"
	"os"
	"strconv"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/executor"
)

// orphans are the processes that carry RUNNER_TRACKING_ID=id in their
// environment, as the runner finds them: every process a step started
// inherits it, whether it left the step's process group (setsid, a double
// fork, nohup ... & disown) or not.
func orphans(id string) []orphan {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	want := []byte(executor.TrackingVar + "=" + id)
	self := os.Getpid()
	var out []orphan
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == self {
			continue
		}
		env, err := os.ReadFile("/proc/" + e.Name() + "/environ")
		if err != nil {
			continue // gone, or not ours to read
		}
		found := false
		for _, kv := range bytes.Split(env, []byte{0}) {
			if bytes.Equal(kv, want) {
				found = true
				break
			}
		}
		if !found {
			continue
		}
		name, _ := os.ReadFile("/proc/" + e.Name() + "/comm")
		out = append(out, orphan{pid: pid, name: strings.TrimSpace(string(name))})
	}
	return out
}
