package report

import (
	"regexp"
	"time"

	"github.com/rehearse-dev/rehearse/emulate/expr"
	"github.com/rehearse-dev/rehearse/emulate/valuejson"
)

// matrix builds a job's matrix context from alternating keys and values.
func matrix(kv ...string) *valuejson.Value {
	o := expr.NewObject()
	for i := 0; i+1 < len(kv); i += 2 {
		o.Set(kv[i], kv[i+1])
	}
	return &valuejson.Value{V: o}
}

// sampleReport is a run with one job of every kind the summary prints:
// success, failure (with a log tail and annotations), a failure allowed by
// continue-on-error, skipped, cancelled and not run locally, matrix cells,
// a step summary, artifacts and an invalid workflow file. It is built fresh for each test because
// Conclude changes it.
func sampleReport() *Report {
	r := &Report{
		Event: "push",
		Workflows: []*WorkflowResult{
			{
				File: ".github/workflows/ci.yml",
				Name: "CI",
				Jobs: []*JobResult{
					{
						Key: "ci.yml:lint", ID: "lint", Name: "Lint",
						Conclusion: Success, DurationMS: 12_345,
						Steps: []*StepResult{
							{Name: "Run actions/checkout@v4", Outcome: Success, Conclusion: Success, DurationMS: 300},
							{Name: "Run ruff check .", Outcome: Success, Conclusion: Success, DurationMS: 12_000},
						},
						LogFile: ".rehearse/runs/1/logs/ci.yml/lint.log",
					},
					{
						Key: "ci.yml:test.0", ID: "test", Name: "Unit Tests (3.9, ubuntu-latest)",
						Matrix:     matrix("python", "3.9", "os", "ubuntu-latest"),
						Conclusion: Failure, DurationMS: 4_012,
						Steps: []*StepResult{
							{Name: "Run actions/checkout@v4", Outcome: Success, Conclusion: Success, DurationMS: 250},
							{Name: "Run pytest", ID: "pytest", Outcome: Failure, Conclusion: Failure, DurationMS: 3_700},
							{Name: "Upload coverage", Outcome: Skipped, Conclusion: Skipped, Reason: "if: success() was false"},
						},
						Annotations: []Annotation{
							{Level: "error", File: "tests/test_app.py", Line: 12, Col: 5, Message: "assert add(1, 2) == 4"},
							{Level: "warning", File: "src/app.py", Line: 3, Message: "'os' imported but unused"},
							{Level: "error", Message: "Process completed with exit code 1."},
						},
						FailedStep: "Run pytest",
						LogTail: []string{
							"============================= test session starts ==============================",
							"collected 2 items",
							"",
							"tests/test_app.py .F                                                     [100%]",
							"FAILED tests/test_app.py::test_add - assert 3 == 4",
							"========================= 1 failed, 1 passed in 0.12s ==========================",
						},
						LogFile: ".rehearse/runs/1/logs/ci.yml/test.0.log",
					},
					{
						Key: "ci.yml:test.1", ID: "test", Name: "Unit Tests (3.12, ubuntu-latest)",
						Matrix:     matrix("python", "3.12", "os", "ubuntu-latest"),
						Conclusion: Success, DurationMS: 5_100,
						Outputs: map[string]string{"coverage": "93"},
						Steps: []*StepResult{
							{Name: "Run pytest", ID: "pytest", Outcome: Success, Conclusion: Success, DurationMS: 4_800,
								Outputs: map[string]string{"coverage": "93"}},
						},
						Annotations: []Annotation{
							// The same finding as the 3.9 cell: printed once.
							{Level: "warning", File: "src/app.py", Line: 3, Message: "'os' imported but unused"},
							{Level: "notice", File: "README.md", Title: "Docs", Message: "coverage is 93%\nup from 91%"},
						},
						Summary: "## Coverage\n\n| file | cover |\n|------|-------|\n| app.py | 93% |\n",
					},
					{
						Key: "ci.yml:test.2", ID: "test", Name: "Unit Tests (3.12, windows-latest)",
						Matrix:     matrix("python", "3.12", "os", "windows-latest"),
						Conclusion: NotRunLocally,
						Reason:     "runs-on: windows-latest needs a Windows machine",
					},
					{
						Key: "ci.yml:integration", ID: "integration", Name: "Integration",
						Conclusion: Cancelled, DurationMS: 62_400, Reason: "interrupted",
					},
					{
						Key: "ci.yml:flaky", ID: "flaky", Name: "Flaky <canary>",
						Conclusion: Failure, ContinueOnError: true, DurationMS: 2_000,
						FailedStep: "Run ./flaky.sh & wait",
						LogTail:    []string{"flaky: exit 3"},
					},
				},
			},
			{
				File: ".github/workflows/release.yml",
				Name: "Release",
				Jobs: []*JobResult{
					{
						Key: "release.yml:publish", ID: "publish", Name: "Publish",
						Conclusion: Skipped, Reason: "if: startsWith(github.ref, 'refs/tags/') was false",
					},
				},
			},
			{
				File: ".github/workflows/broken.yml", Name: ".github/workflows/broken.yml", Invalid: true,
				Errors: []string{`.github/workflows/broken.yml:7:14: error: undefined variable "foo" [expression]`},
			},
		},
		Artifacts: []Artifact{
			{Name: "coverage-3.12", Job: "CI / Unit Tests (3.12, ubuntu-latest)", Files: 2, Size: 1536, Path: ".rehearse/runs/1/artifacts/coverage-3.12"},
			{Name: "wheels", Job: "CI / Lint", Files: 1, Size: 3 << 20, Path: ".rehearse/runs/1/artifacts/wheels"},
		},
		RunDir:     ".rehearse/runs/1",
		LogDir:     ".rehearse/runs/1/logs",
		Started:    time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC),
		DurationMS: 65_432,
	}
	return r
}

// ansi matches the escape sequences WriteText emits with Color on.
var ansi = regexp.MustCompile(`\x1b\[[0-9;]*m`)
