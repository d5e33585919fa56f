package placement

import (
	digest "github.com/opencontainers/go-digest"
	specs "github.com/opencontainers/image-spec/specs-go/v1"
)

// Cell is one job cell to place.
type Cell struct {
	// Key names the cell uniquely in the run (workflow file, job id and
	// matrix values); [Placer.Finish] and [Placer.Lost] speak of cells by it.
	Key string
	// Platform is the platform the cell needs: its runs-on label's
	// architecture, or its container image's.
	Platform specs.Platform
	// Image is the image reference as the run names it
	// (docker-image://ubuntu:24.04, oci-layout://DIR@sha256:...).
	Image string
	// ImageDigest is the image's digest when known before the run (an
	// oci-layout reference with a digest, or one resolved once for the
	// platform); "" leaves it to the record, which knows the digest a
	// builder ran the reference at.
	ImageDigest digest.Digest
	// DepKey decides what the cell's pip install puts in the pip cache
	// (see [DependencyKey]); "" when the cell has no dependency files, and
	// then pip cache warmth does not matter.
	DepKey string
}
