package artifact

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/glob"
)

// searchResult is upload-artifact src/shared/search.ts SearchResult.
type searchResult struct {
	files []string // absolute paths of the files to upload
	root  string   // the directory their names are relative to
}

// findFiles is findFilesToUpload: @actions/glob with implicit descendants,
// symlinks followed, broken links omitted, hidden files excluded unless
// asked; directories dropped from the results; the root is the least common
// ancestor of the search paths, or a lone file's directory.
func findFiles(ctx context.Context, searchPath string, includeHidden bool, workspace, home, root string) (searchResult, []Message, error) {
	opts := glob.DefaultOptions()
	opts.ExcludeHiddenFiles = !includeHidden
	opts.Dir = workspace
	opts.Home = home
	opts.Root = root
	g, err := glob.New(searchPath, opts)
	if err != nil {
		return searchResult{}, nil, &ActionError{Msg: err.Error()} // a bad pattern fails the action
	}
	raw, err := g.Glob(ctx)
	if err != nil {
		return searchResult{}, nil, err
	}

	var msgs []Message
	var res searchResult
	seen := map[string]bool{}
	for _, p := range raw {
		st, err := os.Stat(glob.Local(root, p))
		if err != nil {
			return searchResult{}, nil, err
		}
		if st.IsDir() {
			continue // directories, empty ones included, are not uploaded
		}
		res.files = append(res.files, p)
		lower := strings.ToLower(p)
		if seen[lower] {
			msgs = append(msgs, info(fmt.Sprintf("Uploads are case insensitive: %s was detected that it will be overwritten by another file with the same path", p)))
		}
		seen[lower] = true
	}

	searchPaths := g.SearchPaths()
	switch {
	case len(searchPaths) > 1:
		lca := multiPathLCA(searchPaths)
		msgs = append(msgs,
			info("Multiple search paths detected. Calculating the least common ancestor of all paths"),
			info(fmt.Sprintf("The least common ancestor is %s. This will be the root directory of the artifact", lca)))
		res.root = lca
	case len(res.files) == 1 && len(searchPaths) == 1 && searchPaths[0] == res.files[0]:
		// A single file named without a directory or wildcard: its directory
		// is the root, so the artifact holds just the file.
		res.root = filepath.Dir(res.files[0])
	case len(searchPaths) == 1:
		res.root = searchPaths[0]
	}
	return res, msgs, nil
}

// multiPathLCA is search.ts getMultiPathLCA: the common leading segments of
// the search paths. "/foo/" and "/bar/" give "/".
func multiPathLCA(paths []string) string {
	split := make([][]string, len(paths))
	shortest := -1
	for i, p := range paths {
		split[i] = strings.Split(filepath.Clean(p), "/")
		if shortest < 0 || len(split[i]) < shortest {
			shortest = len(split[i])
		}
	}
	var common []string
	if strings.HasPrefix(paths[0], "/") {
		common = append(common, "/")
	}
	for i := 0; i < shortest; i++ {
		same := true
		for _, s := range split[1:] {
			if s[i] != split[0][i] {
				same = false
				break
			}
		}
		if !same {
			break
		}
		common = append(common, split[0][i])
	}
	return filepath.Join(common...)
}
