package builder

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// standIns are stand-in docker, podman, nerdctl and kubectl scripts: each
// records its arguments (one call per line in STATE/NAME.args), keeps the
// state of the containers it "runs" in STATE/containers/NAME ("true IMAGE"
// or "false IMAGE"), and answers the `exec ... buildctl dial-stdio` that
// BuildKit's connection helpers run by running the real buildctl against
// a daemon's socket: that daemon plays the container.
type standIns struct {
	bin, state string
}

// standInScript is the stand-in, with NAME, STATE, BUILDCTL and SOCK
// replaced.
const standInScript = `# Stand-in for NAME (rehearse's builder tests).
state='STATE'
printf '%s\n' "$*" >> "$state/NAME.args"
while :; do
	case "$1" in
	--context=*|--namespace=*) shift ;;
	*) break ;;
	esac
done
cmd=$1
shift
eval last=\${$#}
case "$cmd" in
exec)
	target=
	while [ $# -gt 0 ]; do
		case "$1" in
		-i|--container=*) shift ;;
		--namespace) shift 2 ;;
		--) shift; break ;;
		buildctl) break ;;
		*) target=$1; shift ;;
		esac
	done
	if [ "$*" != "buildctl dial-stdio" ]; then
		echo "stand-in NAME: expected buildctl dial-stdio, got: $*" >&2
		exit 2
	fi
	case "$(cat "$state/containers/$target" 2>/dev/null)" in
	true*) exec 'BUILDCTL' --addr 'unix://SOCK' dial-stdio ;;
	esac
	echo "Error response from daemon: container $target is not running" >&2
	exit 1 ;;
container)
	if [ ! -f "$state/containers/$last" ]; then
		echo "Error: No such container: $last" >&2
		exit 1
	fi
	cat "$state/containers/$last" ;;
run)
	name=
	while [ $# -gt 0 ]; do
		case "$1" in
		--name) name=$2; shift 2 ;;
		*) shift ;;
		esac
	done
	echo "true $last" > "$state/containers/$name"
	echo 0123456789abcdef ;;
start)
	set -- $(cat "$state/containers/$last")
	echo "true $2" > "$state/containers/$last"
	echo "$last" ;;
stop)
	set -- $(cat "$state/containers/$last")
	echo "false $2" > "$state/containers/$last"
	echo "$last" ;;
rm)
	rm -f "$state/containers/$last"
	echo "$last" ;;
*)
	echo "stand-in NAME: unexpected command $cmd" >&2
	exit 2 ;;
esac
`

// newStandIns writes the stand-ins into a directory put first on PATH;
// their containers are served by the daemon at sock.
func newStandIns(t *testing.T, sock string, names ...string) *standIns {
	t.Helper()
	s := &standIns{bin: filepath.Join(t.TempDir(), "bin"), state: t.TempDir()}
	if err := os.MkdirAll(filepath.Join(s.state, "containers"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(s.bin, 0o755); err != nil {
		t.Fatal(err)
	}
	r := strings.NewReplacer("STATE", s.state, "BUILDCTL", buildctlPath(t), "SOCK", sock)
	for _, n := range names {
		body := strings.ReplaceAll(standInScript, "NAME", n)
		writeScript(t, filepath.Join(s.bin, n), r.Replace(body))
	}
	prependPath(t, s.bin)
	return s
}

// running marks a container (or pod) as running an image.
func (s *standIns) running(t *testing.T, name, image string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(s.state, "containers", name), []byte("true "+image+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// calls returns the argument lines a stand-in recorded.
func (s *standIns) calls(t *testing.T, name string) []string {
	t.Helper()
	return readLines(t, filepath.Join(s.state, name+".args"))
}

// containerState is what a stand-in holds for a container, "" for none.
func (s *standIns) containerState(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(s.state, "containers", name))
	if os.IsNotExist(err) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(data))
}
