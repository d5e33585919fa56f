package buildkit

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/moby/buildkit/client/llb/sourceresolver"
	gwclient "github.com/moby/buildkit/frontend/gateway/client"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/rehearse-dev/rehearse/emulate/image"
)

// imageConf is the part of an image's configuration a job uses.
type imageConf struct {
	Env        []string
	User       string
	WorkingDir string
}

// defaultPath is the PATH of an image that sets none (a root filesystem).
const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// imageConfig reads the configuration of an image: from the registry for a
// docker-image, from the layout for an oci-layout; a rootfs has none.
func imageConfig(ctx context.Context, gw gwclient.Client, ref image.Ref, src *image.Source) (imageConf, error) {
	var raw []byte
	switch ref.Scheme {
	case image.SchemeDockerImage:
		_, _, cfg, err := gw.ResolveImageConfig(ctx, ref.Name, sourceresolver.Opt{
			ImageOpt: &sourceresolver.ResolveImageOpt{ResolveMode: "default"},
		})
		if err != nil {
			return imageConf{}, fmt.Errorf("could not read the configuration of %s: %w", ref.Name, err)
		}
		raw = cfg
	case image.SchemeOCILayout:
		if src.Layout == nil {
			break
		}
		cfg, err := layoutConfig(src.Layout)
		if err != nil {
			return imageConf{}, err
		}
		raw = cfg
	}
	conf := imageConf{Env: []string{"PATH=" + defaultPath}}
	if len(raw) == 0 {
		return conf, nil
	}
	var img ocispecs.Image
	if err := json.Unmarshal(raw, &img); err != nil {
		return imageConf{}, fmt.Errorf("could not read the configuration of %s: %w", ref.String(), err)
	}
	if len(img.Config.Env) > 0 {
		conf.Env = img.Config.Env
	}
	conf.User, conf.WorkingDir = img.Config.User, img.Config.WorkingDir
	return conf, nil
}

// layoutConfig reads the config blob of a layout's manifest.
func layoutConfig(l *image.Layout) ([]byte, error) {
	blob := func(d ocispecs.Descriptor) ([]byte, error) {
		return os.ReadFile(filepath.Join(l.Dir, "blobs", d.Digest.Algorithm().String(), d.Digest.Encoded()))
	}
	data, err := blob(l.Manifest)
	if err != nil {
		return nil, fmt.Errorf("could not read the manifest of %s: %w", l.Dir, err)
	}
	var m ocispecs.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("could not read the manifest of %s: %w", l.Dir, err)
	}
	cfg, err := blob(m.Config)
	if err != nil {
		return nil, fmt.Errorf("could not read the image configuration of %s: %w", l.Dir, err)
	}
	return cfg, nil
}
