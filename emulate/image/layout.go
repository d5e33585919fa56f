package image

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/distribution/reference"
	digest "github.com/opencontainers/go-digest"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// Media types of manifests and indexes, OCI and Docker spellings.
const (
	mediaTypeDockerManifest     = "application/vnd.docker.distribution.manifest.v2+json"
	mediaTypeDockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
)

// annotationContainerdName is the full image name buildkit's oci exporter
// and ctr put beside org.opencontainers.image.ref.name.
const annotationContainerdName = "io.containerd.image.name"

// Layout is an OCI image layout directory resolved to one image manifest.
type Layout struct {
	// Dir is the layout's directory.
	Dir string
	// Manifest is the image manifest to run, for this machine's platform
	// when the reference named an index.
	Manifest ocispecs.Descriptor
	// Name is the image's name from index.json annotations, normalized
	// (docker.io/library/NAME), or docker.io/library/image when it has none
	// that parses.
	Name string
}

// OpenLayout resolves an OCI image layout to one image manifest: the one
// dgst names (a manifest, or an index resolved to linux on this machine's
// architecture, else amd64), or without dgst the single image of
// index.json. More than one image without a digest is an error that lists
// them.
func OpenLayout(dir string, dgst digest.Digest) (*Layout, error) {
	if err := checkLayoutDir(dir); err != nil {
		return nil, err
	}
	idx, err := readIndex(filepath.Join(dir, ocispecs.ImageIndexFile))
	if err != nil {
		return nil, err
	}
	l := &Layout{Dir: dir}
	var desc ocispecs.Descriptor
	if dgst == "" {
		if len(idx.Manifests) == 0 {
			return nil, fmt.Errorf("oci layout %q has no image in index.json", dir)
		}
		if len(idx.Manifests) > 1 {
			var list []string
			for _, m := range idx.Manifests {
				list = append(list, fmt.Sprintf("%s@%s (%s)", dir, m.Digest, descName(m)))
			}
			return nil, fmt.Errorf("oci layout %q has %d images in index.json; choose one with oci-layout://DIR@sha256:DIGEST: %s",
				dir, len(idx.Manifests), strings.Join(list, ", "))
		}
		desc = idx.Manifests[0]
	} else {
		desc = ocispecs.Descriptor{Digest: dgst}
		for _, m := range idx.Manifests {
			if m.Digest == dgst {
				desc = m
			}
		}
	}
	l.Name = layoutName(desc)
	l.Manifest, err = resolveManifest(dir, desc, 0)
	if err != nil {
		return nil, err
	}
	return l, nil
}

// Reference is the name the oci-layout source op needs: a full reference
// pinned by the manifest digest (buildkit refuses a bare name@digest and
// tags), docker.io/library/NAME@sha256:....
func (l *Layout) Reference() string {
	return l.Name + "@" + l.Manifest.Digest.String()
}

func checkLayoutDir(dir string) error {
	st, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("oci layout %q does not exist (make one with: rehearse image import ROOTFS)", dir)
		}
		return fmt.Errorf("could not read oci layout %q: %w", dir, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("oci layout %q is not a directory", dir)
	}
	data, err := os.ReadFile(filepath.Join(dir, ocispecs.ImageLayoutFile))
	if err != nil {
		return fmt.Errorf("%q is not an oci layout: could not read its oci-layout file: %w", dir, err)
	}
	var lay ocispecs.ImageLayout
	if err := json.Unmarshal(data, &lay); err != nil || lay.Version != ocispecs.ImageLayoutVersion {
		return fmt.Errorf("%q is not an oci layout of version %s: its oci-layout file says %q", dir, ocispecs.ImageLayoutVersion, strings.TrimSpace(string(data)))
	}
	return nil
}

func readIndex(path string) (*ocispecs.Index, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("could not read %q: %w", path, err)
	}
	var idx ocispecs.Index
	if err := json.Unmarshal(data, &idx); err != nil {
		return nil, fmt.Errorf("could not parse %q: %w", path, err)
	}
	return &idx, nil
}

// blobPath is where a layout keeps a blob.
func blobPath(dir string, d digest.Digest) string {
	return filepath.Join(dir, "blobs", d.Algorithm().String(), d.Encoded())
}

// manifestOrIndex holds the fields that tell a manifest from an index.
type manifestOrIndex struct {
	MediaType string                `json:"mediaType"`
	Manifests []ocispecs.Descriptor `json:"manifests"`
	Config    *ocispecs.Descriptor  `json:"config"`
}

// resolveManifest follows desc to an image manifest, choosing a platform
// in indexes.
func resolveManifest(dir string, desc ocispecs.Descriptor, depth int) (ocispecs.Descriptor, error) {
	if depth > 4 {
		return ocispecs.Descriptor{}, fmt.Errorf("oci layout %q: indexes nested too deep at %s", dir, desc.Digest)
	}
	if err := desc.Digest.Validate(); err != nil {
		return ocispecs.Descriptor{}, fmt.Errorf("oci layout %q: bad digest %q: %w", dir, desc.Digest, err)
	}
	data, err := os.ReadFile(blobPath(dir, desc.Digest))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return ocispecs.Descriptor{}, fmt.Errorf("oci layout %q has no blob %s", dir, desc.Digest)
		}
		return ocispecs.Descriptor{}, fmt.Errorf("could not read blob %s of oci layout %q: %w", desc.Digest, dir, err)
	}
	if got := digest.FromBytes(data); got != desc.Digest {
		return ocispecs.Descriptor{}, fmt.Errorf("oci layout %q: blob %s is corrupt (its content has digest %s)", dir, desc.Digest, got)
	}
	var m manifestOrIndex
	if err := json.Unmarshal(data, &m); err != nil {
		return ocispecs.Descriptor{}, fmt.Errorf("oci layout %q: blob %s is neither a manifest nor an index: %w", dir, desc.Digest, err)
	}
	desc.Size = int64(len(data))
	switch {
	case m.MediaType == ocispecs.MediaTypeImageIndex || m.MediaType == mediaTypeDockerManifestList || (m.MediaType == "" && m.Config == nil && m.Manifests != nil):
		child, err := choosePlatform(dir, desc.Digest, m.Manifests)
		if err != nil {
			return ocispecs.Descriptor{}, err
		}
		return resolveManifest(dir, child, depth+1)
	case m.MediaType == ocispecs.MediaTypeImageManifest || m.MediaType == mediaTypeDockerManifest || (m.MediaType == "" && m.Config != nil):
		if desc.MediaType == "" {
			desc.MediaType = m.MediaType
		}
		if desc.MediaType == "" {
			desc.MediaType = ocispecs.MediaTypeImageManifest
		}
		return desc, nil
	}
	return ocispecs.Descriptor{}, fmt.Errorf("oci layout %q: blob %s has media type %q, not an image manifest or index", dir, desc.Digest, m.MediaType)
}

// preferredArchitectures is the order in which an index's platforms are
// tried: this machine's, then amd64 (GitHub's runners).
func preferredArchitectures() []string {
	if runtime.GOARCH == "amd64" {
		return []string{"amd64"}
	}
	return []string{runtime.GOARCH, "amd64"}
}

func choosePlatform(dir string, index digest.Digest, list []ocispecs.Descriptor) (ocispecs.Descriptor, error) {
	var seen []string
	for _, arch := range preferredArchitectures() {
		for _, m := range list {
			if m.Platform == nil {
				continue
			}
			if m.Platform.OS == "linux" && m.Platform.Architecture == arch {
				return m, nil
			}
		}
	}
	// An index without platforms (one manifest, as some tools write it) is
	// taken as is.
	var untagged []ocispecs.Descriptor
	for _, m := range list {
		if m.Platform == nil {
			untagged = append(untagged, m)
		} else {
			seen = append(seen, m.Platform.OS+"/"+m.Platform.Architecture)
		}
	}
	if len(untagged) == 1 && len(seen) == 0 {
		return untagged[0], nil
	}
	sort.Strings(seen)
	return ocispecs.Descriptor{}, fmt.Errorf("oci layout %q: index %s has no image for linux/%s (it has: %s)",
		dir, index, strings.Join(preferredArchitectures(), " or linux/"), strings.Join(seen, ", "))
}

// descName is an index entry's name for messages.
func descName(d ocispecs.Descriptor) string {
	if n := d.Annotations[annotationContainerdName]; n != "" {
		return n
	}
	if n := d.Annotations[ocispecs.AnnotationRefName]; n != "" {
		return n
	}
	return "no name"
}

// layoutName is the normalized repository name of an index entry, for
// Layout.Reference: the containerd name or the ref.name annotation when
// either parses as a reference, else docker.io/library/image.
func layoutName(d ocispecs.Descriptor) string {
	for _, key := range []string{annotationContainerdName, ocispecs.AnnotationRefName} {
		if n, err := reference.ParseNormalizedNamed(d.Annotations[key]); err == nil {
			return reference.TrimNamed(n).String()
		}
	}
	return "docker.io/library/image"
}
