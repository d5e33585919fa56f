// Package builder finds, connects to and starts the BuildKit daemon (the
// "builder") that rehearse's container executor runs jobs on.
//
// Three concerns, one file group each:
//
//   - Connecting ([Address], [Connect]): every address form BuildKit's own
//     client takes (unix://, tcp:// with TLS files, and the connection
//     helpers docker-container://, podman-container://, nerdctl-container://,
//     kube-pod://, ssh://, which are BuildKit's, registered by blank imports).
//     [Connect] returns a client only once the daemon has answered an Info
//     call within a bounded time; otherwise an [*UnreachableError] says what,
//     where and what to do.
//   - The private daemon ([Start], [Stop], [PrivateStatus]): rehearse's own
//     buildkitd (OCI worker, runc, host network), started on demand under the
//     user's state directory and detached, so that later runs reuse its warm
//     cache. As root it runs directly; as another user under rootlesskit, as
//     BuildKit documents for rootless mode. Where buildkitd cannot run (macOS,
//     Windows) but docker or podman is installed, it runs BuildKit's official
//     image in a container, as `docker buildx` does.
//   - The policy ([Resolve]): which builder a run uses, or why none, in one
//     function whose [Resolution] the command prints.
//
// Everything the policy asks of the machine (GOOS, the user, the programs
// on PATH) comes through a [Host], so tests exercise the macOS path on Linux
// with stand-in docker and podman scripts.
package builder
