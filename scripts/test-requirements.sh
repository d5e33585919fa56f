#!/usr/bin/env bash
# Says, before `make test`, which of its requirements this machine lacks and
# which tests skip because of it (README: Tests). Under CI=true a missing
# requirement fails instead: .ci/run installs them all.
set -uo pipefail
tools=${REHEARSE_TOOLS_DIR:-$HOME/.cache/rehearse-dev}
missing=0

lacks() { # lacks WHAT WHICH-TESTS HOW
  printf 'make test: no %s: %s skip (%s)\n' "$1" "$2" "$3" >&2
  missing=$((missing + 1))
}
have() { command -v "$1" >/dev/null 2>&1; }
buildkitd_found() {
  [ -n "${REHEARSE_BUILDKITD:-}" ] || [ -x bin/buildkitd ] || have buildkitd ||
    compgen -G "$tools/buildkit/*/buildkitd" >/dev/null
}

have git || lacks git "every test" "install git"
have shellcheck || lacks shellcheck "the lint tests that expect its findings" "apt-get install shellcheck"
have pyflakes || have pyflakes3 || lacks pyflakes "the lint tests that expect its findings" "apt-get install pyflakes3"
have python3 || lacks python3 "the host executor's Python runs" "apt-get install python3"
for t in pytest flake8 black isort mypy bandit; do
  [ -x "/usr/bin/$t" ] || [ -x "/usr/bin/$t-3" ] || { lacks "Debian's $t" "the tutorial's offline host run and the host-tools test" "apt-get install python3-pytest flake8 black isort mypy python3-bandit"; break; }
done
have runc || lacks runc "the container tests" "apt-get install runc"
buildkitd_found || lacks buildkitd "the container tests" "make buildkitd"
[ -d "$tools/rootfs/bookworm" ] || lacks "test root filesystem" "the container tests" "scripts/test-rootfs.sh"
[ -f "$tools/python-builds/versions-manifest.json" ] || lacks "Python builds" "the setup-python container tests" "scripts/python-builds.sh"
compgen -G "$tools/wheelhouse/tutorial/*.whl" >/dev/null || lacks "tutorial wheels" "the pip cache and tutorial container tests" "scripts/debian-wheels.py"
have sshd || [ -x /usr/sbin/sshd ] || lacks sshd "the ssh:// builder test" "apt-get install openssh-server"
have rootlesskit || lacks rootlesskit "the rootless builder test" "apt-get install rootlesskit uidmap"

if [ "$missing" -eq 0 ]; then
  echo "make test: every requirement is here; no test skips for want of one" >&2
elif [ "${CI:-}" = true ]; then
  echo "make test: $missing requirement(s) missing under CI=true: run .ci/run" >&2
  exit 1
fi
