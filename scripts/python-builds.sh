#!/usr/bin/env bash
# Packs pyenv's CPython builds the way actions/python-versions publishes
# them, so that the container tests' actions/setup-python can install Python
# from a manifest without reaching GitHub:
#
#   scripts/python-builds.sh              # 3.9 3.10 3.11 3.12 (newest patch of each)
#   scripts/python-builds.sh 3.11 3.12.1  # a minor (its newest patch) or an exact version
#
# Output, in ${REHEARSE_TOOLS_DIR:-$HOME/.cache/rehearse-dev}/python-builds/:
#   python-<version>-linux-<platform_version>-x64.tar.gz
#       the installed tree (bin, include, lib, share) and setup.sh at the top
#       level, as python-versions' `tar -czf ARCHIVE .` lays it out
#   versions-manifest.json
#       python-versions' manifest format; every download_url starts with
#       {{BASE_URL}}, which the test server (fixtures/loopback) replaces
#   wheels/
#       the pip and setuptools wheels bundled with these builds' ensurepip
#       (pip 23.0.1 does not run on 3.12, so the package index must offer
#       the newer pip that setup.sh's `pip install --ignore-installed pip`
#       and a workflow's `pip install --upgrade pip` pick)
#
# How a build differs from pyenv's installed tree:
# - site-packages is empty (setup.sh runs ensurepip, as python-versions'
#   does), and bin/ holds only the interpreter's own commands;
# - the test suites (lib/pythonX.Y/test and the packages' test directories)
#   and the static libpythonX.Y.a are left out, and ELF files lose their
#   debug symbols: this is what keeps a tarball at about a sixth of the tree;
# - every ELF file whose RUNPATH pointed into pyenv gets $ORIGIN-relative
#   one ($ORIGIN/../lib for bin/pythonX.Y), so the tree runs from any
#   directory (python-versions builds use an absolute
#   /opt/hostedtoolcache/... rpath instead, and setup-python also sets
#   LD_LIBRARY_PATH);
# - the scripts in bin/ start with a relocatable sh/python preamble, and the
#   build configuration (sysconfig data, Makefile, pkg-config, pythonX.Y-config)
#   names /opt/hostedtoolcache/Python/<version>/x64 as its prefix, as
#   python-versions' builds do.
#
# Each tarball is rebuilt only when the pyenv build or this recipe changes;
# it is written to a temporary file and renamed. Environment: PYENV_ROOT
# (default ~/.pyenv), PLATFORM_VERSION (default: VERSION_ID of Debian 12's
# os-release, "12"), STRIP=0 keeps debug symbols.
set -euo pipefail

tools=${REHEARSE_TOOLS_DIR:-$HOME/.cache/rehearse-dev}
out=$tools/python-builds
pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
platform_version=${PLATFORM_VERSION:-12}
strip_debug=${STRIP:-1}
recipe=3 # bump when the packing below changes

die() { echo "python-builds: $*" >&2; exit 2; }
command -v patchelf >/dev/null || die "patchelf is not installed (apt-get install patchelf)"
command -v python3 >/dev/null || die "python3 is needed to write the manifest"

# resolve VERSION prints the pyenv version a minor (newest patch) or exact
# version names.
resolve() {
  local want=$1 v
  if [[ $want =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
    [ -x "$pyenv_root/versions/$want/bin/python${want%.*}" ] || die "no pyenv build of $want in $pyenv_root/versions"
    echo "$want"
    return
  fi
  v=$(find "$pyenv_root/versions" -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null |
    grep -E "^${want//./\\.}\.[0-9]+$" | sort -V | tail -1 || true)
  [ -n "$v" ] || die "no pyenv build of $want in $pyenv_root/versions (pyenv install $want)"
  echo "$v"
}

# setup_sh VERSION writes the installer: the steps of python-versions'
# installers/nix-setup-template.sh, for this layout.
setup_sh() {
  cat <<EOF
set -e

PYTHON_FULL_VERSION="$1"
ARCH="x64"
EOF
  cat <<'EOF'
MAJOR_VERSION=$(echo "$PYTHON_FULL_VERSION" | cut -d '.' -f 1)
MINOR_VERSION=$(echo "$PYTHON_FULL_VERSION" | cut -d '.' -f 2)

PYTHON_MAJOR=python$MAJOR_VERSION
PYTHON_MAJOR_DOT_MINOR=python$MAJOR_VERSION.$MINOR_VERSION
PYTHON_MAJORMINOR=python$MAJOR_VERSION$MINOR_VERSION

# AGENT_TOOLSDIRECTORY (Azure Pipelines) wins over RUNNER_TOOL_CACHE.
if [ -z "${AGENT_TOOLSDIRECTORY+x}" ]; then
    TOOLCACHE_ROOT=$RUNNER_TOOL_CACHE
else
    TOOLCACHE_ROOT=$AGENT_TOOLSDIRECTORY
fi
if [ -z "$TOOLCACHE_ROOT" ]; then
    echo "Neither RUNNER_TOOL_CACHE nor AGENT_TOOLSDIRECTORY is set" >&2
    exit 1
fi

PYTHON_TOOLCACHE_PATH=$TOOLCACHE_ROOT/Python
PYTHON_TOOLCACHE_VERSION_PATH=$PYTHON_TOOLCACHE_PATH/$PYTHON_FULL_VERSION
PYTHON_TOOLCACHE_VERSION_ARCH_PATH=$PYTHON_TOOLCACHE_VERSION_PATH/$ARCH

echo "Check if Python hostedtoolcache folder exist..."
if [ ! -d "$PYTHON_TOOLCACHE_PATH" ]; then
    echo "Creating Python hostedtoolcache folder..."
    mkdir -p "$PYTHON_TOOLCACHE_PATH"
elif [ -d "$PYTHON_TOOLCACHE_VERSION_PATH" ]; then
    echo "Deleting Python $PYTHON_FULL_VERSION"
    rm -rf "$PYTHON_TOOLCACHE_VERSION_PATH"
fi

echo "Create Python $PYTHON_FULL_VERSION folder"
mkdir -p "$PYTHON_TOOLCACHE_VERSION_ARCH_PATH"

echo "Copy Python binaries to hostedtoolcache folder"
cp -R ./* "$PYTHON_TOOLCACHE_VERSION_ARCH_PATH"
rm "$PYTHON_TOOLCACHE_VERSION_ARCH_PATH/setup.sh"

cd "$PYTHON_TOOLCACHE_VERSION_ARCH_PATH"

echo "Create additional symlinks (Required for the UsePythonVersion Azure Pipelines task and the setup-python GitHub Action)"
ln -s "./bin/$PYTHON_MAJOR_DOT_MINOR" python

cd bin/
ln -s "$PYTHON_MAJOR_DOT_MINOR" "$PYTHON_MAJORMINOR"
if [ ! -f python ]; then
    ln -s "$PYTHON_MAJOR_DOT_MINOR" python
fi

chmod +x ../python "$PYTHON_MAJOR" "$PYTHON_MAJOR_DOT_MINOR" "$PYTHON_MAJORMINOR" python

echo "Upgrading pip..."
export PIP_ROOT_USER_ACTION=ignore
./python -m ensurepip
./python -m pip install --ignore-installed pip --disable-pip-version-check --no-warn-script-location

echo "Create complete file"
touch "$PYTHON_TOOLCACHE_VERSION_PATH/$ARCH.complete"
EOF
}

# pack VERSION TARBALL stages pyenv's VERSION and writes TARBALL.
pack() {
  local v=$1 tarball=$2 m=${1%.*} src=$pyenv_root/versions/$1 stage f rp rel prefix
  stage=$(mktemp -d "$out/.stage-$v.XXXXXX")
  trap 'rm -rf "$stage" "$tarball.tmp"' EXIT
  prefix=/opt/hostedtoolcache/Python/$v/x64
  # The tree without site-packages' contents, the test suites, the static
  # library and bin/'s non-interpreter scripts (pip, and whatever else was
  # installed into this pyenv version). Modification times are kept: the
  # .pyc files are valid only for their source's mtime.
  tar -C "$src" -cf - \
    --exclude="./lib/python$m/site-packages/*" \
    --exclude="./lib/python$m/test" \
    --exclude="./lib/python$m/*/test" --exclude="./lib/python$m/*/tests" \
    --exclude="./lib/python$m/idlelib/idle_test" \
    --exclude="./lib/python$m/config-$m-*/libpython$m*.a" \
    --exclude='./bin/__pycache__' \
    . | tar -C "$stage" -xf -
  cp -p "$src/lib/python$m/site-packages/README.txt" "$stage/lib/python$m/site-packages/" 2>/dev/null || true
  find "$stage/bin" -mindepth 1 -maxdepth 1 \
    -not \( -name 'python*' -o -name '2to3*' -o -name 'idle*' -o -name 'pydoc*' \) -exec rm -rf {} +

  # Scripts: a preamble that sh runs and python skips finds the interpreter
  # next to the script, wherever the tree is (pip writes the same preamble
  # for long paths).
  for f in "$stage"/bin/*; do
    if [ ! -f "$f" ] || [ -L "$f" ]; then continue; fi
    if head -c 64 "$f" | head -1 | grep -q "^#!$src/bin/python"; then
      {
        printf '#!/bin/sh\n'
        printf "'''exec' \"\$(dirname -- \"\$(readlink -f -- \"\$0\")\")/python%s\" \"\$0\" \"\$@\"\n' '''\n" "$m"
        tail -n +2 "$f"
      } >"$f.new"
      touch -r "$f" "$f.new"
      chmod --reference="$f" "$f.new"
      mv "$f.new" "$f"
    fi
  done
  # Build configuration: the prefix python-versions' builds have.
  grep -rlI --null "$src" "$stage/lib/pkgconfig" "$stage/lib/python$m"/_sysconfigdata_*.py \
    "$stage/lib/python$m/config-$m-"* "$stage/bin" 2>/dev/null |
    xargs -0 -r sed -i "s|$src|$prefix|g"
  rm -f "$stage/lib/python$m/__pycache__"/_sysconfigdata_*.pyc

  # ELF files: no debug symbols; RUNPATH relative to the file.
  while IFS= read -r -d '' f; do
    [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] || continue
    if [ "$strip_debug" = 1 ]; then
      strip --strip-debug "$f"
    fi
    rp=$(patchelf --print-rpath "$f" 2>/dev/null || true)
    if [[ $rp == *"$src"* ]]; then
      rel=$(realpath --relative-to="$(dirname "$f")" "$stage/lib")
      patchelf --set-rpath "\$ORIGIN/$rel" "$f"
    fi
  done < <(find "$stage" -type f \( -perm -u+x -o -name '*.so' -o -name '*.so.*' \) -print0)

  setup_sh "$v" >"$stage/setup.sh"
  chmod 755 "$stage/setup.sh"

  check "$v" "$stage"

  # python-versions: `tar -czf ARCHIVE .` in the staged directory.
  tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner -cf - . | gzip -n >"$tarball.tmp"
  rm -rf "$stage"
  mv "$tarball.tmp" "$tarball"
  trap - EXIT
}

# check VERSION DIR runs the staged interpreter from a copy elsewhere, with
# nothing of pyenv in its environment.
check() {
  local v=$1 dir=$2 m=${1%.*} copy lib
  copy=$(mktemp -d)
  cp -a "$dir/." "$copy/"
  lib=$(cd / && ldd "$copy/bin/python$m" | awk '/libpython/{print $3}')
  if [ -z "$lib" ] || [ "$(realpath "$lib")" != "$(realpath "$copy/lib/libpython$m.so.1.0")" ]; then
    rm -rf "$copy"
    die "$v: ldd finds libpython at \"$lib\", not in the tree"
  fi
  if ! (cd / && env -i PATH=/usr/bin:/bin "$copy/bin/python$m" -c '
import ssl, sqlite3, ctypes, zlib, bz2, lzma, readline, hashlib, uuid, curses, decimal, json, venv, ensurepip, sys
assert sys.version.split()[0] == sys.argv[1], sys.version
' "$v" && "$copy/bin/pydoc$m" json >/dev/null); then
    rm -rf "$copy"
    die "$v: the packed interpreter does not run from $copy"
  fi
  rm -rf "$copy"
}

versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(3.9 3.10 3.11 3.12)
mkdir -p "$out/wheels"
exec 9>"$out/.lock"
flock 9
start=$(date +%s)
rm -f "$out"/wheels/*.whl # refilled below from the builds asked for
full=()
for want in "${versions[@]}"; do
  v=$(resolve "$want")
  full+=("$v")
  m=${v%.*}
  name=python-$v-linux-$platform_version-x64.tar.gz
  src=$pyenv_root/versions/$v
  key="recipe=$recipe strip=$strip_debug src=$src $(stat -c '%s %Y' "$src/lib/libpython$m.so.1.0" "$src/bin/python$m" | tr '\n' ' ')"
  if [ -f "$out/$name" ] && [ "$(cat "$out/.$name.key" 2>/dev/null)" = "$key" ]; then
    echo "python-builds: $name is up to date" >&2
  else
    t0=$(date +%s)
    pack "$v" "$out/$name"
    echo "$key" >"$out/.$name.key"
    echo "python-builds: packed $name in $(($(date +%s) - t0)) s, $(du -h "$out/$name" | cut -f1)" >&2
  fi
  for w in "$src/lib/python$m/ensurepip/_bundled/"*.whl; do
    [ -e "$w" ] && cp -p "$w" "$out/wheels/"
  done
done

# The manifest lists what was asked for, newest first; other tarballs go.
python3 - "$out" "$platform_version" "${full[@]}" <<'EOF'
import json, os, sys
out, platform_version, versions = sys.argv[1], sys.argv[2], sys.argv[3:]
key = lambda v: tuple(int(p) for p in v.split("."))
manifest, keep = [], set()
for v in sorted(set(versions), key=key, reverse=True):
    name = f"python-{v}-linux-{platform_version}-x64.tar.gz"
    keep.add(name)
    manifest.append({
        "version": v,
        "stable": True,
        "release_url": "{{BASE_URL}}/releases/tag/" + v,
        "files": [{
            "filename": name,
            "arch": "x64",
            "platform": "linux",
            "platform_version": platform_version,
            "download_url": "{{BASE_URL}}/" + name,
        }],
    })
for f in os.listdir(out):
    if f.startswith("python-") and f.endswith(".tar.gz") and f not in keep:
        os.remove(os.path.join(out, f))
        try:
            os.remove(os.path.join(out, "." + f + ".key"))
        except FileNotFoundError:
            pass
tmp = os.path.join(out, ".versions-manifest.json.tmp")
with open(tmp, "w") as fh:
    json.dump(manifest, fh, indent=2)
    fh.write("\n")
os.replace(tmp, os.path.join(out, "versions-manifest.json"))
EOF
echo "python-builds: ${full[*]} in $(($(date +%s) - start)) s, $(du -ch "$out"/python-*.tar.gz | tail -1 | cut -f1) of tarballs" >&2
echo "$out"
