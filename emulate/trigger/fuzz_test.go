package trigger

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

// eventDeadline bounds building one event from a fuzzed event file.
const eventDeadline = 10 * time.Second

// FuzzEventFile: whatever --event-file holds, building the event returns
// within eventDeadline without a panic, and an event that was built can be
// used all the way: its payload is written as GITHUB_EVENT_PATH's JSON,
// which reads back as the same JSON, and its github context, filters and
// skip instructions can be computed. Seeds: the payloads in testdata, for
// the events they belong to, and hostile shapes (deep nesting, numbers
// beyond float64, a 1 MB string, fields of the wrong type).
func FuzzEventFile(f *testing.F) {
	events := []string{"push", "pull_request", "pull_request_target", "workflow_dispatch", "release", "schedule", "issues", "workflow_run", "delete"}
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(p), ".json")
		for i, ev := range events {
			if strings.HasPrefix(name, ev) {
				f.Add(b, uint8(i))
			}
		}
	}
	for i, s := range []string{
		`{"ref": "refs/heads/feature/x", "before": "0000000000000000000000000000000000000000", "after": 7, "head_commit": {"message": "wip [skip ci]"}}`,
		`{"pull_request": {"number": 1e999, "head": {"sha": 1, "ref": ["x"]}, "base": {"ref": null}}, "action": {}}`,
		`{"release": {"tag_name": "v1\u0000"}, "number": -1e-999}`,
		`{"inputs": {"a": {"b": [1, 2]}, "c": 1.5e300, "d": null}, "ref": ""}`,
		`{"a": ` + strings.Repeat(`{"a": `, 5000) + `1` + strings.Repeat("}", 5000) + `}`,
		`{"head_commit": {"message": "` + strings.Repeat("x", 1<<20) + `"}}`,
		`[1, 2]`, `{"a": 1} trailing`, `{"a": 1, "a": {"b": 2}}`,
	} {
		f.Add([]byte(s), uint8(i))
	}
	dir := f.TempDir()
	file := filepath.Join(dir, "event.json")
	g := &Git{Root: dir}
	g.fallback()
	filters := []Filter{
		{Event: "push", Branches: []string{"main", "feature/**"}, PathsIgnore: []string{"docs/**"}},
		{Event: "pull_request", Types: []string{"opened", "closed"}, Branches: []string{"main"}},
		{Event: "release", Types: []string{"published"}},
		{Event: "workflow_dispatch", Inputs: map[string]DispatchInput{"a": {}}},
		{Event: "issues"}, {Event: "schedule"}, {Event: "workflow_run", Workflows: []string{"CI"}},
	}
	f.Fuzz(func(t *testing.T, data []byte, event uint8) {
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
		name := events[int(event)%len(events)]
		var (
			ev  *Event
			err error
		)
		done := make(chan struct{})
		go func() {
			defer close(done)
			ev, err = NewEvent(t.Context(), g, Options{Event: name, EventFile: file})
			if err != nil {
				return
			}
			Context(g, ev, RunInfo{})
			Match(filters, ev)
			SkipCI(ev)
		}()
		select {
		case <-done:
		case <-time.After(eventDeadline):
			t.Fatalf("building a %s event from %d bytes took more than %v", name, len(data), eventDeadline)
		}
		if err != nil {
			// Other errors are about the repository (a release needs a
			// tag), which has no commit here.
			if strings.Contains(err.Error(), "event file") && !strings.Contains(err.Error(), file) {
				t.Errorf("error %q does not name the event file", err)
			}
			return
		}
		payload, err := ev.PayloadJSON()
		if err != nil {
			t.Fatalf("the event file was accepted, but its payload cannot be written for the steps: %v", err)
		}
		back, err := expr.FromJSON(string(payload))
		if err != nil {
			t.Fatalf("the payload written does not read back: %v\n%s", err, payload)
		}
		again, err := EncodeJSON(back)
		if err != nil || string(again) != string(payload) {
			t.Fatalf("the payload written reads back as something else (%v):\n%s\nthen\n%s", err, payload, again)
		}
	})
}

// FuzzParseConfigFile: whatever a Git configuration file holds (it is the
// user's, read without git), reading it returns quickly without a panic,
// and every entry it accepts has a canonical key: a section, a variable
// starting with a letter, lower case outside the subsection.
func FuzzParseConfigFile(f *testing.F) {
	for _, seed := range []string{
		"[core]\n\tbare = false\n",
		"[remote \"origin\"]\n\turl = https://github.com/a/b\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n",
		"[user]\n\tname = \"Mona \\\"Lisa\\\"\" ; comment\n\temail = m@x \\\n continued\n",
		"[remote.legacy]\nURL = x\n[url \"https://github.com/\"]\n\tinsteadOf = gh:\n\tflag\n",
		"\ufeff# comment\n[a \"sub\\\\sec\"]\nk=\"unterminated\n",
		"[" + strings.Repeat("a", 10_000) + "]\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		start := time.Now()
		entries, ok := parseConfigFile(src)
		if d := time.Since(start); d > time.Second {
			t.Fatalf("parsing %d bytes took %v", len(src), d)
		}
		if !ok {
			return
		}
		for _, e := range entries {
			section, rest, found := strings.Cut(e.key, ".")
			dot := strings.LastIndex(rest, ".")
			variable := rest[dot+1:]
			if !found || section == "" || section != strings.ToLower(section) || variable == "" ||
				variable != strings.ToLower(variable) || !isAlpha(variable[0]) {
				t.Fatalf("entry %+v has no canonical key", e)
			}
		}
	})
}
