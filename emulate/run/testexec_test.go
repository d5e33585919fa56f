package run_test

import (
	"os"
	"testing"

	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/executor/buildkit"
	"github.com/rehearse-dev/rehearse/emulate/executor/host"
	"github.com/rehearse-dev/rehearse/fixtures/containertest"
)

// testExecutor is the executor the run-behaviour tests run jobs on: this
// machine (the host executor), or with REHEARSE_TEST_EXECUTOR=container
// the test builder's containers, as make test-containers runs them. Tests
// about this machine itself use host.New, about no machine the fake.
func testExecutor(t *testing.T) executor.Executor {
	t.Helper()
	if os.Getenv("REHEARSE_TEST_EXECUTOR") == "container" {
		return testContainers{containertest.Executor(t, buildkit.Options{}), containertest.Image(t)}
	}
	return host.New()
}

// onHost reports whether testExecutor runs jobs on this machine.
func onHost() bool { return os.Getenv("REHEARSE_TEST_EXECUTOR") != "container" }

// testContainers is the container executor with the test image, which
// the harness gives the Linux labels (TestImage).
type testContainers struct {
	*buildkit.Executor
	image string
}

func (e testContainers) TestImage() string { return e.image }
