package image

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/distribution/reference"
	digest "github.com/opencontainers/go-digest"
)

// Scheme says where an image comes from.
type Scheme string

// The schemes a reference may name.
const (
	// SchemeDockerImage is an image in a registry (docker-image://NAME).
	SchemeDockerImage Scheme = "docker-image"
	// SchemeOCILayout is a local OCI image layout directory (oci-layout://DIR).
	SchemeOCILayout Scheme = "oci-layout"
	// SchemeRootfs is a root filesystem directory (rootfs://DIR).
	SchemeRootfs Scheme = "rootfs"
)

// acceptedForms is what every reference error shows.
const acceptedForms = "accepted forms: docker-image://NAME[:TAG][@sha256:DIGEST] " +
	"(or the bare NAME[:TAG], as act spells it), oci-layout://DIR[@sha256:DIGEST], rootfs://DIR"

// Ref is a parsed image reference, as given to -P LABEL=REF. Parsing does
// not look at the file system or a registry: [Load] does.
type Ref struct {
	Scheme Scheme
	// Name is the normalized registry reference of a docker-image
	// (docker.io/library/ubuntu:24.04); empty for the other schemes.
	Name string
	// Dir is the absolute directory of an oci-layout or a rootfs.
	Dir string
	// Digest pins one manifest (or index) of an oci-layout; empty means
	// the layout's only image.
	Digest digest.Digest
}

// RefError is a reference that does not parse: what is wrong, and the
// accepted forms.
type RefError struct {
	Input  string
	Reason string
}

func (e *RefError) Error() string {
	return fmt.Sprintf("image reference %q: %s; %s", e.Input, e.Reason, acceptedForms)
}

// ParseRef parses docker-image://REF, a bare REF (act's spelling of
// docker-image://), oci-layout://DIR[@sha256:DIGEST] and rootfs://DIR.
// Registry names are normalized with the distribution reference rules
// (ubuntu becomes docker.io/library/ubuntu:latest); relative directories are
// made absolute against the current directory.
func ParseRef(s string) (Ref, error) {
	bad := func(format string, a ...any) (Ref, error) {
		return Ref{}, &RefError{Input: s, Reason: fmt.Sprintf(format, a...)}
	}
	in := strings.TrimSpace(s)
	if in == "" {
		return bad("empty reference")
	}
	if in == "host" {
		return bad("host is this machine, not an image (-P LABEL=host runs the label's jobs with the host executor)")
	}
	scheme, rest, hasScheme := strings.Cut(in, "://")
	if !hasScheme {
		scheme, rest = string(SchemeDockerImage), in
	}
	switch Scheme(scheme) {
	case SchemeDockerImage:
		if rest == "" {
			return bad("no image name after docker-image://")
		}
		named, err := reference.ParseNormalizedNamed(rest)
		if err != nil {
			return bad("not a registry reference: %v", err)
		}
		return Ref{Scheme: SchemeDockerImage, Name: reference.TagNameOnly(named).String()}, nil
	case SchemeOCILayout:
		dir, dgst := rest, digest.Digest("")
		if i := strings.LastIndex(rest, "@"); i >= 0 && strings.Contains(rest[i+1:], ":") {
			dir, dgst = rest[:i], digest.Digest(rest[i+1:])
			if err := dgst.Validate(); err != nil {
				return bad("bad digest %q after @: %v (expected sha256: and 64 hex digits)", string(dgst), err)
			}
		}
		abs, err := absDir(dir)
		if err != nil {
			return bad("%v", err)
		}
		return Ref{Scheme: SchemeOCILayout, Dir: abs, Digest: dgst}, nil
	case SchemeRootfs:
		abs, err := absDir(rest)
		if err != nil {
			return bad("%v", err)
		}
		return Ref{Scheme: SchemeRootfs, Dir: abs}, nil
	case "docker":
		return bad("unknown scheme \"docker://\" (did you mean docker-image://%s?)", rest)
	default:
		return bad("unknown scheme %q", scheme+"://")
	}
}

func absDir(dir string) (string, error) {
	if dir == "" {
		return "", errors.New("no directory after the scheme")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("could not resolve directory %q: %w", dir, err)
	}
	return abs, nil
}

// String gives the reference in its canonical spelling, which ParseRef
// reads back to the same Ref.
func (r Ref) String() string {
	switch r.Scheme {
	case SchemeDockerImage:
		return string(SchemeDockerImage) + "://" + r.Name
	case SchemeOCILayout:
		if r.Digest != "" {
			return string(SchemeOCILayout) + "://" + r.Dir + "@" + r.Digest.String()
		}
		return string(SchemeOCILayout) + "://" + r.Dir
	case SchemeRootfs:
		return string(SchemeRootfs) + "://" + r.Dir
	}
	return ""
}
