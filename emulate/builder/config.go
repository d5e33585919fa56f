package builder

import (
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
)

// daemonConfig is what goes into the private daemon's buildkitd.toml.
// Worker settings that decide the daemon's shape (root, address,
// snapshotter, network) are command-line flags, visible in `ps`; the file
// holds what has no flag.
type daemonConfig struct {
	// OTELSocket is the daemon's trace socket. Its default,
	// /run/buildkit/otel-grpc.sock, is shared by every daemon on the
	// machine (and unwritable without root), so each gets its own.
	OTELSocket string
	// Runc is the runc binary, absolute: an unprivileged user's PATH often
	// lacks /usr/sbin, where distributions install it.
	Runc string
	// InsecureRegistries are reached over plain HTTP.
	InsecureRegistries []string
	// Disk sizes the garbage collection rules keep to (gcpolicy.go).
	Disk diskCaps
}

// render writes the TOML. The output depends only on c, with registries
// sorted, so that a change is detectable by comparing bytes.
func (c daemonConfig) render() []byte {
	var b strings.Builder
	b.WriteString("# Written by rehearse for its private BuildKit daemon; rewritten when it starts.\n")
	b.WriteString("# Options: https://github.com/moby/buildkit/blob/master/docs/buildkitd.toml.md\n")
	if c.OTELSocket != "" {
		fmt.Fprintf(&b, "\n[otel]\n  socketPath = %s\n", tomlString(c.OTELSocket))
	}
	b.WriteString("\n[worker.oci]\n")
	if c.Runc != "" {
		fmt.Fprintf(&b, "  binary = %s\n", tomlString(c.Runc))
	}
	b.WriteString("  gc = true\n")
	renderGCPolicy(&b, c.Disk)
	regs := slices.Clone(c.InsecureRegistries)
	slices.Sort(regs)
	for _, r := range slices.Compact(regs) {
		fmt.Fprintf(&b, "\n[registry.%s]\n  http = true\n", tomlString(r))
	}
	return []byte(b.String())
}

// ValidateRegistry checks one insecure registry host: a host name or IP
// address with an optional port, as BuildKit's [registry."HOST"] tables
// take them.
func ValidateRegistry(r string) error {
	if r == "" {
		return fmt.Errorf("insecure registry: empty; give a host or host:port, like 127.0.0.1:5000")
	}
	if strings.Contains(r, "://") || strings.ContainsAny(r, "/ \t\"\\") {
		return fmt.Errorf("insecure registry %q: give a host or host:port, like 127.0.0.1:5000, without scheme or path", r)
	}
	host := r
	if h, port, err := net.SplitHostPort(r); err == nil {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("insecure registry %q: port %q is not a number from 1 to 65535", r, port)
		}
		host = h
	}
	if host == "" {
		return fmt.Errorf("insecure registry %q: no host; give one like 127.0.0.1:5000", r)
	}
	return nil
}

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
