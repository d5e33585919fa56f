// Package mask replaces secrets in log text with "***" as actions/runner does.
//
// The runner's masker (Sdk/DTLogging/Logging/SecretMasker.cs) keeps a set of
// literal values. Each value is registered together with its encodings
// (ValueEncoders.cs): base64 at three byte alignments, JSON, URI, XML,
// command-line and expression escaping, and two PowerShell fragments. To
// mask a text it finds every occurrence of every value, overlapping ones
// included, merges occurrences that overlap or touch into one range, and
// writes "***" once per range. Matching is case-sensitive, and there is no
// minimum length, so a one-character secret masks that character
// everywhere.
//
// Where values come from:
//   - A secret from the secrets context ([Masker.AddSecret]): the trimmed
//     value and each trimmed line of it (Runner.Worker/Worker.cs,
//     InitializeSecretMasker).
//   - ::add-mask:: ([Masker.Add]): the value as given and each trimmed line.
//   - A single value with no line splitting ([Masker.AddValue]): the
//     runner's own registrations, such as a long ::stop-commands:: token.
//
// The runner masks one log line at a time. [Masker.Writer] does the same for
// a stream.
package mask
