#!/usr/bin/env bash
# Builds the root filesystems the container tests run jobs in, with
# debootstrap (needs root and Debian's apt archive), and prints the path of
# each, one a line, in the order asked:
#
#   scripts/test-rootfs.sh            # every rootfs defined below
#   scripts/test-rootfs.sh bookworm   # just that one
#
# Each is cached as
#   ${REHEARSE_TOOLS_DIR:-$HOME/.cache/rehearse-dev}/rootfs/<name>-<key>
# with a symlink rootfs/<name> to it, where <key> is a hash of everything
# that decides its contents (suite, variant, mirror, package list, the
# post-install steps of this script). A cached rootfs is reused as is
# (about 10 ms); a changed definition builds a new one. A build goes to a
# temporary directory that is renamed only once complete, so an interrupted
# build never looks complete, and a lock keeps two builds of the same rootfs
# from racing. Downloaded packages are kept in rootfs/.debs for rebuilds.
#
# Environment: MIRROR (default http://deb.debian.org/debian), KEEP=N (how
# many stale builds of a name to keep; default 0).
set -euo pipefail

tools=${REHEARSE_TOOLS_DIR:-$HOME/.cache/rehearse-dev}
base=$tools/rootfs
mirror=${MIRROR:-http://deb.debian.org/debian}

# What a bookworm runner image has for Python CI steps: the minbase system,
# git and curl for checkout and downloads, Python 3.11 with venv and pip,
# the shared libraries CPython's extension modules link to (so the
# interpreters of python-builds.sh import ssl, sqlite3, ctypes, bz2, lzma,
# readline, curses, uuid), sudo/passwd/procps as on a GitHub runner,
# lsb-release (setup-python asks lsb_release for the OS), tzdata (zoneinfo),
# netbase (/etc/services, /etc/protocols), and the small tools workflows use
# (xz, zip, unzip, wget, jq, make), and python as python3 (python-is-python3),
# as on GitHub's images. tar and gzip are essential in minbase.
# (packages_<name> and suite_<name> are read through ${!var}.)
# shellcheck disable=SC2034
packages_bookworm=(
  bash ca-certificates curl git gzip jq libbz2-1.0 libffi8 libgdbm6 liblzma5
  libncursesw6 libreadline8 libsqlite3-0 libssl3 libuuid1 lsb-release make
  netbase passwd procps python-is-python3 python3 python3-pip python3-venv sudo tar tzdata
  unzip wget xz-utils zip zlib1g
)
# shellcheck disable=SC2034
suite_bookworm=bookworm

# Bumped when the post-install steps below change, so the key changes too.
recipe=4

all_names=(bookworm)

die() { echo "test-rootfs: $*" >&2; exit 2; }

# local_cas lists this machine's own CA certificates (a proxy's, a
# company's): the image trusts what this machine trusts, or HTTPS from its
# jobs fails where this machine's succeeds.
local_cas() {
  find /usr/local/share/ca-certificates -name '*.crt' -type f 2>/dev/null | sort
}

# key NAME prints the hash that names a build of NAME.
key() {
  local name=$1 suite pkgs
  suite=suite_$name
  pkgs="packages_${name}[@]"
  printf 'recipe=%s\nsuite=%s\nvariant=minbase\nmirror=%s\npackages=%s\n' \
    "$recipe" "${!suite}" "$mirror" "$(printf '%s\n' "${!pkgs}" | sort -u | tr '\n' ' ')" |
    cat - <(local_cas | xargs -r cat) | sha256sum | cut -c1-16
}

# build NAME DIR runs debootstrap into DIR and makes it image-ready.
build() {
  local name=$1 dir=$2 suite pkgs
  suite=suite_$name
  pkgs="packages_${name}[@]"
  mkdir -p "$base/.debs"
  echo "test-rootfs: building $name with debootstrap (about 2-3 minutes)" >&2
  # debootstrap's own log is long; keep it and show it only on failure.
  if ! debootstrap --variant=minbase --merged-usr --cache-dir="$base/.debs" \
      --include="$(printf '%s\n' "${!pkgs}" | sort -u | paste -sd, -)" \
      "${!suite}" "$dir" "$mirror" >"$dir.log" 2>&1; then
    tail -30 "$dir.log" >&2
    die "debootstrap of $name failed (log: $dir.log)"
  fi
  # Nothing of this host: debootstrap copies its resolv.conf and hostname
  # (a container runtime mounts its own over both).
  : >"$dir/etc/resolv.conf"
  echo runner >"$dir/etc/hostname"
  # Package lists and downloaded packages are not part of an image.
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/cache/apt/*.bin \
    "$dir"/var/lib/apt/lists/* "$dir"/var/log/* "$dir"/debootstrap
  mkdir -p "$dir/var/lib/apt/lists/partial"
  # As in Debian's -slim images: no manuals, documentation (but copyright
  # notices) or translations, now and for packages a job installs later.
  # A third of the size, and of the files an image import packs.
  printf '%s\n' 'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' \
    'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
    'path-exclude /usr/share/locale/*' 'path-include /usr/share/locale/locale.alias' \
    >"$dir/etc/dpkg/dpkg.cfg.d/rehearse-slim"
  rm -rf "$dir"/usr/share/man/* "$dir"/usr/share/info/*
  find "$dir/usr/share/doc" -mindepth 1 -not -type d -not -name copyright -delete
  find "$dir/usr/share/doc" -mindepth 1 -type d -empty -delete
  find "$dir/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
  printf 'deb %s %s main\n' "$mirror" "${!suite}" >"$dir/etc/apt/sources.list"
  local cas
  cas=$(local_cas)
  if [ -n "$cas" ]; then
    mkdir -p "$dir/usr/local/share/ca-certificates"
    # shellcheck disable=SC2086
    cp $cas "$dir/usr/local/share/ca-certificates/"
    chroot "$dir" update-ca-certificates >/dev/null 2>&1 || die "update-ca-certificates failed in $name"
  fi
  rm -f "$dir.log"
}

[ "$(id -u)" = 0 ] || die "debootstrap needs root"
command -v debootstrap >/dev/null || die "debootstrap is not installed (apt-get install debootstrap)"

names=("$@")
[ ${#names[@]} -gt 0 ] || names=("${all_names[@]}")
mkdir -p "$base"
for name in "${names[@]}"; do
  case " ${all_names[*]} " in *" $name "*) ;; *) die "unknown rootfs \"$name\" (known: ${all_names[*]})" ;; esac
  k=$(key "$name")
  final=$base/$name-$k
  if [ ! -d "$final" ]; then
    exec 9>"$base/.$name.lock"
    flock 9
    if [ ! -d "$final" ]; then
      tmp=$(mktemp -d "$base/.$name-$k.tmp.XXXXXX")
      trap 'rm -rf "$tmp" "$tmp.log"' EXIT
      start=$(date +%s)
      build "$name" "$tmp"
      chmod 755 "$tmp"
      mv -T "$tmp" "$final"
      trap - EXIT
      echo "test-rootfs: built $name in $(($(date +%s) - start)) s, $(du -sh "$final" | cut -f1)" >&2
    fi
    exec 9>&-
  fi
  # Point rootfs/<name> at the current build (rename over the old link).
  ln -sfn "$name-$k" "$base/.$name.link"
  mv -T "$base/.$name.link" "$base/$name"
  # Earlier builds of this name (KEEP=N keeps the newest N) and temporary
  # directories left by interrupted builds more than a day ago.
  keep=${KEEP:-0}
  find "$base" -maxdepth 1 -type d -name "$name-$(printf '?%.0s' {1..16})" -not -name "$name-$k" -printf '%T@ %p\n' |
    sort -rn | tail -n +$((keep + 1)) | cut -d' ' -f2- | xargs -r rm -rf
  find "$base" -maxdepth 1 -name ".$name-*.tmp.*" -mtime +1 -exec rm -rf {} +
  echo "$final"
done
