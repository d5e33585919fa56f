// Package artifact is a local stand-in for GitHub's artifact service as
// actions/upload-artifact@v4 and actions/download-artifact@v4 use it. A
// [Store] lives in one run's directory; jobs of the run upload to it and
// download from it concurrently.
//
// The file selection, the artifact root, the name rules, the v4 conflict on
// a repeated name, the download destinations and the log lines follow the
// actions' sources: upload-artifact src/upload/upload-artifact.ts and
// src/shared/search.ts, download-artifact src/download-artifact.ts, and
// @actions/artifact (actions/toolkit packages/artifact). Artifacts are zip
// files written with the requested compression level, so sizes and digests
// behave like GitHub's, though the bytes differ from GitHub's zip writer.
package artifact
