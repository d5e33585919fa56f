package executor

import "runtime"

// HostPlatform is this machine's OS and architecture in the runner's words.
func HostPlatform() Platform {
	return Platform{OS: runnerOS(runtime.GOOS), Arch: runnerArch(runtime.GOARCH)}
}

// runnerOS is runner.os for a GOOS value.
func runnerOS(goos string) string {
	switch goos {
	case "darwin":
		return "macOS"
	case "windows":
		return "Windows"
	}
	return "Linux"
}

// runnerArch is runner.arch for a GOARCH value.
func runnerArch(goarch string) string {
	switch goarch {
	case "amd64":
		return "X64"
	case "386":
		return "X86"
	case "arm64":
		return "ARM64"
	case "arm":
		return "ARM"
	}
	return goarch
}

// ToolArch is the architecture name GitHub's tool cache and setup actions
// use for a runner.arch value ("x64", "arm64").
func ToolArch(runnerArch string) string {
	switch runnerArch {
	case "X64":
		return "x64"
	case "X86":
		return "x86"
	case "ARM64":
		return "arm64"
	case "ARM":
		return "arm"
	}
	return runnerArch
}
