package buildkit

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"

	"github.com/moby/buildkit/client/llb"

	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/toolchain"
)

// goList holds the Go module proxy's list of Go releases, read once.
type goList struct {
	once  sync.Once
	proxy string
	text  string
	err   error
}

// goProxy is the Go module proxy Go toolchains come from: the first
// http(s) entry of GOPROXY (--env, else this machine's), else Go's default.
func (e *Executor) goProxy() string {
	v := e.opts.Env["GOPROXY"]
	if v == "" {
		v = os.Getenv("GOPROXY")
	}
	for _, p := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '|' }) {
		if strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") {
			return strings.TrimSuffix(p, "/")
		}
	}
	return "https://proxy.golang.org"
}

// goState is the LLB of one Go toolchain in an empty tool cache, laid out
// as setup-go lays it out (go/<version>/<arch> and <arch>.complete). Go's
// releases come from the Go module proxy, which serves every release as
// module golang.org/toolchain (what GOTOOLCHAIN downloads), so setup-go
// works wherever Go modules can be fetched; the zip is pinned by the digest
// of its first download, as Python builds are.
func (e *Executor) goState(ctx context.Context, s *session, root llb.State, r executor.ToolRequest, toolCache, owner string) (*llb.Definition, error) {
	e.goList.once.Do(func() {
		e.goList.proxy = e.goProxy()
		data, err := fetch(ctx, e.goList.proxy+"/"+toolchain.GoToolchainModule+"/@v/list")
		e.goList.text, e.goList.err = string(data), err
	})
	if e.goList.err != nil {
		return nil, fmt.Errorf("could not list Go releases at %s: %w (set GOPROXY with --env to a reachable proxy)", e.goList.proxy, e.goList.err)
	}
	goarch := runtime.GOARCH
	arch := r.Arch
	if arch == "" {
		arch = executor.ToolArch(executor.HostPlatform().Arch)
	}
	releases := toolchain.GoToolchainReleases(e.goList.text, "linux", goarch)
	g, err := toolchain.MatchGo(releases, r.Spec)
	if err != nil {
		return nil, fmt.Errorf("no Go release matches %q at %s", r.Spec, e.goList.proxy)
	}
	url := fmt.Sprintf("%s/%s/@v/%s.zip", e.goList.proxy, toolchain.GoToolchainModule, g.Path)
	sum, err := e.buildDigest(ctx, s, url)
	if err != nil {
		return nil, fmt.Errorf("could not download %s: %w", url, err)
	}
	dl := llb.HTTP(url, llb.Filename("go.zip"), llb.Checksum(sum), llb.WithCustomName("download Go "+g.Version))
	if !numericOwner(owner) {
		owner = "0:0"
	}
	dest := toolCache + "/go/" + g.Version + "/" + arch
	run := root.Run(
		llb.Args([]string{agentPath, "__agent", "unzip", "/__download/go.zip", dest, toolchain.GoToolchainModule + "@" + g.Path + "/", owner}),
		llb.AddMount("/__download", dl, llb.Readonly),
		llb.AddMount("/__rehearse", e.agentState(), llb.Readonly),
		llb.User("0:0"), llb.Dir("/"), llb.Network(llb.NetModeNone),
		llb.WithCustomName("install Go "+g.Version+" into the tool cache"),
	)
	tc := run.AddMount(toolCache, llb.Scratch())
	tc = tc.File(llb.Mkfile("/go/"+g.Version+"/"+arch+".complete", 0o644, nil))
	return tc.Marshal(ctx)
}

func numericOwner(owner string) bool {
	u, g, ok := strings.Cut(owner, ":")
	if !ok || u == "" || g == "" {
		return false
	}
	return strings.Trim(u+g, "0123456789") == ""
}
