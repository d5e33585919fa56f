package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// rehearseBin is the binary built once for the integration tests, which
// run it as a user would.
var rehearseBin string

// asRehearse, set in a process's environment, makes this test binary run
// as rehearse: main, with the process's arguments.
const asRehearse = "REHEARSE_TEST_BINARY_IS_REHEARSE"

func TestMain(m *testing.M) {
	if os.Getenv(asRehearse) == "1" {
		// Not inherited by the jobs' steps, as nothing of the tests is.
		os.Unsetenv(asRehearse)
		main()
	}
	flag.Parse()
	if testing.Short() {
		// Under -short (no container tests) the test binary, already built,
		// is rehearse: building and linking another takes seconds, the
		// longest part of this package's short run. make test builds and
		// runs the real binary.
		exe, err := os.Executable()
		if err != nil {
			fmt.Fprintln(os.Stderr, "could not find the test binary:", err)
			os.Exit(2)
		}
		rehearseBin = exe
		os.Setenv(asRehearse, "1")
		os.Exit(runTests(m))
	}
	dir, err := os.MkdirTemp("", "rehearse-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	// The container agent must be static: a static build is both the
	// binary under test and the agent, unless the tests run with -race,
	// whose build is not static; then the agent is built beside it.
	agent := filepath.Join(dir, "rehearse-agent")
	static := exec.Command("go", "build", "-o", agent, ".")
	static.Env = append(os.Environ(), "CGO_ENABLED=0")
	static.Stderr = os.Stderr
	if err := static.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "could not build rehearse (static, the container agent):", err)
		os.Exit(2)
	}
	os.Setenv("REHEARSE_AGENT", agent)
	rehearseBin = agent
	if raceEnabled {
		rehearseBin = filepath.Join(dir, "rehearse")
		build := exec.Command("go", "build", "-race", "-o", rehearseBin, ".")
		build.Stderr = os.Stderr
		if err := build.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "could not build rehearse:", err)
			os.Exit(2)
		}
	}
	code := runTests(m)
	os.RemoveAll(dir)
	os.Exit(code)
}

// runTests runs the tests with the user's state, caches and configuration
// kept out of them, and returns their exit code.
func runTests(m *testing.M) int {
	// Keep the user's state and caches out of the tests.
	state, _ := os.MkdirTemp("", "rehearse-state-")
	os.Setenv("REHEARSE_STATE_DIR", state)
	os.Setenv("REHEARSE_CACHE_DIR", filepath.Join(state, "cache"))
	// Where jobs run is the test's choice, through the user configuration
	// file (see testExecutorConfig), not what this machine happens to have.
	cfg, err := testExecutorConfig(state)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Setenv("REHEARSE_CONFIG", cfg)
	code := m.Run()
	os.RemoveAll(state)
	return code
}

// skipIfShort skips an end-to-end test under -short (go test -short, make
// test-short): one that runs jobs through the binary, signals it or waits
// on timers, or starts external checkers. make test runs it, and so does
// CI (CI=true), where it never skips.
func skipIfShort(t *testing.T) {
	t.Helper()
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("end-to-end test, skipped under -short: make test runs it")
	}
}

// result is one run of the binary.
type result struct {
	stdout, stderr string
	code           int
}

// runBin runs the built binary in dir with args and extra environment.
func runBin(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(rehearseBin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("could not run rehearse: %v", err)
	}
	return result{stdout: out.String(), stderr: errb.String(), code: code}
}
