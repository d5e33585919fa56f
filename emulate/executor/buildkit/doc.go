// Package buildkit is the container executor: every job cell runs in its
// own long-lived container, created and run by a BuildKit daemon through
// its gateway API, as GitHub runs a job on a fresh runner.
//
// One gateway session (client.Build) serves a whole run; each job solves
// its image (prepared with the runner user and directories, see
// emulate/image), the Pythons its setup-python steps ask for (the builds
// GitHub's setup-python installs, installed into a tool-cache layer that
// BuildKit caches), and rehearse's own binary as the in-container agent,
// then starts one container with:
//
//	/                           the image, writable (a snapshot discarded with the job)
//	/__rehearse                 rehearse's binary, read-only: the agent
//	~/.cache/pip                the shared pip cache, a BuildKit cache mount
//	/opt/hostedtoolcache        the job's tool cache, writable, when it asked for Pythons
//
// Each step is one process started through the agent (package agent), which
// keeps the container alive when a step fails and stops a cancelled step as
// the runner does. Secrets reach steps only as process environment: they
// are never part of an LLB definition, a cache key or an image.
package buildkit
