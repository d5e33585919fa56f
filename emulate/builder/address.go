package builder

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
)

// EnvHost is the environment variable BuildKit's own tools (buildctl,
// docker buildx) read a daemon address from; rehearse reads it too when no
// --builder is given.
const EnvHost = "BUILDKIT_HOST"

// Address is where a BuildKit daemon is and how to reach it.
type Address struct {
	// Addr is the daemon's address in a form BuildKit's client takes:
	// unix:///PATH, tcp://HOST:PORT, docker-container://NAME,
	// podman-container://NAME, nerdctl-container://NAME,
	// kube-pod://POD[?namespace=NS&context=CTX&container=C],
	// ssh://[USER@]HOST[:PORT][/SOCKET].
	Addr string
	// CA is a PEM file with the certificate authority that signed the
	// daemon's certificate (tcp:// with TLS). Without it a tcp:// address
	// is reached in plain text, as buildctl does.
	CA string
	// Cert and Key are PEM files with the client certificate and its key,
	// for a daemon that asks for them (mutual TLS).
	Cert, Key string
	// ServerName is the name the daemon's certificate must carry; empty
	// means the host of Addr.
	ServerName string
}

// String returns the address as the user wrote it.
func (a Address) String() string { return a.Addr }

// TLS reports whether any TLS file or server name is set.
func (a Address) TLS() bool {
	return a.CA != "" || a.Cert != "" || a.Key != "" || a.ServerName != ""
}

// Source says where an address came from, for messages.
type Source string

// The sources of an address.
const (
	// SourceFlag is an address given with --builder.
	SourceFlag Source = "--builder"
	// SourceEnv is an address from $BUILDKIT_HOST.
	SourceEnv Source = EnvHost
	// SourcePrivate is rehearse's private daemon (see [Start]).
	SourcePrivate Source = "private builder"
)

// Given returns the address the user asked for: a, when a.Addr is set
// (from --builder), else $BUILDKIT_HOST with a's TLS settings, else the
// zero Address (no Addr) and "". getenv is os.Getenv when nil.
func Given(a Address, getenv func(string) string) (Address, Source) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if a.Addr != "" {
		return a, SourceFlag
	}
	if env := strings.TrimSpace(getenv(EnvHost)); env != "" {
		a.Addr = env
		return a, SourceEnv
	}
	return a, ""
}

// schemes are the address forms BuildKit's client takes, with the
// connection helpers this package registers.
var schemes = []string{"unix", "tcp", "docker-container", "podman-container", "nerdctl-container", "kube-pod", "ssh", "npipe"}

// AddressError is an address that cannot be used at all (a mistake in the
// command line or in $BUILDKIT_HOST, not a daemon that is down).
type AddressError struct {
	Addr string
	Msg  string
}

func (e *AddressError) Error() string {
	return fmt.Sprintf("builder address %q: %s", e.Addr, e.Msg)
}

// Validate checks a's form and that its TLS files exist, before any
// connection is tried, so that a typo gets a precise message.
func (a Address) Validate() error {
	bad := func(format string, args ...any) error {
		return &AddressError{Addr: a.Addr, Msg: fmt.Sprintf(format, args...)}
	}
	if a.Addr == "" {
		return bad("empty: give one like unix:///run/buildkit/buildkitd.sock or tcp://HOST:PORT")
	}
	if strings.HasPrefix(a.Addr, "/") {
		return bad("no scheme: did you mean unix://%s?", a.Addr)
	}
	if _, _, err := net.SplitHostPort(a.Addr); err == nil && !strings.Contains(a.Addr, "/") {
		return bad("no scheme: did you mean tcp://%s?", a.Addr)
	}
	u, err := url.Parse(a.Addr)
	if err != nil || u.Scheme == "" || !strings.Contains(a.Addr, "://") {
		return bad("not a URL: expected one of %s", schemeList())
	}
	known := false
	for _, s := range schemes {
		known = known || u.Scheme == s
	}
	if !known {
		return bad("unknown scheme %q: expected one of %s", u.Scheme, schemeList())
	}
	switch u.Scheme {
	case "unix":
		if u.Path == "" {
			return bad("no socket path: write unix:///absolute/path.sock (three slashes)")
		}
	case "tcp":
		if u.Hostname() == "" || u.Port() == "" {
			return bad("expected tcp://HOST:PORT")
		}
	case "docker-container", "podman-container", "nerdctl-container", "kube-pod", "ssh":
		if u.Hostname() == "" {
			return bad("no %s name after %s://", helperTarget[u.Scheme], u.Scheme)
		}
	}
	if (a.Cert == "") != (a.Key == "") {
		return bad("a client certificate needs its key and a key its certificate (give both --builder-tls-cert and --builder-tls-key)")
	}
	if a.TLS() && u.Scheme != "tcp" {
		return bad("TLS files apply to tcp:// addresses only; %s:// connections are secured by their own transport", u.Scheme)
	}
	for _, f := range []struct{ what, path string }{{"CA certificate", a.CA}, {"client certificate", a.Cert}, {"client key", a.Key}} {
		if f.path == "" {
			continue
		}
		if _, err := os.Stat(f.path); err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return bad("TLS %s %q does not exist", f.what, f.path)
			}
			return bad("could not read TLS %s %q: %v", f.what, f.path, err)
		}
	}
	return nil
}

// helperTarget names what follows the scheme of a connection helper's
// address.
var helperTarget = map[string]string{
	"docker-container": "container", "podman-container": "container", "nerdctl-container": "container",
	"kube-pod": "pod", "ssh": "host",
}

func schemeList() string {
	var s []string
	for _, sc := range schemes {
		if sc != "npipe" {
			s = append(s, sc+"://")
		}
	}
	return strings.Join(s, ", ")
}
