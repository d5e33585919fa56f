package cache

import (
	"context"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/glob"
)

// resolvePaths is @actions/cache cacheUtils.ts resolvePaths: the path lines
// joined into one @actions/glob pattern list, without implicit descendants
// (a directory is archived whole by tar, not file by file), relative
// patterns rooted at the workspace.
func resolvePaths(ctx context.Context, paths []string, workspace, home, root string) ([]string, error) {
	opts := glob.DefaultOptions()
	opts.ImplicitDescendants = false
	opts.Dir = workspace
	opts.Home = home
	opts.Root = root
	g, err := glob.New(strings.Join(paths, "\n"), opts)
	if err != nil {
		return nil, err
	}
	return g.Glob(ctx)
}
