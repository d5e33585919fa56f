package cache

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/moby/buildkit/client"
	"github.com/moby/buildkit/client/llb"
	gwclient "github.com/moby/buildkit/frontend/gateway/client"
	"github.com/moby/buildkit/solver/pb"
	"github.com/tonistiigi/fsutil"
)

// PipMountID is the BuildKit cache mount that is every container job's
// ~/.cache/pip: one pip cache for all jobs of all runs on a builder. It is
// shared, not locked, so parallel jobs do not wait for each other (pip
// writes its cache entries atomically), and it survives runs and daemon
// restarts until it is pruned.
const PipMountID = "rehearse-pip-cache"

// MountUsage is what a builder holds of the pip cache mount.
type MountUsage struct {
	// Found is false when the builder has no such mount yet.
	Found bool
	// Size is the bytes in the mount and Files how many files.
	Size  int64
	Files int
	// Created and LastUsed are BuildKit's record times.
	Created, LastUsed time.Time
	// InUse is set while a job has it mounted.
	InUse bool
}

// pipMountFilter selects the pip cache mount's record.
var pipMountFilter = []string{"type==exec.cachemount", `description~="` + PipMountID + `"`}

// PipMountUsage reports the pip cache mount of a builder. BuildKit does
// not size a mutable cache mount, so the size is measured by the agent
// (rehearse's static binary, agentBinary) in a container that mounts it.
func PipMountUsage(ctx context.Context, c *client.Client, agentBinary string) (MountUsage, error) {
	var u MountUsage
	recs, err := c.DiskUsage(ctx, client.WithFilter(pipMountFilter))
	if err != nil {
		return u, fmt.Errorf("could not ask the builder for its disk use: %w", err)
	}
	for _, r := range recs {
		if !strings.Contains(r.Description, `"`+PipMountID+`"`) {
			continue
		}
		u.Found = true
		u.Created = r.CreatedAt
		if r.LastUsedAt != nil && r.LastUsedAt.After(u.LastUsed) {
			u.LastUsed = *r.LastUsedAt
		}
		u.InUse = u.InUse || r.InUse
	}
	if !u.Found {
		return u, nil
	}
	size, files, err := measureMount(ctx, c, agentBinary)
	if err != nil {
		return u, err
	}
	u.Size, u.Files = size, files
	return u, nil
}

// measureMount runs `agent du` over the mount in a container whose root is
// empty: the agent is static and needs nothing else.
func measureMount(ctx context.Context, c *client.Client, agentBinary string) (int64, int, error) {
	if p, err := filepath.EvalSymlinks(agentBinary); err == nil {
		agentBinary = p
	}
	fsys, err := fsutil.NewFS(filepath.Dir(agentBinary))
	if err != nil {
		return 0, 0, err
	}
	name := filepath.Base(agentBinary)
	local := llb.Local("rehearse-agent", llb.IncludePatterns([]string{name}), llb.SharedKeyHint("rehearse-agent:"+agentBinary))
	agent := llb.Scratch().File(llb.Copy(local, "/"+name, "/rehearse", &llb.CopyInfo{}))
	var out bytes.Buffer
	_, err = c.Build(ctx, client.SolveOpt{Internal: true, LocalMounts: map[string]fsutil.FS{"rehearse-agent": fsys}}, "rehearse",
		func(ctx context.Context, gw gwclient.Client) (*gwclient.Result, error) {
			refOf := func(st llb.State) (gwclient.Reference, error) {
				def, err := st.Marshal(ctx)
				if err != nil {
					return nil, err
				}
				res, err := gw.Solve(ctx, gwclient.SolveRequest{Definition: def.ToPB()})
				if err != nil {
					return nil, err
				}
				return res.SingleRef()
			}
			root, err := refOf(llb.Scratch())
			if err != nil {
				return nil, err
			}
			agentRef, err := refOf(agent)
			if err != nil {
				return nil, err
			}
			ctr, err := gw.NewContainer(ctx, gwclient.NewContainerRequest{Mounts: []gwclient.Mount{
				{Dest: "/", Ref: root},
				{Dest: "/__rehearse", Ref: agentRef, Readonly: true},
				{Dest: "/cache", MountType: pb.MountType_CACHE, Readonly: true,
					CacheOpt: &pb.CacheOpt{ID: PipMountID, Sharing: pb.CacheSharingOpt_SHARED}},
			}, NetMode: pb.NetMode_NONE})
			if err != nil {
				return nil, err
			}
			defer ctr.Release(context.WithoutCancel(ctx))
			proc, err := ctr.Start(ctx, gwclient.StartRequest{Args: []string{"/__rehearse/rehearse", "__agent", "du", "/cache"},
				Stdout: nopCloser{&out}, Stderr: nopCloser{&out}})
			if err != nil {
				return nil, err
			}
			return gwclient.NewResult(), proc.Wait()
		}, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("could not measure the pip cache mount: %w: %s", err, strings.TrimSpace(out.String()))
	}
	f := strings.Fields(out.String())
	if len(f) != 2 {
		return 0, 0, fmt.Errorf("could not measure the pip cache mount: %q", out.String())
	}
	size, err1 := strconv.ParseInt(f[0], 10, 64)
	files, err2 := strconv.Atoi(f[1])
	if err := errors.Join(err1, err2); err != nil {
		return 0, 0, fmt.Errorf("could not measure the pip cache mount: %q", out.String())
	}
	return size, files, nil
}

type nopCloser struct{ *bytes.Buffer }

func (nopCloser) Close() error { return nil }

// PrunePipMount removes the pip cache mount from a builder: the next job
// starts with an empty pip cache. It returns the bytes BuildKit reports
// freed. A mount in use by a running job is left alone.
func PrunePipMount(ctx context.Context, c *client.Client) (int64, error) {
	ch := make(chan client.UsageInfo)
	done := make(chan int64)
	go func() {
		var n int64
		for u := range ch {
			n += u.Size
		}
		done <- n
	}()
	err := c.Prune(ctx, ch, client.WithFilter(pipMountFilter))
	close(ch)
	freed := <-done
	if err != nil {
		return 0, fmt.Errorf("could not prune the pip cache mount: %w", err)
	}
	return freed, nil
}

// DirUsage is the size, file count and newest modification of a directory
// tree on this machine (zero for a missing one).
func DirUsage(dir string) (size int64, files int, newest time.Time) {
	_ = filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if info, err := d.Info(); err == nil {
			size += info.Size()
			files++
			if info.ModTime().After(newest) {
				newest = info.ModTime()
			}
		}
		return nil
	})
	return size, files, newest
}
