package image

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/containerd/containerd/v2/core/content"
	"github.com/containerd/containerd/v2/plugins/content/local"
	"github.com/moby/buildkit/client"
	"github.com/moby/buildkit/client/llb"
	"github.com/tonistiigi/fsutil"
)

// Requirements is what a solve of a [Source]'s state needs from the
// client's session besides the definition: content stores for oci-layout
// sources and directories for rootfs sources. An executor merges the
// requirements of all its jobs and applies them to its one SolveOpt.
//
// Keys are derived from the directory, so two sources over the same
// directory share one store or one local mount.
type Requirements struct {
	// OCIStores maps a store ID to a content store over a layout, for
	// client.SolveOpt.OCIStores.
	OCIStores map[string]content.Store
	// LocalMounts maps a local name to its directory, for
	// client.SolveOpt.LocalMounts.
	LocalMounts map[string]fsutil.FS
}

// Merge adds o's stores and mounts to r. An ID already in r keeps its
// value: IDs name directories, so the same ID is the same directory.
func (r *Requirements) Merge(o Requirements) {
	for id, s := range o.OCIStores {
		if r.OCIStores == nil {
			r.OCIStores = map[string]content.Store{}
		}
		if _, ok := r.OCIStores[id]; !ok {
			r.OCIStores[id] = s
		}
	}
	for name, m := range o.LocalMounts {
		if r.LocalMounts == nil {
			r.LocalMounts = map[string]fsutil.FS{}
		}
		if _, ok := r.LocalMounts[name]; !ok {
			r.LocalMounts[name] = m
		}
	}
}

// Apply adds the requirements to opt, keeping what opt already has under
// the same keys.
func (r Requirements) Apply(opt *client.SolveOpt) {
	into := Requirements{OCIStores: opt.OCIStores, LocalMounts: opt.LocalMounts}
	into.Merge(r)
	opt.OCIStores, opt.LocalMounts = into.OCIStores, into.LocalMounts
}

// Source is an image reference turned into LLB.
type Source struct {
	Ref Ref
	// State is the image's root filesystem (not prepared: see [Prepare]).
	State llb.State
	// Requirements is what the solve of State needs in the SolveOpt.
	Requirements Requirements
	// Layout is the resolved layout of an oci-layout reference.
	Layout *Layout
}

// Load turns a reference into LLB:
//   - docker-image: llb.Image with the default resolve mode (a tag is
//     checked against the registry, a digest is used as is);
//   - oci-layout: llb.OCILayout pinned to the manifest digest, reading
//     through a content store over the directory that the session serves;
//   - rootfs: llb.Local of the directory copied into scratch, plus a layer
//     that restores owners other than root (see loadRootfs). The copy is
//     what makes later sessions incremental: mounting a local source
//     directly finalizes its snapshot, so every session would send the
//     whole tree again (4-6 s for a Debian root filesystem).
//
// Load reads an oci-layout's index.json and manifest, and walks a rootfs
// directory for its owners (stat only); it does not talk to a daemon.
func Load(ref Ref) (*Source, error) {
	src := &Source{Ref: ref}
	switch ref.Scheme {
	case SchemeDockerImage:
		src.State = llb.Image(ref.Name, llb.WithCustomName("image "+ref.Name))
	case SchemeOCILayout:
		l, err := OpenLayout(ref.Dir, ref.Digest)
		if err != nil {
			return nil, err
		}
		store, err := local.NewStore(ref.Dir)
		if err != nil {
			return nil, fmt.Errorf("could not open oci layout %q as a content store: %w", ref.Dir, err)
		}
		id := dirKey("oci", ref.Dir)
		src.Layout = l
		src.Requirements.OCIStores = map[string]content.Store{id: store}
		src.State = llb.OCILayout(l.Reference(), llb.OCIStore("", id),
			llb.WithCustomName("image "+ref.String()))
	case SchemeRootfs:
		return loadRootfs(ref)
	default:
		return nil, fmt.Errorf("image reference %q: no scheme; %s", ref.String(), acceptedForms)
	}
	return src, nil
}

// dirKey is a stable session key for a directory: prefix-<12 hex digits>.
func dirKey(prefix, dir string) string {
	sum := sha256.Sum256([]byte(dir))
	return prefix + "-" + hex.EncodeToString(sum[:6])
}
