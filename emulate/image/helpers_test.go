package image

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/moby/buildkit/client"
	gwclient "github.com/moby/buildkit/frontend/gateway/client"
	"github.com/moby/buildkit/solver/pb"

	"github.com/rehearse-dev/rehearse/fixtures/buildkittest"
)

// shared holds what several tests of one process reuse: the imported
// Debian root filesystem and the static probe binary. TestMain removes it.
var shared struct {
	once sync.Once
	dir  string
	err  error

	bookwormOnce sync.Once
	bookworm     *ImportResult
	bookwormErr  error

	probeOnce sync.Once
	probe     string
	probeErr  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

func sharedDir(t testing.TB) string {
	t.Helper()
	shared.once.Do(func() { shared.dir, shared.err = os.MkdirTemp("", "rehearse-image-test-") })
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.dir
}

// testRootfs is a Debian or Ubuntu root filesystem for slow tests:
// $REHEARSE_TEST_ROOTFS, else the one scripts/test-rootfs.sh puts under the
// tool cache. Without one the test is skipped (failed under CI=true).
func testRootfs(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("slow: imports a whole root filesystem")
	}
	if dir := findTestRootfs(); dir != "" {
		return dir
	}
	buildkittest.Unavailable(t, "no test root filesystem: set REHEARSE_TEST_ROOTFS or run scripts/test-rootfs.sh")
	return ""
}

// findTestRootfs is testRootfs's directory, or "" when there is none.
func findTestRootfs() string {
	candidates := []string{os.Getenv("REHEARSE_TEST_ROOTFS")}
	matches, _ := filepath.Glob(filepath.Join(buildkittest.ToolsDir(), "rootfs", "bookworm*"))
	candidates = append(candidates, matches...)
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(c, "etc", "os-release")); err == nil {
			return c
		}
	}
	return ""
}

// importedBookworm imports the test root filesystem once per test process.
func importedBookworm(t testing.TB) *ImportResult {
	t.Helper()
	rootfs := testRootfs(t)
	dir := sharedDir(t)
	shared.bookwormOnce.Do(func() {
		shared.bookworm, shared.bookwormErr = Import(context.Background(), rootfs,
			ImportOptions{Name: "bookworm", Out: filepath.Join(dir, "bookworm")})
		if shared.bookwormErr == nil {
			r := shared.bookworm
			t.Logf("imported %s: %d paths, layer %.1f MB (tar %.1f MB) in %v", rootfs, r.Entries,
				float64(r.LayerSize)/1e6, float64(r.TarSize)/1e6, r.Duration.Round(time.Millisecond))
		}
	})
	if shared.bookwormErr != nil {
		t.Fatal(shared.bookwormErr)
	}
	return shared.bookworm
}

// probeBinary builds testdata/statprobe as a static binary once.
func probeBinary(t testing.TB) string {
	t.Helper()
	dir := sharedDir(t)
	shared.probeOnce.Do(func() {
		out := filepath.Join(dir, "statprobe")
		cmd := exec.Command("go", "build", "-o", out, "./testdata/statprobe")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if b, err := cmd.CombinedOutput(); err != nil {
			shared.probeErr = fmt.Errorf("go build statprobe: %v\n%s", err, b)
			return
		}
		shared.probe = out
	})
	if shared.probeErr != nil {
		t.Fatal(shared.probeErr)
	}
	return shared.probe
}

// probeRootfs makes a tiny root filesystem holding only the probe as /probe.
func probeRootfs(t testing.TB) string {
	t.Helper()
	root := t.TempDir()
	data, err := os.ReadFile(probeBinary(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "probe"), data, 0o755); err != nil {
		t.Fatal(err)
	}
	return root
}

// newClient connects to a daemon.
func newClient(t testing.TB, addr string) *client.Client {
	t.Helper()
	c, err := client.New(t.Context(), addr)
	if err != nil {
		t.Fatalf("could not connect to buildkitd at %s: %v", addr, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// startDaemon starts a buildkitd of the test's own (a cold cache, extra
// config) and stops it when the test ends.
func startDaemon(t testing.TB, extraConfig []string) string {
	t.Helper()
	buildkittest.Addr(t) // skips or fails like every container test when there is no engine
	bin, err := buildkittest.Buildkitd()
	if err != nil {
		buildkittest.Unavailable(t, err.Error())
	}
	// A short directory: the socket path must fit in 108 bytes.
	dir, err := os.MkdirTemp("", "bk-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stopDaemon(t, dir)
		os.RemoveAll(dir)
	})
	if err := buildkittest.Start(bin, dir, extraConfig); err != nil {
		t.Fatal(err)
	}
	return "unix://" + filepath.Join(dir, "buildkitd.sock")
}

// stopDaemon ends the daemon Start left in dir (its pid file) with SIGTERM
// and waits for it to exit, so that its mounts are gone before the
// directory is removed.
func stopDaemon(t testing.TB, dir string) {
	data, err := os.ReadFile(filepath.Join(dir, "buildkitd.pid"))
	if err != nil {
		return
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 1 {
		return
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		return
	}
	for range 200 {
		if syscall.Kill(pid, 0) != nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("buildkitd %d did not stop within 10s of SIGTERM", pid)
}

// runResult is what runInImage saw.
type runResult struct {
	// FirstOutput is the time from client.Build's start to the process's
	// first byte of output.
	FirstOutput time.Duration
	Output      string
	// OS is the image's os-release, read from the solved reference.
	OS OSRelease
}

// firstOutputWriter records when the first byte arrives.
type firstOutputWriter struct {
	mu    sync.Mutex
	start time.Time
	first time.Duration
	buf   bytes.Buffer
}

func (w *firstOutputWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.first == 0 && len(p) > 0 {
		w.first = time.Since(w.start)
	}
	return w.buf.Write(p)
}

func (w *firstOutputWriter) Close() error { return nil }

// runInImage runs one process in a gateway container whose root is src's
// state, in a Build session of its own, as the executor will.
func runInImage(ctx context.Context, c *client.Client, src *Source, args []string, user string, status chan *client.SolveStatus) (runResult, error) {
	var opt client.SolveOpt
	src.Requirements.Apply(&opt)
	w := &firstOutputWriter{start: time.Now()}
	var osr OSRelease
	_, err := c.Build(ctx, opt, "", func(ctx context.Context, gw gwclient.Client) (*gwclient.Result, error) {
		def, err := src.State.Marshal(ctx)
		if err != nil {
			return nil, err
		}
		res, err := gw.Solve(ctx, gwclient.SolveRequest{Definition: def.ToPB()})
		if err != nil {
			return nil, err
		}
		ref, err := res.SingleRef()
		if err != nil {
			return nil, err
		}
		ctr, err := gw.NewContainer(ctx, gwclient.NewContainerRequest{
			Mounts: []gwclient.Mount{{Dest: "/", Ref: ref, MountType: pb.MountType_BIND}},
		})
		if err != nil {
			return nil, err
		}
		defer ctr.Release(context.WithoutCancel(ctx))
		proc, err := ctr.Start(ctx, gwclient.StartRequest{
			Args: args, User: user, Stdout: w, Stderr: w,
			Env: []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
		})
		if err != nil {
			return nil, err
		}
		if err := proc.Wait(); err != nil {
			return nil, fmt.Errorf("process %q: %w (output: %s)", args, err, w.buf.String())
		}
		if o, err := ReadOSRelease(ctx, ref); err == nil {
			osr = o
		}
		return gwclient.NewResult(), nil
	}, status)
	w.mu.Lock()
	defer w.mu.Unlock()
	return runResult{FirstOutput: w.first, Output: w.buf.String(), OS: osr}, err
}

// solveOnly solves a state (to check it builds, or how it fails).
func solveOnly(ctx context.Context, c *client.Client, src *Source) error {
	var opt client.SolveOpt
	src.Requirements.Apply(&opt)
	_, err := c.Build(ctx, opt, "", func(ctx context.Context, gw gwclient.Client) (*gwclient.Result, error) {
		def, err := src.State.Marshal(ctx)
		if err != nil {
			return nil, err
		}
		res, err := gw.Solve(ctx, gwclient.SolveRequest{Definition: def.ToPB(), Evaluate: true})
		if err != nil {
			return nil, err
		}
		return res, nil
	}, nil)
	return err
}
