package image

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"strings"

	gwclient "github.com/moby/buildkit/frontend/gateway/client"
)

// OSRelease is what an image's os-release file says about its
// distribution: enough to choose Python builds made for it.
type OSRelease struct {
	// ID is the distribution's identifier: ubuntu, debian, alpine.
	ID string
	// VersionID is its version: 24.04, 12, 3.20.1; empty for rolling
	// releases (Debian testing, Arch).
	VersionID string
	// Fields holds every variable of the file, unquoted.
	Fields map[string]string
}

// ImageOS is the ImageOS value GitHub's runner would set on this
// distribution (ubuntu24 for Ubuntu 24.04), or ID and major version for
// distributions GitHub has no runner for (debian12).
func (o OSRelease) ImageOS() string {
	major, _, _ := strings.Cut(o.VersionID, ".")
	return o.ID + major
}

// osReleasePaths are where os-release(5) says to look, in order.
var osReleasePaths = []string{"/etc/os-release", "/usr/lib/os-release"}

// ReadOSRelease reads and parses the os-release file of a solved image.
// The gateway resolves symbolic links inside the image, so Debian's
// /etc/os-release -> ../usr/lib/os-release is followed.
func ReadOSRelease(ctx context.Context, ref gwclient.Reference) (OSRelease, error) {
	var firstErr error
	for _, p := range osReleasePaths {
		data, err := ref.ReadFile(ctx, gwclient.ReadRequest{Filename: p})
		if err == nil {
			return ParseOSRelease(data), nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return OSRelease{}, fmt.Errorf("could not read the image's os-release (%s): %w", strings.Join(osReleasePaths, ", "), firstErr)
}

// ParseOSRelease parses the shell-like KEY=VALUE lines of os-release(5):
// comments and blank lines are skipped, values may be single- or
// double-quoted, and backslash escapes $ " \ ` inside double quotes.
func ParseOSRelease(data []byte) OSRelease {
	o := OSRelease{Fields: map[string]string{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || k == "" {
			continue
		}
		o.Fields[k] = unquoteOSRelease(v)
	}
	o.ID = o.Fields["ID"]
	o.VersionID = o.Fields["VERSION_ID"]
	return o
}

func unquoteOSRelease(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
		return v[1 : len(v)-1]
	}
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
		var b strings.Builder
		for i := 0; i < len(v); i++ {
			if v[i] == '\\' && i+1 < len(v) && strings.ContainsRune("$\"\\`", rune(v[i+1])) {
				i++
			}
			b.WriteByte(v[i])
		}
		return b.String()
	}
	return v
}
