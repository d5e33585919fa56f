// Package cache holds rehearse's on-disk caches: the pip cache that every
// job of every run shares (PIP_CACHE_DIR), and a local stand-in for GitHub's
// actions/cache service.
//
// The [Store] keeps what the cache service keeps: entries identified by key,
// version and branch scope, each a tar.gz of the cached paths. [Store.Restore]
// and [Store.Save] implement the lookup and reservation rules of
// actions/cache (src/restoreImpl.ts, src/saveImpl.ts) and @actions/cache
// (actions/toolkit packages/cache/src/cache.ts) and return the lines those
// actions print, so a rehearsed log reads like GitHub's.
//
// The one deliberate difference is the archive layout. actions/cache stores
// every path relative to GITHUB_WORKSPACE, so ~/.cache/pip becomes
// ../../../.cache/pip; that only works because GitHub's workspace always sits
// at the same depth under the same home. Rehearse runs in workspaces of any
// depth, on the host and in containers with another HOME, so paths outside
// the workspace are stored relative to HOME ("~/...") or, failing that, as
// absolute paths. Inside the workspace the layout is actions/cache's.
package cache
