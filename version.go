package main

import "runtime/debug"

// version is set at build time with -ldflags "-X main.version=...".
var version = ""

// Version returns the build's version, falling back to the module version
// recorded by `go install` when no -ldflags were given.
func Version() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "devel"
}
