// Package step holds the step-level primitives of the host executor. Each
// one does what actions/runner does, including the runner's quirks:
//
//   - shell.go resolves a `run:` step's `shell:` into a program, an argument
//     template and a script file (Runner.Worker/Handlers/ScriptHandler.cs
//     and ScriptHandlerHelpers.cs). header.go renders the "Run ..." group
//     the runner prints before the script runs.
//   - envfile.go parses the GITHUB_ENV, GITHUB_OUTPUT, GITHUB_STATE and
//     GITHUB_PATH files (Runner.Worker/FileCommandManager.cs).
//   - commands.go is the per-step workflow command processor
//     (Runner.Worker/ActionCommandManager.cs). It parses the syntax in
//     commandparse.go and turns issues into annotations in annotation.go.
//   - lines.go splits process output into lines the way the runner's
//     StreamReader.ReadLine does.
//   - argv.go, dotnet.go and text.go reproduce the .NET runtime behaviour
//     that the runner inherits: argument-string splitting, composite
//     formatting, int.TryParse and byte-order-mark detection.
//
// The package masks nothing. The runner processes commands on the raw
// line and masks what it writes to the log, so the executor passes each raw
// line to [Processor.Line] and then writes the returned display lines through
// the mask package.
package step
