package image

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/moby/buildkit/client"
)

// statusLog collects a Build session's solve status.
type statusLog struct {
	ch   chan *client.SolveStatus
	done chan struct{}
	mu   sync.Mutex
	// vertexes by name: the last state reported.
	vertexes map[string]*client.Vertex
	// progress is the IDs of progress items (layer downloads, extraction).
	progress map[string]bool
}

func newStatusLog() *statusLog {
	s := &statusLog{ch: make(chan *client.SolveStatus), done: make(chan struct{}),
		vertexes: map[string]*client.Vertex{}, progress: map[string]bool{}}
	go func() {
		defer close(s.done)
		for st := range s.ch {
			s.mu.Lock()
			for _, v := range st.Vertexes {
				s.vertexes[v.Name] = v
			}
			for _, vs := range st.Statuses {
				s.progress[vs.ID] = true
			}
			s.mu.Unlock()
		}
	}()
	return s
}

// wait returns once client.Build has closed the channel.
func (s *statusLog) wait() { <-s.done }

// TestRegistryPull pushes the imported image to a registry on loopback,
// runs a process in it through a daemon configured for that plain-HTTP
// registry, and checks that a second session does not download it again.
func TestRegistryPull(t *testing.T) {
	daemonAddr(t)
	img, args, want := registryTestImage(t)

	var blobGets, manifestGets atomic.Int64
	reg := registry(io.Discard)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/blobs/") {
			blobGets.Add(1)
		}
		if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/manifests/") {
			manifestGets.Add(1)
		}
		reg.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	imageName := host + "/test/bookworm:latest"
	pushStart := time.Now()
	pushLayout(t, img, imageName)
	t.Logf("pushed %s (layer %.1f MB) in %v", imageName, float64(img.LayerSize)/1e6, time.Since(pushStart).Round(time.Millisecond))
	blobGets.Store(0)

	addr := startDaemon(t, []string{fmt.Sprintf("[registry.%q]", host), "  http = true"})
	c := newClient(t, addr)
	ref, err := ParseRef(imageName)
	if err != nil {
		t.Fatal(err)
	}
	src, err := Load(ref)
	if err != nil {
		t.Fatal(err)
	}
	session := func(what string) *statusLog {
		t.Helper()
		status := newStatusLog()
		run, err := runInImage(t.Context(), c, src, args, "", status.ch)
		status.wait()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if !strings.Contains(run.Output, want) {
			t.Fatalf("%s: output %q, want %q", what, run.Output, want)
		}
		t.Logf("%s: first output %v after client.Build started; registry: %d blob GETs, %d manifest GETs",
			what, run.FirstOutput.Round(time.Millisecond), blobGets.Load(), manifestGets.Load())
		return status
	}
	first := session("first session (pull)")
	if blobGets.Load() == 0 {
		t.Fatal("the first session did not download the image")
	}
	blobGets.Store(0)
	second := session("second session")
	if n := blobGets.Load(); n != 0 {
		t.Errorf("the second session downloaded %d blobs again", n)
	}
	vertex := "image " + ref.Name
	second.mu.Lock()
	defer second.mu.Unlock()
	if v := second.vertexes[vertex]; v == nil || !v.Cached {
		t.Errorf("second session: vertex %q is %+v; want it cached (vertexes: %v)", vertex, v, keys(second.vertexes))
	}
	var downloads []string
	for id := range second.progress {
		if strings.HasPrefix(id, "sha256:") || strings.Contains(id, "extracting") {
			downloads = append(downloads, id)
		}
	}
	if len(downloads) > 0 {
		t.Errorf("second session reported layer progress %q; want none", downloads)
	}
	first.mu.Lock()
	defer first.mu.Unlock()
	t.Logf("first session progress items: %v", keys(first.progress))
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// registryTestImage is the imported Debian image when the test root
// filesystem is there, else a tiny image holding the probe.
func registryTestImage(t *testing.T) (*ImportResult, []string, string) {
	t.Helper()
	if findTestRootfs() != "" {
		return importedBookworm(t), []string{"/bin/sh", "-c", "cat /etc/debian_version"}, "12."
	}
	t.Log("no test root filesystem: pushing a tiny image instead")
	res, err := Import(t.Context(), probeRootfs(t), ImportOptions{Name: "tiny", Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return res, []string{"/probe"}, "hello from statprobe"
}

// registry is go-containerregistry's in-memory registry, logging to w.
func registry(w io.Writer) http.Handler {
	return ggcrregistry.New(ggcrregistry.Logger(log.New(w, "", 0)))
}

// pushLayout pushes the image of an imported layout to a registry with
// go-containerregistry's layout and remote packages.
func pushLayout(t *testing.T, img *ImportResult, ref string) {
	t.Helper()
	p, err := layout.FromPath(img.Ref.Dir)
	if err != nil {
		t.Fatal(err)
	}
	h, err := v1.NewHash(img.Manifest.String())
	if err != nil {
		t.Fatal(err)
	}
	image, err := p.Image(h)
	if err != nil {
		t.Fatal(err)
	}
	dst, err := name.ParseReference(ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(dst, image, remote.WithContext(t.Context())); err != nil {
		t.Fatalf("push %s: %v", ref, err)
	}
}
