package step

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

// TestProcessorGolden runs each testdata/commands/*.log through a Processor
// and compares a transcript with the .golden file next to it. Regenerate
// with `go test ./emulate/step -run Golden -update` and review the diff.
func TestProcessorGolden(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "commands", "*.log"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no testdata/commands/*.log files")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			input, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got := transcript(t, string(input))
			golden := strings.TrimSuffix(file, ".log") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", golden, diff)
			}
		})
	}
}

// transcript renders what the processor does with each input line: "< " the
// input, "> " each display line, and "= " each effect.
func transcript(t *testing.T, input string) string {
	t.Helper()
	var opts ProcessorOptions
	var b strings.Builder
	var p *Processor
	for _, line := range strings.Split(strings.TrimSuffix(input, "\n"), "\n") {
		if strings.HasPrefix(line, "# ") || line == "#" {
			continue
		}
		if rest, ok := strings.CutPrefix(line, "#opts "); ok {
			for _, o := range strings.Fields(rest) {
				switch {
				case o == "debug":
					opts.Debug = true
				case o == "unsecure":
					opts.AllowUnsecureCommands = true
				case o == "stoptokens":
					opts.AllowUnsecureStopTokens = true
				case strings.HasPrefix(o, "workspace="):
					opts.Workspace = strings.TrimPrefix(o, "workspace=")
				default:
					t.Fatalf("unknown option %q", o)
				}
			}
			continue
		}
		if p == nil {
			p = NewProcessor(opts)
		}
		display, effects := p.Line(line)
		fmt.Fprintf(&b, "< %s\n", line)
		for _, d := range display {
			fmt.Fprintf(&b, "> %s\n", strings.ReplaceAll(d, "\n", `\n`))
		}
		for _, e := range effects {
			fmt.Fprintf(&b, "= %s\n", formatEffect(e))
		}
	}
	return b.String()
}

func formatEffect(e Effect) string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, fmt.Sprintf("%s=%q", k, v))
		}
	}
	if a := e.Annotation; a != nil {
		add("level", a.Level)
		add("file", a.File)
		if a.Line != 0 || a.EndLine != 0 || a.Col != 0 || a.EndColumn != 0 {
			parts = append(parts, fmt.Sprintf("pos=%d:%d-%d:%d", a.Line, a.Col, a.EndLine, a.EndColumn))
		}
		add("title", a.Title)
		add("message", a.Message)
	}
	add("mask", e.Mask)
	add("name", e.Name)
	add("value", e.Value)
	add("message", e.Message)
	return strings.TrimSpace(effectName(e.Kind) + " " + strings.Join(parts, " "))
}

// effectName names an effect in transcripts.
func effectName(k EffectKind) string {
	if n, ok := effectNames[k]; ok {
		return n
	}
	return fmt.Sprintf("EffectKind(%d)", int(k))
}

var effectNames = map[EffectKind]string{
	EffectAnnotation:    "annotation",
	EffectAddMask:       "add-mask",
	EffectMaskValue:     "mask-value",
	EffectSetOutput:     "set-output",
	EffectSaveState:     "save-state",
	EffectSetEnv:        "set-env",
	EffectAddPath:       "add-path",
	EffectAddMatcher:    "add-matcher",
	EffectRemoveMatcher: "remove-matcher",
	EffectFailStep:      "fail-step",
	EffectAbortStep:     "abort-step",
}
