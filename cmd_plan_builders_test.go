package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	digest "github.com/opencontainers/go-digest"
	"github.com/spf13/pflag"

	"github.com/rehearse-dev/rehearse/cache"
	"github.com/rehearse-dev/rehearse/emulate/builder"
	"github.com/rehearse-dev/rehearse/emulate/placement"
	"github.com/rehearse-dev/rehearse/emulate/plan"
	"github.com/rehearse-dev/rehearse/fixtures/golden"
)

// forecastWorkflow has a Python matrix, an arm64 job, a Windows job (not
// run here, so not placed), a container: job after the matrix, and a
// matrix decided at run time.
const forecastWorkflow = `on: push
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        py: ["3.11", "3.12", "3.13"]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: ${{ matrix.py }}
      - run: pip install -r requirements.txt
  arm:
    runs-on: ubuntu-24.04-arm
    steps: [{run: uname -m}]
  windows:
    runs-on: windows-latest
    steps: [{run: echo}]
  package:
    needs: test
    runs-on: ubuntu-latest
    container: python:3.12
    steps: [{run: echo}]
  versions:
    runs-on: ubuntu-latest
    outputs:
      list: ${{ steps.v.outputs.list }}
    steps:
      - id: v
        run: echo 'list=[1,2]' >> "$GITHUB_OUTPUT"
  later:
    needs: versions
    runs-on: ubuntu-latest
    strategy:
      matrix:
        v: ${{ fromJSON(needs.versions.outputs.list) }}
    steps: [{run: echo}]
`

// forecastRepo writes a repository with forecastWorkflow and a
// requirements file, and plans it for the container executor in process.
func forecastRepo(t *testing.T) (root string, p *plan.Plan) {
	t.Helper()
	root = t.TempDir()
	for name, text := range map[string]string{
		".github/workflows/ci.yml": forecastWorkflow,
		"requirements.txt":         "requests==2.31.0\n",
	} {
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var ef eventFlags
	fs := pflag.NewFlagSet("plan", pflag.ContinueOnError)
	ef.add(fs)
	if err := fs.Parse([]string{"--executor", "container"}); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	c := &Command{Stdout: &bytes.Buffer{}, Stderr: &stderr}
	l, err := c.load(t.Context(), &globals{dir: root}, &ef, nil)
	if err != nil {
		t.Fatalf("load: %v\n%s", err, stderr.String())
	}
	p = plan.Build(l.res, l.opts)
	if reportPlanErrors(c, p) {
		t.Fatalf("the plan is invalid:\n%s", stderr.String())
	}
	return l.opts.Root, p
}

// TestPlanForecastGolden renders the forecast over surveys made here: an
// amd64 builder, one that holds the image and the warm pip cache of the
// 3.12 cell (by the record), an arm64 builder, and one that is down.
func TestPlanForecastGolden(t *testing.T) {
	// The user configuration of the test run (REHEARSE_TEST_EXECUTOR) is
	// not what the golden pins.
	t.Setenv("REHEARSE_CONFIG", os.DevNull)
	root, p := forecastRepo(t)

	const ubuntu = "docker-image://docker.io/library/ubuntu:24.04"
	img := digest.Digest("sha256:" + strings.Repeat("ab", 32))
	made := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	key312, err := placement.DependencyKey(os.DirFS(root), "3.12", "linux/amd64")
	if err != nil || key312 == "" {
		t.Fatalf("dependency key %q: %v", key312, err)
	}
	state := t.TempDir()
	rec := fmt.Sprintf(`{"version": 1, "entries": [{"builder": "tcp://warm.example:1234", "image": %q, "digest": %q, "depKey": %q, "at": %q}]}`,
		ubuntu, img, key312, made.Add(time.Hour).Format(time.RFC3339))
	if err := os.WriteFile(filepath.Join(state, placement.RecordFile), []byte(rec), 0o644); err != nil {
		t.Fatal(err)
	}
	record, err := placement.LoadRecord(state)
	if err != nil {
		t.Fatal(err)
	}

	survey := func(addr string, jobs int, plats ...string) *builder.Survey {
		return &builder.Survey{Spec: builder.Spec{Address: builder.Address{Addr: addr}, Jobs: jobs},
			Status: &builder.Status{Answers: true, Workers: []builder.Worker{{ID: "w0", Platforms: plats}}}}
	}
	warm := survey("tcp://warm.example:1234", 2, "linux/amd64")
	warm.Images = []builder.HeldImage{{Ref: "docker.io/library/ubuntu@" + img.String(), Digest: img}}
	warm.Caches = []builder.CacheMount{{ID: cache.PipMountID, Path: "/home/runner/.cache/pip", Created: made}}
	down := &builder.Survey{Spec: builder.Spec{Address: builder.Address{Addr: "tcp://down.example:1234"}},
		Status: &builder.Status{Err: &builder.UnreachableError{Cause: "dial tcp: lookup down.example: no such host"}}}
	surveys := []*builder.Survey{
		survey("tcp://cold.example:1234", 2, "linux/amd64", "linux/386"),
		warm,
		survey("tcp://arm.example:1234", 1, "linux/arm64"),
		down,
	}
	f, err := forecastOf(p, root, surveys, record)
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	if err := f.writeText(&text); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "plan/forecast.txt", text.Bytes())
	js, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "plan/forecast.json", append(js, '\n'))

	// Without a container cell there is nothing to place.
	f.Cells = nil
	text.Reset()
	if err := f.writeText(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(text.String(), "\nNo job cell runs in a container: nothing to place.\n") {
		t.Errorf("forecast without cells:\n%s", text.String())
	}
}

// TestPlanContactsBuildersOnlyWithBuilders: plan never dials a builder,
// configured or given; plan --builders does, and with no builder
// answering it says so and exits 2.
func TestPlanContactsBuildersOnlyWithBuilders(t *testing.T) {
	t.Parallel()
	// A builder that takes connections and closes them: a dial is seen
	// here and fails at once.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var dials atomic.Int32
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			dials.Add(1)
			c.Close()
		}
	}()
	addr := "tcp://" + l.Addr().String()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, ".github", "workflows"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".github", "workflows", "ci.yml"), []byte(forecastWorkflow), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "config.yml")
	gone := "unix://" + filepath.Join(t.TempDir(), "gone.sock")
	if err := os.WriteFile(cfg, []byte("builders:\n  - "+addr+"\n  - "+gone+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"REHEARSE_CONFIG=" + cfg}

	for _, args := range [][]string{
		{"plan"},
		{"plan", "--format", "json"},
		{"plan", "--executor", "container"},
		{"plan", "--builder", addr + ",jobs=2", "--builder", gone},
		{"list"},
	} {
		r := runBin(t, dir, env, args...)
		if r.code != 0 {
			t.Errorf("%v: exit %d\n%s", args, r.code, r.stderr)
		}
		if strings.Contains(r.stdout, "Builders (forecast") || strings.Contains(r.stdout, `"forecast"`) {
			t.Errorf("%v printed a forecast:\n%s", args, r.stdout)
		}
	}
	if n := dials.Load(); n != 0 {
		t.Fatalf("plan without --builders dialled the builder %d times", n)
	}

	for _, format := range []string{"text", "json"} {
		r := runBin(t, dir, env, "plan", "--builders", "--format", format)
		if r.code != ExitInvalid || r.stdout != "" {
			t.Errorf("--format %s: exit %d, stdout %q; want exit 2 and no plan", format, r.code, r.stdout)
		}
		for _, want := range []string{"rehearse: plan --builders: none of the builders answers (builder " + addr + " is unreachable: ",
			"builder " + gone + " is unreachable: dial unix ", "check them with `rehearse builder ls`"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("--format %s: stderr lacks %q:\n%s", format, want, r.stderr)
			}
		}
	}
	if dials.Load() == 0 {
		t.Error("plan --builders did not dial the builder")
	}
}
