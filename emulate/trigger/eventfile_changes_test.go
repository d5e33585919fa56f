package trigger

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestEventFileReproducesChanges: an event file naming a past push's
// before and after makes the changed files those of that push, not of the
// local work, so paths filters decide as they did on GitHub.
func TestEventFileReproducesChanges(t *testing.T) {
	t.Parallel()
	r := newRepo(t)
	before := r.commit("docs", "docs/guide.md", "x")
	after := r.commit("code", "src/app.py", "y")
	r.commit("later", "README.md", "z")
	r.write("uncommitted.txt", "w")
	file := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(file, []byte(`{"before":"`+before+`","after":"`+after+`"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := ReadGit(t.Context(), r.dir)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := NewEvent(t.Context(), g, Options{Event: "push", EventFile: file})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"src/app.py"}, ev.ChangedFiles); d != "" || !ev.ChangedFilesKnown {
		t.Errorf("changed files (-want +got), known %v:\n%s", ev.ChangedFilesKnown, d)
	}
}
