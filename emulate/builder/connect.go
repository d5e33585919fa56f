package builder

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/moby/buildkit/client"
	"github.com/moby/buildkit/util/grpcerrors"
	"google.golang.org/grpc/codes"

	// BuildKit's connection helpers, registered for client.New by their
	// init functions, as buildctl does: rehearse writes none of its own.
	_ "github.com/moby/buildkit/client/connhelper/dockercontainer"
	_ "github.com/moby/buildkit/client/connhelper/kubepod"
	_ "github.com/moby/buildkit/client/connhelper/nerdctlcontainer"
	_ "github.com/moby/buildkit/client/connhelper/npipe"
	_ "github.com/moby/buildkit/client/connhelper/podmancontainer"
	_ "github.com/moby/buildkit/client/connhelper/ssh"
)

// ConnectTimeout bounds how long [Connect] waits for a daemon's first
// answer. A daemon on this machine answers in milliseconds; a connection
// helper (docker exec, kubectl exec, ssh) takes a process start and a
// round trip, rarely more than a second or two.
const ConnectTimeout = 10 * time.Second

// Connect returns a client of the daemon at a, once the daemon has answered
// an Info call within [ConnectTimeout] (or ctx's deadline, when sooner).
// The caller closes the client. A malformed address gives an
// [*AddressError]; a daemon that does not answer an [*UnreachableError].
func Connect(ctx context.Context, a Address) (*client.Client, error) {
	c, _, err := connect(ctx, a, ConnectTimeout)
	return c, err
}

// connect is Connect with its own bound; it also returns what Info said.
func connect(ctx context.Context, a Address, within time.Duration) (*client.Client, *client.Info, error) {
	if err := a.Validate(); err != nil {
		return nil, nil, err
	}
	var opts []client.ClientOpt
	if a.CA != "" {
		serverName := a.ServerName
		if serverName == "" {
			if u, err := url.Parse(a.Addr); err == nil {
				serverName = u.Hostname()
			}
		}
		opts = append(opts, client.WithServerConfig(serverName, a.CA))
	} else if a.ServerName != "" {
		opts = append(opts, client.WithServerConfigSystem(a.ServerName))
	}
	if a.Cert != "" || a.Key != "" {
		opts = append(opts, client.WithCredentials(a.Cert, a.Key))
	}
	c, err := client.New(ctx, a.Addr, opts...)
	if err != nil {
		return nil, nil, unreachable(a, err)
	}
	ictx, cancel := context.WithTimeoutCause(ctx, within, fmt.Errorf("no answer within %s", within))
	defer cancel()
	info, err := c.Info(ictx)
	if err == nil {
		return c, info, nil
	}
	if grpcerrors.Code(err) == codes.Unimplemented {
		// BuildKit before v0.11 has no Info call, but it answered.
		return c, &client.Info{}, nil
	}
	c.Close()
	if ctx.Err() != nil {
		return nil, nil, context.Cause(ctx)
	}
	if ictx.Err() != nil {
		err = context.Cause(ictx)
	}
	return nil, nil, unreachable(a, err)
}

// UnreachableError is a daemon that did not answer: where, why, and what
// the user can do about it.
type UnreachableError struct {
	// Addr is the address that was tried.
	Addr string
	// Err is the cause, as the transport reported it.
	Err error
	// Cause is Err in a few words (see [Reason]).
	Cause string
	// Hint says what to do.
	Hint string
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("could not reach BuildKit at %s: %s; %s", e.Addr, e.Cause, e.Hint)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

func unreachable(a Address, err error) error {
	cause := Reason(err)
	if strings.HasPrefix(a.Addr, "tcp://") && !a.TLS() && cause == "EOF" {
		// A TLS daemon hangs up on a plain-text client without a word.
		cause = "the daemon closed the connection at once (does it expect TLS?)"
	}
	return &UnreachableError{Addr: a.Addr, Err: err, Cause: cause, Hint: hint(a)}
}

// startHint is how to get a daemon when there is none.
const startHint = "start one with `rehearse builder start` or pass --builder ADDR"

// hint says what to check for a daemon at a that did not answer.
func hint(a Address) string {
	u, err := url.Parse(a.Addr)
	if err != nil {
		return startHint
	}
	switch u.Scheme {
	case "tcp":
		h := "check that buildkitd listens there (buildkitd --addr " + a.Addr + ")"
		switch {
		case a.CA != "" && a.Cert == "":
			h += " and whether it asks for a client certificate (--builder-tls-cert, --builder-tls-key)"
		case a.TLS():
			h += " and that the TLS files (--builder-tls-ca, --builder-tls-cert, --builder-tls-key) match its own"
		default:
			h += " without TLS, or give its CA and client certificate with --builder-tls-ca, --builder-tls-cert, --builder-tls-key"
		}
		return h + "; or " + startHint
	case "docker-container", "podman-container", "nerdctl-container":
		engine := strings.TrimSuffix(u.Scheme, "-container")
		return fmt.Sprintf("check that the container runs (`%s ps`) and has buildctl on its PATH (BuildKit's image %s does); or %s", engine, Image(), startHint)
	case "kube-pod":
		return fmt.Sprintf("check the pod (`kubectl get pod %s`) and that buildctl is on its PATH; or %s", u.Hostname(), startHint)
	case "ssh":
		target := u.Hostname()
		if u.User != nil {
			target = u.User.Username() + "@" + target
		}
		port := ""
		if u.Port() != "" {
			port = "-p " + u.Port() + " "
		}
		return fmt.Sprintf("check that `ssh %s%s buildctl dial-stdio` works from here (key, known_hosts, buildctl on the remote PATH); or %s", port, target, startHint)
	}
	return startHint
}

// Reason turns a transport error into its last useful words: the gRPC and
// dialer wrappers around the cause are dropped.
func Reason(err error) string {
	if err == nil {
		return ""
	}
	var ue *UnreachableError
	if errors.As(err, &ue) {
		return ue.Cause
	}
	msg := err.Error()
	for _, prefix := range []string{
		"failed to call info: ",
		"rpc error: code = Unavailable desc = ",
		"Unavailable: ",
		"connection error: desc = ",
	} {
		msg = strings.TrimPrefix(msg, prefix)
	}
	if len(msg) > 1 && msg[0] == '"' && msg[len(msg)-1] == '"' {
		if u, err := strconv.Unquote(msg); err == nil {
			msg = u
		} else {
			msg = msg[1 : len(msg)-1]
		}
	}
	for _, prefix := range []string{"transport: Error while dialing: ", "error reading server preface: "} {
		msg = strings.TrimPrefix(msg, prefix)
	}
	if rest, ok := strings.CutPrefix(msg, "transport: authentication handshake failed: "); ok {
		msg = "TLS handshake failed: " + strings.TrimPrefix(rest, "tls: ")
	}
	// docker's command connection (all the exec-based helpers) adds advice
	// about Docker versions that does not apply.
	msg = strings.Replace(msg, ", make sure the URL is valid, and Docker 18.09 or later is installed on the remote host: stderr=", ": ", 1)
	return strings.TrimSpace(msg)
}
