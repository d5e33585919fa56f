// Package glob reproduces the matching rules of GitHub's @actions/glob
// package (actions/toolkit packages/glob), which actions/cache,
// actions/upload-artifact and the runner's hashFiles() all use to turn a
// multi-line `path:` input into files.
//
// The rules differ from shell globs and from doublestar in ways that change
// which files a workflow caches or uploads, so they are kept here exactly:
//
//   - one pattern per line; lines are trimmed, empty lines and lines starting
//     with `#` are skipped;
//   - a leading `!` (repeatable, each one flips) excludes matches;
//   - relative patterns are rooted at the working directory (the workspace for
//     an action), `~` and `~/` at the home directory;
//   - `.` is allowed only as the first segment and `..` never
//     ("Relative pathing '.' and '..' is not allowed.");
//   - `*`, `?` and `[...]` match within one segment and do match dot files
//     (minimatch `dot: true`), braces and extglobs are literal
//     (`nobrace`, `noext`);
//   - `**` matches zero or more segments; a trailing `/` matches directories
//     only;
//   - with ImplicitDescendants (the default) a pattern also matches
//     everything below what it matches;
//   - the search starts at each pattern's literal prefix ([Globber.SearchPaths]),
//     descendants of another search path are dropped, and entries are visited
//     depth first in byte order, as libuv's scandir returns them.
//
// Sources: actions/toolkit packages/glob/src/internal-globber.ts,
// internal-pattern.ts, internal-pattern-helper.ts and minimatch's matchOne.
package glob
