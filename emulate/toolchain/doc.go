// Package toolchain finds the Pythons, Go toolchains and Node.js installs
// of the machine and picks the one actions/setup-python, actions/setup-go or
// actions/setup-node would pick from GitHub's tool cache for a version spec.
//
// The setup actions resolve specs with @actions/tool-cache and node-semver:
// an exact version must exist as is, anything else is a range whose highest
// satisfying version wins, and prereleases only match ranges that name
// them. semver.go ports those rules so "3.11", "3.x", "~3.10", ">=3.9 <3.12"
// and "3.13-dev" mean here what they mean on GitHub. Where GitHub would
// download a missing version, rehearse reports the action's own error
// (*[NotFoundError]) with the installed versions and a hint such as
// `pyenv install 3.8`; specs that only make sense with GitHub's release
// manifests (lts/*, stable) are an *[UnsupportedError].
//
// uv (astral-sh/setup-uv) is not looked for on the machine: like the
// action, rehearse downloads its release ([InstallUV]) into its own cache,
// checked against the published sha256, after resolving the version spec
// ([ResolveUV]) from a versions manifest when it is not exact.
//
// Finders run each candidate binary once and cache the answer for the life
// of the process, keyed by the binary's path, size and mtime. [Env] is
// injected so tests run against fake trees of shell scripts.
package toolchain
