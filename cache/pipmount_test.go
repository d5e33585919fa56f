package cache_test

import (
	"archive/tar"
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/moby/buildkit/client"
	"github.com/moby/buildkit/client/llb"
	gwclient "github.com/moby/buildkit/frontend/gateway/client"
	"github.com/moby/buildkit/solver/pb"
	"github.com/tonistiigi/fsutil"

	"github.com/rehearse-dev/rehearse/cache"
	"github.com/rehearse-dev/rehearse/fixtures/buildkittest"
	"github.com/rehearse-dev/rehearse/fixtures/containertest"
)

// TestPipMount: on a daemon of its own (pruning the shared one would empty
// other tests' cache), the pip cache mount is reported absent, then with
// the size of what a container wrote into it, and is gone after a prune.
func TestPipMount(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: starts a daemon")
	}
	bin, err := buildkittest.Buildkitd()
	if err != nil {
		buildkittest.Unavailable(t, err.Error())
	}
	buildkittest.Addr(t) // skips (or fails under CI) where no daemon can run
	dir := t.TempDir()
	if err := buildkittest.Start(bin, dir, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { buildkittest.Stop(dir) })
	c, err := client.New(t.Context(), "unix://"+filepath.Join(dir, "buildkitd.sock"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	agent := containertest.Agent(t)

	u, err := cache.PipMountUsage(t.Context(), c, agent)
	if err != nil || u.Found {
		t.Fatalf("fresh daemon: %+v, %v; want no mount", u, err)
	}
	fill(t, c, agent, bytes.Repeat([]byte("w"), 12345))
	u, err = cache.PipMountUsage(t.Context(), c, agent)
	if err != nil || !u.Found || u.Size != 12345 || u.Files != 1 || u.InUse {
		t.Fatalf("after a write: %+v, %v; want one file of 12345 bytes, not in use", u, err)
	}
	if _, err := cache.PrunePipMount(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	u, err = cache.PipMountUsage(t.Context(), c, agent)
	if err != nil || (u.Found && u.Size != 0) {
		t.Fatalf("after prune: %+v, %v; want it gone", u, err)
	}
}

// fill writes a file into the pip cache mount through the agent.
func fill(t *testing.T, c *client.Client, agent string, data []byte) {
	t.Helper()
	var tarball bytes.Buffer
	tw := tar.NewWriter(&tarball)
	_ = tw.WriteHeader(&tar.Header{Name: "http/wheel", Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg})
	_, _ = tw.Write(data)
	_ = tw.Close()
	fsys, err := fsutil.NewFS(filepath.Dir(agent))
	if err != nil {
		t.Fatal(err)
	}
	local := llb.Local("agent", llb.IncludePatterns([]string{filepath.Base(agent)}))
	agentState := llb.Scratch().File(llb.Copy(local, "/"+filepath.Base(agent), "/rehearse", &llb.CopyInfo{}))
	_, err = c.Build(t.Context(), client.SolveOpt{Internal: true, LocalMounts: map[string]fsutil.FS{"agent": fsys}}, "test",
		func(ctx context.Context, gw gwclient.Client) (*gwclient.Result, error) {
			ref := func(st llb.State) gwclient.Reference {
				def, err := st.Marshal(ctx)
				if err != nil {
					t.Fatal(err)
				}
				res, err := gw.Solve(ctx, gwclient.SolveRequest{Definition: def.ToPB()})
				if err != nil {
					t.Fatal(err)
				}
				r, _ := res.SingleRef()
				return r
			}
			ctr, err := gw.NewContainer(ctx, gwclient.NewContainerRequest{Mounts: []gwclient.Mount{
				{Dest: "/", Ref: ref(llb.Scratch())},
				{Dest: "/__rehearse", Ref: ref(agentState), Readonly: true},
				{Dest: "/cache", MountType: pb.MountType_CACHE, CacheOpt: &pb.CacheOpt{ID: cache.PipMountID, Sharing: pb.CacheSharingOpt_SHARED}},
			}})
			if err != nil {
				return nil, err
			}
			defer ctr.Release(context.WithoutCancel(ctx))
			proc, err := ctr.Start(ctx, gwclient.StartRequest{Args: []string{"/__rehearse/rehearse", "__agent", "import", "/cache"},
				Stdin: nopReadCloser{bytes.NewReader(tarball.Bytes())}})
			if err != nil {
				return nil, err
			}
			return gwclient.NewResult(), proc.Wait()
		}, nil)
	if err != nil {
		t.Fatalf("could not fill the pip cache mount: %v", err)
	}
}

type nopReadCloser struct{ *bytes.Reader }

func (nopReadCloser) Close() error { return nil }
