package image

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/containerd/containerd/v2/core/content"
	"github.com/moby/buildkit/client"
	"github.com/moby/buildkit/solver/pb"
	"github.com/tonistiigi/fsutil"
)

func TestLoadDockerImage(t *testing.T) {
	t.Parallel()
	ref, err := ParseRef("ubuntu:24.04")
	if err != nil {
		t.Fatal(err)
	}
	src, err := Load(ref)
	if err != nil {
		t.Fatal(err)
	}
	chain := rootChain(t, src.State)
	if len(chain) != 1 || chain[0].GetSource().GetIdentifier() != "docker-image://docker.io/library/ubuntu:24.04" {
		t.Fatalf("ops %v; want one docker-image source", chain)
	}
	if mode, ok := chain[0].GetSource().GetAttrs()[pb.AttrImageResolveMode]; ok && mode != pb.AttrImageResolveModeDefault {
		t.Errorf("resolve mode %q; want the default", mode)
	}
	if len(src.Requirements.OCIStores)+len(src.Requirements.LocalMounts) != 0 {
		t.Errorf("a registry image needs nothing from the session, got %+v", src.Requirements)
	}
}

func TestLoadOCILayout(t *testing.T) {
	t.Parallel()
	tt := makeTinyTree(t)
	res, err := Import(t.Context(), tt.dir, ImportOptions{Name: "tiny", Out: filepath.Join(t.TempDir(), "l")})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{"oci-layout://" + res.Ref.Dir, res.Ref.String()} {
		ref, err := ParseRef(in)
		if err != nil {
			t.Fatal(err)
		}
		src, err := Load(ref)
		if err != nil {
			t.Fatal(err)
		}
		chain := rootChain(t, src.State)
		s := chain[0].GetSource()
		if len(chain) != 1 || s.GetIdentifier() != "oci-layout://docker.io/library/tiny@"+res.Manifest.String() {
			t.Fatalf("%s: source %q; want oci-layout://docker.io/library/tiny@%s", in, s.GetIdentifier(), res.Manifest)
		}
		id := s.GetAttrs()[pb.AttrOCILayoutStoreID]
		if id == "" || src.Requirements.OCIStores[id] == nil || s.GetAttrs()[pb.AttrOCILayoutSessionID] != "" {
			t.Fatalf("%s: store id %q, stores %v; want the source's store in the requirements and no session id (the solve's own session)", in, id, src.Requirements.OCIStores)
		}
		if _, err := src.Requirements.OCIStores[id].Info(t.Context(), res.Manifest); err != nil {
			t.Errorf("the content store does not serve the manifest: %v", err)
		}
	}
}

func TestLoadRootfs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ref, err := ParseRef("rootfs://" + dir)
	if err != nil {
		t.Fatal(err)
	}
	src, err := Load(ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(src.Requirements.LocalMounts) != 1 {
		t.Fatalf("local mounts %v; want the directory", src.Requirements.LocalMounts)
	}
	var name string
	for n := range src.Requirements.LocalMounts {
		name = n
	}
	def, err := src.State.Marshal(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var local, copyIntoScratch bool
	for _, dt := range def.Def {
		var op pb.Op
		if err := op.UnmarshalVT(dt); err != nil {
			t.Fatal(err)
		}
		if s := op.GetSource(); s != nil && s.GetIdentifier() == "local://"+name {
			local = s.GetAttrs()[pb.AttrSharedKeyHint] == name
		}
		if f := op.GetFile(); f != nil {
			a := f.GetActions()[0]
			c := a.GetCopy()
			copyIntoScratch = c != nil && a.GetInput() == -1 && c.GetSrc() == "/" && c.GetDest() == "/" && c.GetDirCopyContents()
		}
	}
	if !local || !copyIntoScratch {
		t.Fatalf("local source with its shared key: %v, copied into scratch: %v; want both", local, copyIntoScratch)
	}
	for _, bad := range []string{filepath.Join(dir, "nope"), filepath.Join(dirWithFile(t), "probe")} {
		if _, err := Load(Ref{Scheme: SchemeRootfs, Dir: bad}); err == nil {
			t.Errorf("Load(rootfs://%s) succeeded", bad)
		}
	}
}

// dirWithFile is a directory holding one file, probe, for the not-a-directory case.
func dirWithFile(t *testing.T) string {
	dir := t.TempDir()
	if err := writeFileAtomic(filepath.Join(dir, "probe"), []byte("x")); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestRequirementsMergeApply(t *testing.T) {
	t.Parallel()
	a, b := t.TempDir(), t.TempDir()
	load := func(dir string) *Source {
		t.Helper()
		src, err := Load(Ref{Scheme: SchemeRootfs, Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		return src
	}
	srcA, srcA2, srcB := load(a), load(a), load(b)
	var all Requirements
	all.Merge(srcA.Requirements)
	all.Merge(srcA2.Requirements) // the same directory: one mount, the first kept
	all.Merge(srcB.Requirements)
	if len(all.LocalMounts) != 2 {
		t.Fatalf("merged mounts %v; want one per directory", all.LocalMounts)
	}
	for k, v := range srcA.Requirements.LocalMounts {
		if all.LocalMounts[k] != v {
			t.Errorf("mount %s was replaced by a later merge", k)
		}
	}
	workspace, err := fsutil.NewFS(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	opt := client.SolveOpt{LocalMounts: map[string]fsutil.FS{"workspace": workspace}}
	all.Apply(&opt)
	if len(opt.LocalMounts) != 3 || opt.LocalMounts["workspace"] != workspace || opt.OCIStores != nil {
		t.Errorf("SolveOpt after Apply: mounts %v, stores %v; want the executor's own mount kept and no stores", opt.LocalMounts, opt.OCIStores)
	}
	var none Requirements
	none.Merge(Requirements{OCIStores: map[string]content.Store{}})
	if none.OCIStores != nil {
		t.Error("merging empty requirements made a map")
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	if _, err := Load(Ref{}); err == nil || !strings.Contains(err.Error(), "accepted forms") {
		t.Errorf("Load of an empty Ref = %v", err)
	}
	if _, err := Load(Ref{Scheme: SchemeOCILayout, Dir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "is not an oci layout") {
		t.Errorf("Load of an empty directory as a layout = %v", err)
	}
}
