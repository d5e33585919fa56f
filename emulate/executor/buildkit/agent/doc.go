// Package agent is the small program that runs inside a job's container:
// rehearse's own binary, mounted read-only into the container and started
// as `rehearse __agent <op>`. BuildKit's gateway starts processes and
// reads files, but a process that exits non-zero or is killed takes the
// whole container down, and it cannot write files or send signals to a
// process tree. The agent does those things inside:
//
//   - init: the container's first process (its pid 1), which keeps the
//     container alive between steps and reaps orphaned processes;
//   - prepare: creates the job's directories, owned by its user (as root);
//   - exec: runs one step's process in its own process group, stops it as
//     the runner stops a cancelled step (SIGINT, SIGTERM after 7.5 s, then
//     SIGKILL), records its exit status in a file and always exits 0, so the
//     container and the files of the job survive a failing step;
//   - write, export, import, rm, hashfiles: file work for the executor.
package agent
