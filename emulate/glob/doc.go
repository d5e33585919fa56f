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
//     (`nobrace`, `noext`); a `[` that no `]` closes, or that opens no valid
//     class (`[z-a]`), is literal;
//   - `**` matches zero or more segments; a trailing `/` matches directories
//     only;
//   - with ImplicitDescendants (the default) a pattern also matches
//     everything below what it matches, but not, through the added
//     `<pattern>/**`, a file that a trailing `/` excludes (fixed in 0.1.2,
//     actions/toolkit#805);
//   - the search starts at each pattern's literal prefix ([Globber.SearchPaths]),
//     descendants of another search path are dropped, and entries are visited
//     depth first in byte order, as libuv's scandir returns them.
//
// The three users run different releases with different options, all of
// which [Options] expresses:
//
//   - actions/cache: ImplicitDescendants off (a directory is archived whole);
//   - actions/upload-artifact (0.5): ExcludeHiddenFiles unless
//     include-hidden-files;
//   - hashFiles() (actions/runner src/Misc/expressionFunc/hashFiles, 0.4.0):
//     FollowSymbolicLinks off unless --follow-symbolic-links; the runner
//     then drops results outside the workspace and directories, and hashes
//     the rest in the order [Globber.Glob] returns them (emulate/expr
//     HashFiles).
//
// Sources: actions/toolkit packages/glob/src/internal-globber.ts,
// internal-pattern.ts, internal-pattern-helper.ts and minimatch's matchOne.
package glob
