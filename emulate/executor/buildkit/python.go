package buildkit

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	gwclient "github.com/moby/buildkit/frontend/gateway/client"
	"github.com/moby/buildkit/solver/pb"
	digest "github.com/opencontainers/go-digest"

	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/image"
	"github.com/rehearse-dev/rehearse/emulate/toolchain"
)

// PythonSources say where setup-python's builds come from.
type PythonSources struct {
	// Manifest is the URL (http, https or file) of a versions-manifest.json
	// in actions/python-versions' format; empty means GitHub's.
	Manifest string
	// Images maps a python-version as a step writes it ("3.11") to an image
	// reference whose tool cache (/opt/hostedtoolcache/Python) has that
	// Python, used instead of the manifest for that version.
	Images map[string]string
	// DigestsFile records the sha256 of every build downloaded, by URL, so
	// that later downloads are pinned to what was first fetched (the
	// manifest publishes no checksums). Empty: no pinning.
	DigestsFile string
}

// pythonSourceRequirements are what the job's session must serve for the
// images its Pythons come from (--python-source with an oci-layout or a
// root filesystem).
func (e *Executor) pythonSourceRequirements(reqs []executor.ToolRequest) image.Requirements {
	var all image.Requirements
	for _, r := range reqs {
		ref, ok := e.opts.Python.Images[r.Spec]
		if r.Name != "python" || !ok {
			continue
		}
		if parsed, err := image.ParseRef(ref); err == nil {
			if src, err := image.Load(parsed); err == nil {
				all.Merge(src.Requirements)
			}
		}
	}
	return all
}

// manifestCache holds the manifest once read.
type manifestCache struct {
	once     sync.Once
	releases []toolchain.PythonRelease
	err      error
}

// pythonManifest reads the manifest once per executor.
func (e *Executor) pythonManifest(ctx context.Context) ([]toolchain.PythonRelease, error) {
	e.manifest.once.Do(func() {
		url := e.opts.Python.Manifest
		if url == "" {
			url = toolchain.PythonManifestURL
		}
		data, err := fetch(ctx, url)
		if err != nil {
			e.manifest.err = fmt.Errorf("could not read the Python builds manifest %s: %w (give a reachable copy with --python-manifest URL)", url, err)
			return
		}
		e.manifest.releases, e.manifest.err = toolchain.ParsePythonManifest(data)
		if e.manifest.err != nil {
			e.manifest.err = fmt.Errorf("%s: %w", url, e.manifest.err)
		}
	})
	return e.manifest.releases, e.manifest.err
}

// fetch reads a URL (http, https, file or a plain path).
func fetch(ctx context.Context, url string) ([]byte, error) {
	if p, ok := strings.CutPrefix(url, "file://"); ok {
		return os.ReadFile(p)
	}
	if !strings.Contains(url, "://") {
		return os.ReadFile(url)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s", resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 64<<20))
}

// tools installs the Pythons and Go toolchains a job asks for into a
// tool-cache tree, as setup-python and setup-go would on GitHub's runner, and returns it for mounting at the
// job's tool cache. Each version is one cached BuildKit solve: the build
// downloaded by BuildKit (pinned by digest after the first download), then
// its own setup.sh run in the job's image. A version that cannot be had is
// explained in problems, keyed by executor.ToolKey; its setup-python step
// fails with the explanation.
func (e *Executor) tools(ctx context.Context, s *session, root llb.State, osr image.OSRelease, reqs []executor.ToolRequest, toolCache string, owner string, logf func(string)) (gwclient.Reference, map[string]string) {
	problems := map[string]string{}
	// Each version is solved on its own, all at once: a failure is then
	// that version's, and cold installs overlap.
	type result struct {
		key   string
		state llb.State
		err   error
	}
	var wanted []executor.ToolRequest
	for _, r := range reqs {
		if r.Name == "python" || r.Name == "go" {
			wanted = append(wanted, r)
		}
	}
	results := make([]result, len(wanted)) // one slot per goroutine
	var wg sync.WaitGroup
	for i, r := range wanted {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := &results[i]
			res.key = executor.ToolKey(r.Name, r.Spec)
			var def *llb.Definition
			var err error
			if r.Name == "go" {
				def, err = e.goState(ctx, s, root, r, toolCache, owner)
			} else {
				_, def, err = e.pythonState(ctx, s, root, osr, r, toolCache, owner)
			}
			if err != nil {
				res.err = err
				return
			}
			unsubscribe := s.progress.subscribe(logf, def)
			ref, err := solve(ctx, s.gw, def)
			unsubscribe()
			if err != nil {
				res.err = fmt.Errorf("could not install it: %v", err)
				return
			}
			res.state, res.err = ref.ToState()
		}()
	}
	wg.Wait()
	var states []llb.State
	for _, r := range results {
		if r.err != nil {
			problems[r.key] = r.err.Error()
			continue
		}
		states = append(states, r.state)
	}
	if len(states) == 0 {
		return nil, problems
	}
	merged := states[0]
	if len(states) > 1 {
		merged = llb.Merge(states, llb.WithCustomName("rehearse: tool cache"))
	}
	def, err := merged.Marshal(ctx)
	if err == nil {
		var ref gwclient.Reference
		if ref, err = solve(ctx, s.gw, def); err == nil {
			return ref, problems
		}
	}
	for _, r := range wanted {
		problems[executor.ToolKey(r.Name, r.Spec)] = fmt.Sprintf("could not assemble the tool cache: %v", err)
	}
	return nil, problems
}

// pythonState is the LLB of one Python installed into an empty tool cache.
func (e *Executor) pythonState(ctx context.Context, s *session, root llb.State, osr image.OSRelease, r executor.ToolRequest, toolCache, owner string) (llb.State, *llb.Definition, error) {
	arch := r.Arch
	if arch == "" {
		arch = executor.ToolArch(executor.HostPlatform().Arch)
	}
	if ref, ok := e.opts.Python.Images[r.Spec]; ok {
		return e.pythonFromImage(ctx, ref, r.Spec)
	}
	manifest, err := e.pythonManifest(ctx)
	if err != nil {
		return llb.State{}, nil, err
	}
	opts := toolchain.PythonOptions{AllowPreReleases: r.AllowPrereleases, Freethreaded: r.Freethreaded, Architecture: arch}
	rel, file, err := toolchain.FindPythonBuild(manifest, r.Spec, opts, osr.VersionID)
	if err != nil {
		distro := strings.TrimSpace(osr.ID + " " + osr.VersionID)
		if distro == "" {
			distro = "this image's OS (no /etc/os-release)"
		}
		have := toolchain.PythonBuildsFor(manifest, osr.VersionID, arch)
		msg := fmt.Sprintf("no build of Python %s for %s (%s) in the manifest %s", r.Spec, distro, arch, e.manifestURL())
		if len(have) > 0 {
			if len(have) > 8 {
				have = have[:8]
			}
			msg += "; it has " + strings.Join(have, ", ") + " for this OS"
		} else {
			msg += "; it has builds for OS versions " + strings.Join(toolchain.PythonPlatformVersions(manifest), ", ")
		}
		msg += fmt.Sprintf(". Run the job in an image those builds are made for (-P LABEL=IMAGE), or give a source for this version (--python-source %s=IMAGE, --python-manifest URL)", r.Spec)
		return llb.State{}, nil, fmt.Errorf("%s", msg)
	}
	sum, err := e.buildDigest(ctx, s, file.DownloadURL)
	if err != nil {
		return llb.State{}, nil, fmt.Errorf("could not download %s: %w", file.DownloadURL, err)
	}
	dl := llb.HTTP(file.DownloadURL, llb.Filename("python.tar.gz"), llb.Checksum(sum),
		llb.WithCustomName(fmt.Sprintf("download Python %s (%s)", rel.Version, file.Filename)))
	script := `set -e
d=$(mktemp -d)
tar -xzf /__download/python.tar.gz -C "$d"
cd "$d"
chmod +x setup.sh
./setup.sh
chown -R ` + owner + ` "$RUNNER_TOOL_CACHE"
`
	opts2 := []llb.RunOption{
		llb.Args([]string{"/bin/sh", "-c", script}),
		llb.AddMount("/__download", dl, llb.Readonly),
		llb.AddEnv("RUNNER_TOOL_CACHE", toolCache),
		llb.User("0:0"), llb.Dir("/"),
		llb.WithCustomName(fmt.Sprintf("install Python %s with its setup.sh", rel.Version)),
	}
	for _, k := range sortedEnvKeys(e.opts.Env) {
		opts2 = append(opts2, llb.AddEnv(k, e.opts.Env[k]))
	}
	run := root.Run(opts2...)
	tc := run.AddMount(toolCache, llb.Scratch())
	def, err := tc.Marshal(ctx)
	if err != nil {
		return llb.State{}, nil, err
	}
	return tc, def, nil
}

// pythonFromImage takes a Python from another image's tool cache.
func (e *Executor) pythonFromImage(ctx context.Context, ref, spec string) (llb.State, *llb.Definition, error) {
	parsed, err := image.ParseRef(ref)
	if err != nil {
		return llb.State{}, nil, err
	}
	src, err := image.Load(parsed)
	if err != nil {
		return llb.State{}, nil, err
	}
	st := llb.Scratch().File(llb.Copy(src.State, image.ToolCacheDir+"/Python", "/Python", &llb.CopyInfo{CopyDirContentsOnly: false, CreateDestPath: true}),
		llb.WithCustomName(fmt.Sprintf("Python %s from %s", spec, ref)))
	def, err := st.Marshal(ctx)
	return st, def, err
}

func (e *Executor) manifestURL() string {
	if e.opts.Python.Manifest != "" {
		return e.opts.Python.Manifest
	}
	return toolchain.PythonManifestURL
}

// buildDigest is the sha256 of a build: the one recorded at its first
// download, else BuildKit downloads it now and the digest is recorded.
func (e *Executor) buildDigest(ctx context.Context, s *session, url string) (digest.Digest, error) {
	e.digestsMu.Lock()
	defer e.digestsMu.Unlock()
	rec := e.readDigests()
	if d, ok := rec[url]; ok {
		return digest.Digest(d), nil
	}
	meta, err := s.gw.ResolveSourceMetadata(ctx, &pb.SourceOp{Identifier: url, Attrs: map[string]string{pb.AttrHTTPFilename: "python.tar.gz"}},
		sourceresolver.Opt{HTTPOpt: &sourceresolver.ResolveHTTPOpt{}})
	if err != nil {
		return "", err
	}
	if meta.HTTP == nil || meta.HTTP.Digest == "" {
		return "", fmt.Errorf("the builder returned no digest")
	}
	rec[url] = meta.HTTP.Digest.String()
	e.writeDigests(rec)
	return meta.HTTP.Digest, nil
}

func (e *Executor) readDigests() map[string]string {
	rec := map[string]string{}
	if e.opts.Python.DigestsFile == "" {
		return rec
	}
	if data, err := os.ReadFile(e.opts.Python.DigestsFile); err == nil {
		_ = json.Unmarshal(data, &rec)
	}
	return rec
}

func (e *Executor) writeDigests(rec map[string]string) {
	if e.opts.Python.DigestsFile == "" {
		return
	}
	data, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return
	}
	_ = os.MkdirAll(filepath.Dir(e.opts.Python.DigestsFile), 0o755)
	tmp := e.opts.Python.DigestsFile + ".tmp"
	if os.WriteFile(tmp, data, 0o644) == nil {
		_ = os.Rename(tmp, e.opts.Python.DigestsFile)
	}
}
