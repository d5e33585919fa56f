package report

import (
	"bytes"
	"errors"
	"github.com/rehearse-dev/rehearse/fixtures/golden"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWriteTextGolden(t *testing.T) {
	t.Parallel()
	r := sampleReport()
	Conclude(r)
	var b bytes.Buffer
	if err := WriteText(&b, r, TextOptions{TailLines: 4}); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "summary.golden", b.Bytes())
}

// TestWriteTextColor checks that color only adds escape sequences: with
// them removed the summary is the plain one, columns included.
func TestWriteTextColor(t *testing.T) {
	t.Parallel()
	r := sampleReport()
	Conclude(r)
	var plain, color bytes.Buffer
	if err := WriteText(&plain, r, TextOptions{TailLines: 4}); err != nil {
		t.Fatal(err)
	}
	if err := WriteText(&color, r, TextOptions{Color: true, TailLines: 4}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\x1b[31m✗\x1b[0m", "\x1b[32msuccess\x1b[0m", "\x1b[1mAnnotations\x1b[0m"} {
		if !strings.Contains(color.String(), want) {
			t.Errorf("colored summary has no %q", want)
		}
	}
	if diff := cmp.Diff(plain.String(), ansi.ReplaceAllString(color.String(), "")); diff != "" {
		t.Errorf("colored summary without colors differs from the plain one (-plain +stripped):\n%s", diff)
	}
	for l := range strings.SplitSeq(color.String(), "\n") {
		if strings.Contains(l, "tests/test_app.py:12:5:") && strings.Contains(l, "\x1b") {
			t.Errorf("annotation line is colored: %q", l)
		}
	}
}

func TestWriteTextCases(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		r    *Report
		o    TextOptions
		want string
	}{
		{
			what: "empty run",
			r:    &Report{},
			want: "✓ success: no jobs\n",
		},
		{
			what: "tail cut to the last lines",
			r: &Report{Workflows: []*WorkflowResult{{Name: "CI", Jobs: []*JobResult{
				{Name: "build", Conclusion: Failure, DurationMS: 1500, FailedStep: "make", LogTail: []string{"a", "b", "c"}},
			}}}},
			o: TextOptions{TailLines: 2},
			want: "CI\n" +
				"  ✗ CI / build  failure  1.5s\n" +
				"\n" +
				"✗ CI / build: step \"make\" failed\n" +
				"  │ b\n" +
				"  │ c\n" +
				"\n" +
				"✗ failure: 1 failed\n",
		},
		{
			what: "failure without a step or output, named by file and id",
			r: &Report{Workflows: []*WorkflowResult{{File: ".github/workflows/ci.yml", Jobs: []*JobResult{
				{ID: "build", Conclusion: Failure, Reason: "the container could not start"},
			}}}},
			want: ".github/workflows/ci.yml\n" +
				"  ✗ .github/workflows/ci.yml / build  failure  the container could not start\n" +
				"\n" +
				"✗ .github/workflows/ci.yml / build: failed\n" +
				"  the container could not start\n" +
				"  (no output)\n" +
				"\n" +
				"✗ failure: 1 failed\n",
		},
		{
			what: "a job that never concluded",
			r: &Report{Conclusion: Cancelled, Workflows: []*WorkflowResult{{Name: "CI", Jobs: []*JobResult{
				{Name: "a", Conclusion: Success, DurationMS: 61_000},
				{Name: "b"},
			}}}},
			want: "CI\n" +
				"  ✓ CI / a  success  1m01s\n" +
				"    CI / b  unknown\n" +
				"\n" +
				"⊘ cancelled: 1 succeeded, 1 unknown\n",
		},
		{
			what: "partial without not-run cells",
			r:    &Report{Partial: true, DurationMS: 200},
			want: "✓ success: partial result in 0.2s\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := WriteText(&b, tc.r, tc.o); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, b.String()); diff != "" {
				t.Errorf("summary differs (-want +got):\n%s", diff)
			}
		})
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

func TestWriteTextError(t *testing.T) {
	t.Parallel()
	err := WriteText(failingWriter{}, sampleReport(), TextOptions{})
	if err == nil || !strings.Contains(err.Error(), "broken pipe") {
		t.Fatalf("got %v, want the write error", err)
	}
}

func TestFormatSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what string
		n    int64
		want string
	}{
		{"bytes", 512, "512 B"},
		{"just under a KiB", 1023, "1023 B"},
		{"KiB", 1536, "1.5 KiB"},
		{"MiB", 3 << 20, "3.0 MiB"},
		{"GiB", 5 << 30, "5.0 GiB"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if got := FormatSize(tc.n); got != tc.want {
				t.Errorf("FormatSize(%d) = %q, want %q", tc.n, got, tc.want)
			}
		})
	}
}
