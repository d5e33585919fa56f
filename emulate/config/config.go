// Package config reads rehearse's configuration files: the user's
// ($XDG_CONFIG_HOME/rehearse/config.yml, else ~/.config/rehearse/config.yml)
// and the repository's (.rehearse.yml at its root), which overrides the
// user's key by key. Command-line flags override both.
//
//	executor: auto                  # host, container or auto
//	builder: unix:///run/buildkit/buildkitd.sock
//	builders:                       # several builders, like --builder given
//	  - unix:///run/buildkit/buildkitd.sock,jobs=2        # several times;
//	  - tcp://build1.example:1234,ca=ca.pem,cert=c.pem,key=k.pem
//	platforms:                      # like -P LABEL=TARGET
//	  ubuntu-latest: oci-layout:///srv/images/noble@sha256:...
//	  self-hosted: host
//	python:
//	  manifest: https://mirror.example/versions-manifest.json
//	  sources:                      # like --python-source VERSION=IMAGE
//	    "3.8": docker-image://ghcr.io/example/py38-toolcache:1
//	uv:                             # where astral-sh/setup-uv's uv comes from
//	  download-url: https://mirror.example/uv/releases/download
//	  manifest: https://mirror.example/uv.ndjson
//	network: true                   # false cuts container jobs' network
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v4"
)

// Config is the merged configuration.
type Config struct {
	Executor string `yaml:"executor"`
	Builder  string `yaml:"builder"`
	// Builders are several builders, each `ADDR[,jobs=N][,ca=F][,cert=F][,key=F]`
	// as --builder takes them. A file's list replaces the list (and the
	// builder) of the files before it.
	Builders []string `yaml:"builders"`
	// BuildersFile is the file that gave Builder or Builders, for messages.
	BuildersFile string            `yaml:"-"`
	Platforms    map[string]string `yaml:"platforms"`
	Python       Python            `yaml:"python"`
	UV           UV                `yaml:"uv"`
	Network      *bool             `yaml:"network"`
	// Files are the files read, in order (later ones override).
	Files []string `yaml:"-"`
}

// Python configures setup-python's builds in containers.
type Python struct {
	Manifest string            `yaml:"manifest"`
	Sources  map[string]string `yaml:"sources"`
}

// UV configures where astral-sh/setup-uv's uv comes from: the base URL of
// its release downloads (<download-url>/<version>/uv-<target>.tar.gz) and
// the versions manifest "latest" and ranges are resolved with.
type UV struct {
	DownloadURL string `yaml:"download-url"`
	Manifest    string `yaml:"manifest"`
}

// RepoFile is the repository's configuration file, relative to its root.
const RepoFile = ".rehearse.yml"

// UserFile is the user's configuration file.
func UserFile() string {
	if d := os.Getenv("XDG_CONFIG_HOME"); d != "" {
		return filepath.Join(d, "rehearse", "config.yml")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".config", "rehearse", "config.yml")
}

// Load reads the user's file, then the repository's at root, either of
// which may be missing. $REHEARSE_CONFIG names another user file.
func Load(root string) (*Config, error) {
	c := &Config{}
	user := os.Getenv("REHEARSE_CONFIG")
	if user == "" {
		user = UserFile()
	}
	for _, p := range []string{user, filepath.Join(root, RepoFile)} {
		if p == "" {
			continue
		}
		if err := c.merge(p); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (c *Config) merge(path string) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("could not read the configuration %s: %w", path, err)
	}
	var f Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	// An empty file (or one of comments only) is an empty configuration.
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: %v (see `rehearse help run` for the configuration keys)", path, err)
	}
	switch f.Executor {
	case "", "host", "container", "auto":
	default:
		return fmt.Errorf("%s: executor %q: expected host, container or auto", path, f.Executor)
	}
	if f.Builder != "" && len(f.Builders) > 0 {
		return fmt.Errorf("%s: builder and builders are both set: give one builder with builder, or several with builders", path)
	}
	for i, b := range f.Builders {
		if strings.TrimSpace(b) == "" {
			return fmt.Errorf("%s: builders[%d] is empty: give an address such as unix:///run/buildkit/buildkitd.sock", path, i)
		}
	}
	c.Files = append(c.Files, path)
	if f.Executor != "" {
		c.Executor = f.Executor
	}
	// The repository's builders replace the user's, whichever key each
	// file uses: a list is not merged entry by entry.
	if f.Builder != "" {
		c.Builder, c.Builders, c.BuildersFile = f.Builder, nil, path
	}
	if len(f.Builders) > 0 {
		c.Builder, c.Builders, c.BuildersFile = "", f.Builders, path
	}
	if f.Network != nil {
		c.Network = f.Network
	}
	if f.Python.Manifest != "" {
		c.Python.Manifest = f.Python.Manifest
	}
	if f.UV.DownloadURL != "" {
		c.UV.DownloadURL = f.UV.DownloadURL
	}
	if f.UV.Manifest != "" {
		c.UV.Manifest = f.UV.Manifest
	}
	for k, v := range f.Platforms {
		if c.Platforms == nil {
			c.Platforms = map[string]string{}
		}
		c.Platforms[strings.ToLower(k)] = v
	}
	for k, v := range f.Python.Sources {
		if c.Python.Sources == nil {
			c.Python.Sources = map[string]string{}
		}
		c.Python.Sources[k] = v
	}
	return nil
}
