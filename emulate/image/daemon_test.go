package image

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-dev/rehearse/fixtures/buildkittest"
)

// daemonAddr is the shared test daemon; daemon tests are slow.
func daemonAddr(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("slow: needs the BuildKit test daemon")
	}
	return buildkittest.Addr(t)
}

// TestTinyImageInDaemon runs the probe in containers made from a tiny tree
// imported as a layout and sent as a rootfs: what the layer keeps (modes,
// owners, hard links, device nodes, xattrs) must be what the container
// sees, and both sources must give the same tree.
func TestTinyImageInDaemon(t *testing.T) {
	c := newClient(t, daemonAddr(t))
	tt := makeTinyTree(t)
	probe, err := os.ReadFile(probeBinary(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tt.dir, "probe"), probe, 0o755); err != nil {
		t.Fatal(err)
	}
	// The rootfs source restores owners other than root with the image's
	// shell, chown, chmod and ln.
	addHostShell(t, tt.dir)
	res, err := Import(t.Context(), tt.dir, ImportOptions{Name: "tiny", Out: filepath.Join(t.TempDir(), "layout")})
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{"/bin/tool", "/data/file", "/data/hard", "/data/fifo", "/link", "/etc/abs-link", "/tmp"}
	if tt.root {
		paths = append(paths, "/data/null")
	}
	var outputs []string
	for _, in := range []string{res.Ref.String(), "rootfs://" + tt.dir} {
		ref, err := ParseRef(in)
		if err != nil {
			t.Fatal(err)
		}
		src, err := Load(ref)
		if err != nil {
			t.Fatal(err)
		}
		run, err := runInImage(t.Context(), c, src, append([]string{"/probe"}, paths...), "", nil)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		t.Logf("%s: first output after %v:\n%s", ref.Scheme, run.FirstOutput.Round(time.Millisecond), run.Output)
		outputs = append(outputs, run.Output)
		lines := map[string]string{}
		for _, l := range strings.Split(strings.TrimSpace(run.Output), "\n") {
			p, rest, _ := strings.Cut(l, " ")
			lines[p] = rest
		}
		owner := "1234:5678"
		if !tt.root {
			owner = "0:0"
		}
		want := map[string]string{
			"/bin/tool":     "file mode=4755",
			"/data/file":    "file mode=0600 owner=" + owner,
			"/data/fifo":    "fifo mode=0644",
			"/link":         "symlink mode=0777 owner=0:0 -> data/file",
			"/etc/abs-link": "symlink mode=0777 owner=0:0 -> /etc/passwd",
			"/tmp":          "dir mode=1777",
		}
		if tt.root {
			want["/data/null"] = "char mode=0666 owner=0:0 dev=1,3"
		}
		if tt.xattrsOK {
			want["/data/file"] += " size=8"
		}
		for p, w := range want {
			if !strings.HasPrefix(lines[p], w) {
				t.Errorf("%s: %s is %q; want it to start with %q", ref.Scheme, p, lines[p], w)
			}
		}
		if tt.xattrsOK && !strings.HasSuffix(lines["/data/file"], "user.rehearse=yes") {
			t.Errorf("%s: xattr lost: %q", ref.Scheme, lines["/data/file"])
		}
		ino := func(s string) string { _, after, _ := strings.Cut(s, " ino="); return strings.Fields(after + " ")[0] }
		if ino(lines["/data/file"]) == "" || ino(lines["/data/file"]) != ino(lines["/data/hard"]) {
			t.Errorf("%s: hard link lost: %q and %q", ref.Scheme, lines["/data/file"], lines["/data/hard"])
		}
	}
	inodes := regexp.MustCompile(` ino=[0-9]+`)
	if a, b := inodes.ReplaceAllString(outputs[0], ""), inodes.ReplaceAllString(outputs[1], ""); a != b {
		t.Errorf("the layout and the rootfs give different trees:\n%s\n%s", a, b)
	}
}

// TestImportedImageFirstOutput measures, through a real daemon, the time
// from client.Build's start to the first output of a process in a gateway
// container whose root is the imported Debian root filesystem: on a fresh
// daemon (first use: the layer is read through the session and unpacked),
// in later sessions (warm), and on the shared test daemon.
// REHEARSE_IMAGE_COMPRESSIONS=zstd,none measures both layer compressions.
func TestImportedImageFirstOutput(t *testing.T) {
	daemonAddr(t)
	comps := []Compression{CompressionZstd}
	if env := os.Getenv("REHEARSE_IMAGE_COMPRESSIONS"); env != "" {
		comps = nil
		for _, c := range strings.Split(env, ",") {
			comps = append(comps, Compression(c))
		}
	}
	args := []string{"/bin/sh", "-c", "echo ready; . /etc/os-release; echo $ID $VERSION_ID"}
	for _, comp := range comps {
		t.Run(string(comp), func(t *testing.T) {
			img := importedBookworm(t)
			if comp != CompressionZstd {
				var err error
				img, err = Import(t.Context(), testRootfs(t), ImportOptions{Name: "bookworm", Out: filepath.Join(t.TempDir(), "layout"), Compression: comp})
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("imported with %s: layer %.1f MB in %v", comp, float64(img.LayerSize)/1e6, img.Duration.Round(time.Millisecond))
			}
			src, err := Load(img.Ref)
			if err != nil {
				t.Fatal(err)
			}
			measure := func(what, addr string) time.Duration {
				t.Helper()
				c := newClient(t, addr)
				run, err := runInImage(t.Context(), c, src, args, "", nil)
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				if !strings.HasPrefix(run.Output, "ready\n") || run.OS.ImageOS() != "debian12" {
					t.Fatalf("%s: output %q, os-release %+v", what, run.Output, run.OS)
				}
				t.Logf("%s: first output %v after client.Build started", what, run.FirstOutput.Round(time.Millisecond))
				return run.FirstOutput
			}
			fresh := startDaemon(t, nil)
			cold := measure("fresh daemon, first use (cold)", fresh)
			warm := measure("fresh daemon, second session (warm)", fresh)
			warm2 := measure("fresh daemon, third session (warm)", fresh)
			measure("shared test daemon, first session of this process", buildkittest.Addr(t))
			shared := measure("shared test daemon, second session", buildkittest.Addr(t))
			if slowest := max(warm, warm2, shared); slowest >= cold || slowest > 2*time.Second {
				t.Errorf("warm starts up to %v, cold %v: a warm start must not read or unpack the image again", slowest, cold)
			}
		})
	}
}

// addHostShell copies this machine's sh, chown, chmod and ln with the shared
// libraries they load into dir, so that a tiny tree can run them.
func addHostShell(t *testing.T, dir string) {
	t.Helper()
	libRE := regexp.MustCompile(`(/\S+) \(0x`)
	for bin, dest := range map[string]string{"/bin/sh": "/bin/sh", "/bin/chown": "/bin/chown", "/bin/chmod": "/bin/chmod", "/bin/ln": "/bin/ln"} {
		real, err := filepath.EvalSymlinks(bin)
		if err != nil {
			t.Skipf("no %s on this machine: %v", bin, err)
		}
		out, err := exec.Command("ldd", real).Output()
		if err != nil {
			t.Skipf("ldd %s: %v", real, err)
		}
		files := map[string]string{real: dest}
		for _, m := range libRE.FindAllStringSubmatch(string(out), -1) {
			files[m[1]] = m[1]
		}
		for from, to := range files {
			data, err := os.ReadFile(from)
			if err != nil {
				t.Fatal(err)
			}
			full := filepath.Join(dir, to)
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(full, data, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
}
