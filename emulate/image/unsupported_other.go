//go:build !linux

package image

import (
	"context"
	"errors"
	"io"
)

// errLinuxOnly is why root filesystems cannot be read here: their owners,
// device nodes and extended attributes are Linux's.
var errLinuxOnly = errors.New("root filesystems (rootfs://, rehearse image import) are supported on Linux only; use an oci-layout:// or docker-image:// image")

func writeLayer(context.Context, string, io.Writer, func(string)) (layerStats, error) {
	return layerStats{}, errLinuxOnly
}

func loadRootfs(Ref) (*Source, error) { return nil, errLinuxOnly }
