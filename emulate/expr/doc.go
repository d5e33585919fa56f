// Package expr implements the GitHub Actions expression language: the text
// inside ${{ }} in workflow files and the bare form of if: conditions.
//
// The package follows GitHub's two evaluators, which are kept in step by a
// shared test suite (the x-lang test data, run by conformance_test.go):
//
//   - actions/runner, src/Sdk/Expressions (C#): the evaluator that decides what
//     runs on GitHub. Coercion, number formatting (G15), toJSON layout, the
//     format() parser, the memory accounting and the depth check follow it.
//   - actions/languageservices, expressions/src (TypeScript): the reference for
//     the lexer and the recursive-descent parser, and for the wording and the
//     positions of syntax errors.
//
// Where the two differ, the runner wins, because its result is what a workflow
// sees on GitHub; the few places where that choice matters say so in a comment.
//
// The pipeline is [Parse] (lexer.go, parser.go) producing a [Node] tree
// (ast.go), then [Eval] (eval.go, functions.go, format.go, tojson.go) over an
// [Env] holding the contexts. Values are plain Go values (see [Value]).
// [Interpolate] handles workflow strings that mix text with ${{ }}, and
// [Condition] evaluates if: conditions with the runner's implicit success().
// [HashFiles] implements hashFiles() over a workspace directory.
package expr
