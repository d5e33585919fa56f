package image

import (
	"fmt"
	"sort"
	"strings"

	"github.com/moby/buildkit/client/llb"
)

// Default is the image rehearse runs a GitHub-hosted Ubuntu label on when
// -P does not name one.
//
// The base is Docker Hub's official ubuntu image of the label's release
// (ubuntu:24.04: about 29 MB to pull, 78 MB unpacked), the distribution
// and release GitHub's runner image is built from. One apt layer adds
// what GitHub's runner gives a Python project and the minimal image lacks
// (bash, git, curl, ca-certificates, sudo, xz-utils, zstd, lsb-release and
// the shared libraries the actions/python-versions builds link against:
// OpenSSL, zlib, bzip2, xz, SQLite, readline, ncurses, gdbm, libffi,
// libuuid, Tk). Estimated from the same package set on Debian 12: about 90
// MB unpacked and 25 MB to download, so about 170 MB in all; the layer is
// built once per daemon and cached. Then [Prepare] adds user runner.
//
// Not the python images (python:3.12 and -slim): setup-python installs
// its own Python builds into the tool cache, as on GitHub, and those
// builds are made for Ubuntu releases; the python images are Debian, not
// Ubuntu, so the libraries the builds link against would not be the ones
// they were built with, and they put another Python first on PATH
// (/usr/local/bin/python), which a job on GitHub does not have.
type Default struct {
	// Label is the runs-on label: ubuntu-latest, ubuntu-24.04, ubuntu-22.04.
	Label string
	// Ref is the base image: docker-image://docker.io/library/ubuntu:24.04.
	Ref string
	// ImageOS is what GitHub sets $ImageOS to on this label: ubuntu24.
	ImageOS string
	// Packages are installed with apt in one layer, network on.
	Packages []string
}

// basePackages are the tools GitHub's runner has that a job's scripts
// and actions use, and the minimal ubuntu image lacks.
var basePackages = []string{
	"bash", "ca-certificates", "curl", "git", "lsb-release", "sudo", "xz-utils", "zstd",
	"unzip", "zip", "jq", "make",
	// GitHub's images have the distribution's Python 3 as python3 and python
	// (setup-python puts its own first on PATH when a step asks for one).
	"python3", "python3-venv", "python3-pip", "python-is-python3",
}

// defaults are the Ubuntu labels of GitHub's hosted runners (ubuntu-latest
// is 24.04 since January 2025, per actions/runner-images). The library
// package names follow each release: 24.04 renamed several for 64-bit
// time_t (libssl3t64).
var defaults = map[string]Default{
	"ubuntu-24.04": {
		Ref:     "docker-image://docker.io/library/ubuntu:24.04",
		ImageOS: "ubuntu24",
		Packages: append(append([]string{}, basePackages...),
			"libbz2-1.0", "libffi8", "libgdbm-compat4t64", "libgdbm6t64", "liblzma5", "libncursesw6",
			"libreadline8t64", "libsqlite3-0", "libssl3t64", "libtk8.6", "libuuid1", "zlib1g"),
	},
	"ubuntu-22.04": {
		Ref:     "docker-image://docker.io/library/ubuntu:22.04",
		ImageOS: "ubuntu22",
		Packages: append(append([]string{}, basePackages...),
			"libbz2-1.0", "libffi8", "libgdbm-compat4", "libgdbm6", "liblzma5", "libncursesw6",
			"libreadline8", "libsqlite3-0", "libssl3", "libtk8.6", "libuuid1", "zlib1g"),
	},
}

// aliases are labels that name another label's image.
var aliases = map[string]string{"ubuntu-latest": "ubuntu-24.04"}

// DefaultFor returns the default image of a runs-on label, and false for
// labels without one (windows-latest, self-hosted, custom labels).
func DefaultFor(label string) (Default, bool) {
	key := label
	if a, ok := aliases[label]; ok {
		key = a
	}
	d, ok := defaults[key]
	if !ok {
		return Default{}, false
	}
	d.Label = label
	d.Packages = append([]string{}, d.Packages...)
	return d, true
}

// DefaultLabels lists the labels that have a default image, sorted.
func DefaultLabels() []string {
	var labels []string
	for l := range defaults {
		labels = append(labels, l)
	}
	for l := range aliases {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	return labels
}

// aptScript installs packages into a Debian or Ubuntu image and leaves no
// package lists behind.
func aptScript(packages []string) string {
	return "set -eu; export DEBIAN_FRONTEND=noninteractive; " +
		"apt-get update -qq && " +
		"apt-get install -y -qq --no-install-recommends " + strings.Join(packages, " ") + " && " +
		"apt-get clean && rm -rf /var/lib/apt/lists/*"
}

// Source is the default image as LLB: the base image, the apt layer
// (network on) and [Prepare]. It needs no [Requirements].
func (d Default) Source() (*Source, error) {
	ref, err := ParseRef(d.Ref)
	if err != nil {
		return nil, fmt.Errorf("default image of %q: %w", d.Label, err)
	}
	src, err := Load(ref)
	if err != nil {
		return nil, err
	}
	withTools := src.State.Run(
		llb.Args([]string{"/bin/sh", "-c", aptScript(d.Packages)}),
		llb.User("0:0"),
		llb.Dir("/"),
		// The daemon's default network (NetMode unset): host networking
		// would need the network.host entitlement.
		llb.WithCustomName(fmt.Sprintf("rehearse: apt-get install what GitHub's %s runner has (%d packages)", d.Label, len(d.Packages))),
	).Root()
	src.State = Prepare(withTools)
	return src, nil
}
