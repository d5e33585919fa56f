package run_test

import (
	"strings"
	"testing"
)

// TestNetworkFailureHint: a job that fails because a host could not be
// reached says so, pointing at the offline settings; a job that fails
// otherwise does not.
func TestNetworkFailureHint(t *testing.T) {
	t.Parallel()
	const wf = `
on: push
jobs:
  refused:
    runs-on: ubuntu-latest
    steps:
      - run: python3 -c "import socket; socket.create_connection(('127.0.0.1', 9), timeout=5)"
  plain:
    runs-on: ubuntu-latest
    steps:
      - run: echo "assert 3 == 4"; exit 1
`
	rep, _ := runIn(t, newFakeExecutor(t), runCase{workflows: map[string]string{"ci.yml": wf}})
	refused, plain := job(t, rep, "refused"), job(t, rep, "plain")
	if refused.Conclusion != "failure" || !strings.Contains(refused.Hint, "could not reach the network") || !strings.Contains(refused.Hint, "Connection refused") {
		t.Errorf("refused: conclusion %s, hint %q\n%s", refused.Conclusion, refused.Hint, explain(refused))
	}
	if plain.Conclusion != "failure" || plain.Hint != "" {
		t.Errorf("plain: conclusion %s, hint %q", plain.Conclusion, plain.Hint)
	}
}
