package buildkit

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/moby/buildkit/client"
	"github.com/moby/buildkit/client/llb"
	gwclient "github.com/moby/buildkit/frontend/gateway/client"
	"github.com/moby/buildkit/solver/pb"
	"github.com/tonistiigi/fsutil"

	"github.com/rehearse-dev/rehearse/cache"
	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/image"
)

// Options configure the container executor.
type Options struct {
	// Client is connected to the builder; Address is its address, for
	// reports and messages.
	Client  *client.Client
	Address string
	// AgentBinary is rehearse's own binary, mounted into every container as
	// the agent; it must run on the builder's platform (a static Linux
	// build). Empty means the running executable.
	AgentBinary string
	// Python says where setup-python's builds come from.
	Python PythonSources
	// Env is given to tool installs (setup.sh's pip upgrade), e.g. a
	// PIP_INDEX_URL mirror; it ends up in LLB definitions, so never secrets.
	Env map[string]string
	// PipCacheID is the BuildKit cache mount ID of the shared pip cache.
	PipCacheID string
	// SigtermAfter and SigkillAfter are the cancellation escalation (the
	// runner's 7.5 s and 2.5 s; tests shorten them).
	SigtermAfter, SigkillAfter time.Duration
}

// The cache mounts of jobs that set up Go: GOMODCACHE and GOCACHE.
const (
	GoModCacheID   = "rehearse-go-mod-cache"
	GoBuildCacheID = "rehearse-go-build-cache"
)

// UVCacheID is the cache mount of jobs that set up uv: ~/.cache/uv, uv's
// cache, which setup-uv's enable-cache points UV_CACHE_DIR at.
const UVCacheID = "rehearse-uv-cache"

// usesTool reports whether a job asks for a tool.
func usesTool(reqs []executor.ToolRequest, name string) bool {
	for _, r := range reqs {
		if r.Name == name {
			return true
		}
	}
	return false
}

// DefaultPipCacheID is the cache mount every job's ~/.cache/pip is.
const DefaultPipCacheID = cache.PipMountID

// Executor runs jobs in BuildKit containers.
type Executor struct {
	opts     Options
	ctx      context.Context
	sessions sessions

	// agentDir is the directory served as the agent's local source.
	agentDir, agentName string

	digestsMu sync.Mutex // guards the recorded download digests file
	manifest  manifestCache
	goList    goList
}

// New returns a container executor. ctx bounds its sessions: cancelling it
// (or Close) releases every container.
func New(ctx context.Context, opts Options) (*Executor, error) {
	if opts.Client == nil {
		return nil, fmt.Errorf("no BuildKit client")
	}
	if opts.AgentBinary == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("could not find rehearse's own binary for the container agent: %w", err)
		}
		opts.AgentBinary = exe
	}
	if p, err := filepath.EvalSymlinks(opts.AgentBinary); err == nil {
		opts.AgentBinary = p
	}
	if opts.PipCacheID == "" {
		opts.PipCacheID = DefaultPipCacheID
	}
	if opts.SigtermAfter == 0 {
		opts.SigtermAfter = executor.SigtermAfter
	}
	if opts.SigkillAfter == 0 {
		opts.SigkillAfter = executor.SigkillAfter
	}
	e := &Executor{opts: opts, ctx: ctx,
		agentDir: filepath.Dir(opts.AgentBinary), agentName: filepath.Base(opts.AgentBinary)}
	return e, nil
}

// Name implements executor.Executor.
func (e *Executor) Name() string { return "container" }

// Close releases every container and ends the sessions, then has the
// daemon collect garbage: a released container's writable snapshot (which
// holds whatever the job wrote, secrets included) is only unreferenced
// until BuildKit's next garbage collection, which a prune triggers. The
// prune's filter matches no record, so no cache is lost.
func (e *Executor) Close() error {
	e.closeSessions()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(e.ctx), 30*time.Second)
	defer cancel()
	ch := make(chan client.UsageInfo)
	go func() {
		for range ch {
		}
	}()
	err := e.opts.Client.Prune(ctx, ch, client.WithFilter([]string{"id==rehearse-collect-garbage-only"}))
	close(ch)
	if err != nil {
		return fmt.Errorf("could not have the builder discard the jobs' files: %w", err)
	}
	return nil
}

// agentLocal is the local source name of the agent binary.
const agentLocal = "rehearse-agent"

func (e *Executor) agentRequirements() image.Requirements {
	fs, err := fsutil.NewFS(e.agentDir)
	if err != nil {
		return image.Requirements{}
	}
	return image.Requirements{LocalMounts: map[string]fsutil.FS{agentLocal: fs}}
}

// agentState is the agent binary copied into scratch; the copy keeps later
// sessions' syncs incremental (a local source mounted directly is sent
// whole every time).
func (e *Executor) agentState() llb.State {
	local := llb.Local(agentLocal, llb.IncludePatterns([]string{e.agentName}),
		llb.SharedKeyHint("rehearse-agent:"+e.opts.AgentBinary), llb.WithCustomName("rehearse: agent binary"))
	return llb.Scratch().File(llb.Copy(local, "/"+e.agentName, "/rehearse", &llb.CopyInfo{}),
		llb.WithCustomName("rehearse: agent"))
}

// agentPath is the agent in every container.
const agentPath = "/__rehearse/rehearse"

// StartJob implements executor.Executor: it solves the job's image, tools
// and agent, starts its container and prepares the job's directories.
func (e *Executor) StartJob(ctx context.Context, spec executor.JobSpec) (executor.Job, error) {
	// Lines come from this goroutine and from the session's progress
	// reader: the caller gets them one at a time.
	var logMu sync.Mutex
	logf := func(line string) {
		if spec.Log != nil {
			logMu.Lock()
			defer logMu.Unlock()
			spec.Log(line)
		}
	}
	ref := spec.Image
	if spec.Container != nil {
		ref = spec.Container.Image
	}
	if ref == "" {
		return nil, fmt.Errorf("no image for runs-on %s", strings.Join(spec.Labels, ", "))
	}
	parsed, err := image.ParseRef(ref)
	if err != nil {
		return nil, err
	}
	src, err := jobSource(parsed, spec.Container != nil)
	if err != nil {
		return nil, err
	}
	root := src.State
	reqs := src.Requirements
	reqs.Merge(e.pythonSourceRequirements(spec.Tools))
	s, err := e.session(ctx, reqs)
	if err != nil {
		return nil, err
	}
	started := false
	defer func() {
		if !started {
			e.end(s)
		}
	}()
	rootDef, err := root.Marshal(ctx)
	if err != nil {
		return nil, err
	}
	agentDef, err := e.agentState().Marshal(ctx)
	if err != nil {
		return nil, err
	}
	unsubscribe, pulled := s.progress.watch(logf, rootDef, agentDef)
	defer func() { unsubscribe() }()
	t0 := time.Now()
	rootRef, err := solve(ctx, s.gw, rootDef)
	if err != nil {
		return nil, fmt.Errorf("could not prepare the image %s: %w", parsed.String(), image.PrepareError(err))
	}
	if pulled() {
		logf(fmt.Sprintf("image %s: pulled and prepared in %s", parsed.String(), time.Since(t0).Round(time.Millisecond)))
	} else {
		logf(fmt.Sprintf("image %s: cached (ready in %s)", parsed.String(), time.Since(t0).Round(time.Millisecond)))
	}
	agentRef, err := solve(ctx, s.gw, agentDef)
	if err != nil {
		return nil, fmt.Errorf("could not send rehearse's agent to the builder: %w", err)
	}
	cfg, err := imageConfig(ctx, s.gw, parsed, src)
	if err != nil {
		return nil, err
	}
	osr, err := image.ReadOSRelease(ctx, rootRef)
	if err != nil {
		logf("warning: " + err.Error())
	}

	j := &job{e: e, spec: spec, session: s, osRelease: osr, image: parsed.String()}
	j.setPaths(cfg)
	mounts := []gwclient.Mount{
		{Dest: "/", Ref: rootRef},
		{Dest: "/__rehearse", Ref: agentRef, Readonly: true},
		{Dest: path.Join(j.paths.Home, ".cache", "pip"), MountType: pb.MountType_CACHE,
			CacheOpt: &pb.CacheOpt{ID: e.opts.PipCacheID, Sharing: pb.CacheSharingOpt_SHARED}},
	}
	if usesTool(spec.Tools, "go") {
		// What setup-go caches by default (cache: true): the module and
		// build caches, shared by every job as the pip cache is. Both are
		// safe for concurrent use.
		for _, m := range []struct{ dest, id string }{
			{path.Join(j.paths.Home, "go", "pkg", "mod"), GoModCacheID},
			{path.Join(j.paths.Home, ".cache", "go-build"), GoBuildCacheID},
		} {
			mounts = append(mounts, gwclient.Mount{Dest: m.dest, MountType: pb.MountType_CACHE,
				CacheOpt: &pb.CacheOpt{ID: m.id, Sharing: pb.CacheSharingOpt_SHARED}})
		}
	}
	if usesTool(spec.Tools, "uv") {
		// uv's cache is safe for concurrent use (it locks what it writes),
		// so every job shares it, as the pip cache.
		mounts = append(mounts, gwclient.Mount{Dest: path.Join(j.paths.Home, ".cache", "uv"), MountType: pb.MountType_CACHE,
			CacheOpt: &pb.CacheOpt{ID: UVCacheID, Sharing: pb.CacheSharingOpt_SHARED}})
	}
	toolRef, problems := e.tools(ctx, s, root, osr, spec.Tools, j.paths.ToolCache, j.user, logf)
	j.toolProblems = problems
	if toolRef != nil {
		mounts = append(mounts, gwclient.Mount{Dest: j.paths.ToolCache, Ref: toolRef})
	}
	j.mounts = mounts
	netMode := pb.NetMode_UNSET // the daemon's default: the host's network, as a runner has
	if spec.NoNetwork || (spec.Container != nil && spec.Container.NoNetwork) {
		netMode = pb.NetMode_NONE
	}
	hostname := "rehearse"
	if spec.Container != nil && spec.Container.Hostname != "" {
		hostname = spec.Container.Hostname
	}
	t0 = time.Now()
	ctr, err := s.gw.NewContainer(ctx, gwclient.NewContainerRequest{Mounts: mounts, NetMode: netMode, Hostname: hostname})
	if err != nil {
		return nil, fmt.Errorf("could not create the job's container: %w", err)
	}
	j.ctr = ctr
	if err := j.start(ctx); err != nil {
		_ = ctr.Release(context.WithoutCancel(ctx))
		return nil, err
	}
	logf(fmt.Sprintf("container ready in %s", time.Since(t0).Round(time.Millisecond)))
	started = true
	return j, nil
}

// jobSource is a job's image as LLB. A runs-on image is prepared like
// GitHub's runner (the runner user and its directories); GitHub's Ubuntu
// images, given as their docker-image references, also get the tools
// GitHub's runner has and the minimal image lacks. A container: image is
// used as it is, as GitHub uses it.
func jobSource(ref image.Ref, container bool) (*image.Source, error) {
	if container {
		return image.Load(ref)
	}
	for _, label := range image.DefaultLabels() {
		if d, ok := image.DefaultFor(label); ok && d.Ref == ref.String() {
			return d.Source()
		}
	}
	src, err := image.Load(ref)
	if err != nil {
		return nil, err
	}
	src.State = image.Prepare(src.State)
	return src, nil
}

// solve solves a definition to one reference.
func solve(ctx context.Context, gw gwclient.Client, def *llb.Definition) (gwclient.Reference, error) {
	res, err := gw.Solve(ctx, gwclient.SolveRequest{Definition: def.ToPB(), Evaluate: true})
	if err != nil {
		return nil, err
	}
	return res.SingleRef()
}

func sortedEnvKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
