// Package matrix expands jobs.<job_id>.strategy.matrix into the jobs GitHub
// creates, in GitHub's order, and names them as GitHub shows them.
//
// The rules follow GitHub's own workflow parser, which actions/runner carries
// as src/Sdk/WorkflowParser (the service's code): Conversion/MatrixBuilder.cs
// builds the cross product and applies exclude and include,
// Conversion/WorkflowTemplateConverter.cs (ConvertToStrategy) validates the
// matrix and builds the strategy context, Conversion/JobNameBuilder.cs makes
// display names, and WorkflowTemplateEvaluator.cs (EvaluateStrategy) handles
// a strategy that yields no configuration. The documented examples from
// github/docs ("Running variations of jobs in a workflow") are the package's
// table tests.
//
// In short:
//
//   - [Expand] walks the cross product of the axes, first axis slowest, drops
//     every combination an exclude entry matches, then adds each include
//     entry's other keys to every remaining combination whose axis values it
//     matches; include entries that matched nothing become extra jobs, after
//     all the others. It stops past 256 jobs, and finds the combinations
//     and the entries that match them by lookup (index.go, walk.go), so a
//     long axis or thousands of entries cost a pass over them, not a pass
//     over the cross product for each entry.
//   - Include and exclude entries compare values the way GitHub's == operator
//     does (see filter.go): strings without regard to case, a string against a
//     number as numbers, and objects and arrays leaf by leaf, so an entry may
//     name only part of an object.
//   - Zero cells mean the job runs once with a null matrix: that is what
//     GitHub does for a job without a matrix and for a matrix whose every
//     combination was excluded. [Strategies] gives the strategy context for
//     either case.
//   - [DisplayName] appends the scalar values of the cell (depth first,
//     without include-added values) to the job name and cuts the result to
//     100 UTF-16 code units.
//
// Error messages are GitHub's own words, not this project's usual lowercase
// style, because rehearse promises the output GitHub would give.
package matrix
