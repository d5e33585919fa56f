# rehearse: give an image what GitHub's runner gives a job, where the image
# lacks it: user runner (uid 1001, group runner gid 1001, HOME /home/runner,
# bash as shell), passwordless sudo for it when sudo is installed, and
# /home/runner/work, /home/runner/.cache/pip, /opt/hostedtoolcache owned by
# it. Nothing else is changed, except what useradd itself writes when the
# image has it (its /etc/*- backups and runner's /etc/subuid and
# /etc/subgid ranges, as on GitHub's runner). Runs as root with no network,
# in POSIX sh (dash, bash, busybox ash).
#
# An image that already has user runner with uid 1001 keeps its user, group
# and sudoers as they are; only missing directories are created. A uid, gid
# or name taken by someone else is an error with its own exit status (see
# prepare.go). $REHEARSE_PREPARE_ROOT prefixes every path (tests only; the
# system tools are not used then).
set -eu
umask 022
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
R="${REHEARSE_PREPARE_ROOT:-}"

say() { printf 'rehearse prepare: %s\n' "$*" >&2; }
fail() {
	code=$1
	shift
	printf 'rehearse prepare: error: %s\n' "$*" >&2
	exit "$code"
}
# ensure_newline makes sure appending to a file starts a new line.
ensure_newline() {
	if [ -s "$1" ] && [ -n "$(tail -c 1 "$1")" ]; then
		printf '\n' >>"$1"
	fi
}

user=absent
if [ -f "$R/etc/passwd" ]; then
	while IFS=: read -r name _ uid _ || [ -n "$name" ]; do
		if [ "$name" = runner ] && [ "$uid" = 1001 ]; then
			user=present
		elif [ "$name" = runner ]; then
			fail 112 "the image has user runner with uid $uid; GitHub's runner user has uid 1001 (use an image without it, or one where runner is uid 1001)"
		elif [ "$uid" = 1001 ]; then
			fail 111 "uid 1001 is user $name in this image; GitHub's runner user runner needs uid 1001 (use an image where uid 1001 is free or is runner)"
		fi
	done <"$R/etc/passwd"
fi

if [ "$user" = present ]; then
	say "user runner (uid 1001) is already in the image: left as it is"
else
	group=absent
	if [ -f "$R/etc/group" ]; then
		while IFS=: read -r name _ gid _ || [ -n "$name" ]; do
			if [ "$name" = runner ] && [ "$gid" = 1001 ]; then
				group=present
			elif [ "$name" = runner ]; then
				fail 114 "the image has group runner with gid $gid; GitHub's runner group has gid 1001"
			elif [ "$gid" = 1001 ]; then
				fail 113 "gid 1001 is group $name in this image; GitHub's runner group runner needs gid 1001"
			fi
		done <"$R/etc/group"
	fi
	shell=/bin/sh
	if [ -x "$R/bin/bash" ]; then
		shell=/bin/bash
	elif [ -x "$R/usr/bin/bash" ]; then
		shell=/usr/bin/bash
	else
		say "bash is not in the image: runner's shell is /bin/sh"
	fi
	if [ -z "$R" ] && command -v useradd >/dev/null 2>&1 && command -v groupadd >/dev/null 2>&1; then
		if [ "$group" = absent ]; then
			groupadd --gid 1001 runner
		fi
		# --no-log-init: no lastlog/faillog records; -M: the home is made below.
		useradd --uid 1001 --gid 1001 --no-create-home --home-dir /home/runner \
			--shell "$shell" --no-log-init runner
		say "added user runner (uid 1001, gid 1001) with useradd"
	else
		mkdir -p "$R/etc"
		if [ "$group" = absent ]; then
			ensure_newline "$R/etc/group"
			printf 'runner:x:1001:\n' >>"$R/etc/group"
			if [ -f "$R/etc/gshadow" ]; then
				ensure_newline "$R/etc/gshadow"
				printf 'runner:!::\n' >>"$R/etc/gshadow"
			fi
		fi
		ensure_newline "$R/etc/passwd"
		printf 'runner:x:1001:1001::/home/runner:%s\n' "$shell" >>"$R/etc/passwd"
		if [ -f "$R/etc/shadow" ]; then
			ensure_newline "$R/etc/shadow"
			printf 'runner:!::0:99999:7:::\n' >>"$R/etc/shadow"
		fi
		say "added user runner (uid 1001, gid 1001) to /etc/passwd, /etc/group and /etc/shadow (no useradd in the image)"
	fi
	for s in /usr/bin/sudo /bin/sudo /usr/sbin/sudo /usr/local/bin/sudo; do
		if [ -x "$R$s" ]; then
			mkdir -p "$R/etc/sudoers.d"
			printf 'runner ALL=(ALL) NOPASSWD:ALL\n' >"$R/etc/sudoers.d/runner"
			chmod 0440 "$R/etc/sudoers.d/runner"
			say "runner may use sudo without a password (/etc/sudoers.d/runner)"
			break
		fi
	done
fi

# make_dir DIR MODE creates DIR owned by runner when it is missing.
make_dir() {
	if [ -d "$R$1" ]; then
		return 0
	fi
	mkdir -p "$R${1%/*}"
	mkdir -m "$2" "$R$1"
	chown 1001:1001 "$R$1"
	made=1
}
made=0
make_dir /home/runner 0750
if [ "$made" = 1 ] && [ -d "$R/etc/skel" ]; then
	cp -a "$R/etc/skel/." "$R/home/runner/"
	chown -R 1001:1001 "$R/home/runner"
	chmod 0750 "$R/home/runner" # cp -a gave it the mode of /etc/skel
fi
make_dir /home/runner/work 0755
make_dir /home/runner/.cache 0755
make_dir /home/runner/.cache/pip 0755
make_dir /opt/hostedtoolcache 0755
