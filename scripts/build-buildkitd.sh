#!/usr/bin/env bash
# Builds buildkitd and buildctl from the exact github.com/moby/buildkit
# version that go.mod pins, through the Go module proxy. `go install` of
# buildkitd is refused (buildkit's go.mod has exclude directives), so a
# throwaway module requires the pinned version, copies that exclude block,
# and builds both commands there. The binaries are cached by version:
#   ${REHEARSE_TOOLS_DIR:-$HOME/.cache/rehearse-dev}/buildkit/VERSION/{buildkitd,buildctl}
# and linked into bin/ (override with OUT=DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
version=$(go list -m -f '{{.Version}}' github.com/moby/buildkit 2>/dev/null || true)
if [ -z "$version" ]; then
  version=$(awk '$1=="github.com/moby/buildkit"{print $2}' go.mod | head -1)
fi
if [ -z "$version" ]; then
  echo "build-buildkitd: go.mod does not require github.com/moby/buildkit" >&2
  exit 2
fi
tools=${REHEARSE_TOOLS_DIR:-$HOME/.cache/rehearse-dev}
dest=$tools/buildkit/$version
out=${OUT:-$root/bin}
mkdir -p "$out"
if [ -x "$dest/buildkitd" ] && [ -x "$dest/buildctl" ]; then
  echo "build-buildkitd: buildkit $version is cached in $dest"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  echo "build-buildkitd: building buildkitd and buildctl $version (about 3-4 minutes cold)"
  (
    cd "$work"
    go mod init rehearse.local/buildkitd-build >/dev/null 2>&1
    go get "github.com/moby/buildkit@$version" >/dev/null 2>&1
    modfile=$(go list -m -f '{{.GoMod}}' "github.com/moby/buildkit")
    # buildkit's exclude block, so the dependency set is the one it was tested with.
    awk '/^exclude \(/{p=1} p{print} p&&/^\)/{p=0}' "$modfile" >> go.mod
    # go get of the command packages records their dependencies in go.sum.
    go get "github.com/moby/buildkit/cmd/buildkitd@$version" "github.com/moby/buildkit/cmd/buildctl@$version" >/dev/null 2>&1
    mkdir -p "$dest.tmp"
    CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/moby/buildkit/version.Version=$version" -o "$dest.tmp/buildkitd" github.com/moby/buildkit/cmd/buildkitd
    CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/moby/buildkit/version.Version=$version" -o "$dest.tmp/buildctl" github.com/moby/buildkit/cmd/buildctl
  )
  rm -rf "$dest"
  mv "$dest.tmp" "$dest"
fi
ln -sf "$dest/buildkitd" "$out/buildkitd"
ln -sf "$dest/buildctl" "$out/buildctl"
echo "build-buildkitd: $out/buildkitd $out/buildctl ($version)"
