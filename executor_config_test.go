package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/rehearse-dev/rehearse/fixtures/buildkittest"
	"github.com/rehearse-dev/rehearse/fixtures/containertest"
)

// testExecutor is the executor the integration tests run jobs on:
// $REHEARSE_TEST_EXECUTOR, host by default. Tests that are about one
// executor say so with their own flags.
func testExecutor() string {
	if e := os.Getenv("REHEARSE_TEST_EXECUTOR"); e != "" {
		return e
	}
	return "host"
}

// testExecutorConfig writes the user configuration file the tests' runs
// read: the executor, and for containers the test builder and image.
func testExecutorConfig(state string) (string, error) {
	path := filepath.Join(state, "config.yml")
	text := "executor: " + testExecutor() + "\n"
	if testExecutor() == "container" {
		extra, err := containerConfig()
		if err != nil {
			return "", fmt.Errorf("REHEARSE_TEST_EXECUTOR=container: %w", err)
		}
		text += extra
	}
	return path, os.WriteFile(path, []byte(text), 0o644)
}

// containerConfig points the runs at the test daemon and maps GitHub's
// Linux labels to the test image.
func containerConfig() (string, error) {
	addr, err := buildkittest.Ensure()
	if err != nil {
		return "", err
	}
	rootfs := containertest.FindRootfs()
	if rootfs == "" {
		return "", fmt.Errorf("no test root filesystem: run scripts/test-rootfs.sh")
	}
	ref, err := containertest.ImageOf(rootfs)
	if err != nil {
		return "", err
	}
	text := "builder: " + addr + "\nplatforms:\n"
	for _, l := range []string{"ubuntu-latest", "ubuntu-24.04", "ubuntu-22.04", "self-hosted", "linux"} {
		text += fmt.Sprintf("  %s: %s\n", l, ref)
	}
	return text, nil
}
