package trigger

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

// dispatchInputs is the example of docs: events-that-trigger-workflows
// #providing-inputs (logLevel, tags, environment) plus a number.
var dispatchInputs = map[string]DispatchInput{
	"logLevel":    {Type: "choice", Required: true, Default: "warning", HasDefault: true, Options: []string{"info", "warning", "debug"}},
	"tags":        {Type: "boolean"},
	"environment": {Type: "environment", Required: true},
	"retries":     {Type: "number", Default: "3", HasDefault: true},
	"note":        {Type: "string"},
}

func TestForWorkflowDispatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what    string
		given   map[string]string
		want    map[string]string
		wantErr string
	}{
		{"defaults fill what is not given, booleans default to false, strings to empty",
			map[string]string{"environment": "staging"},
			map[string]string{"logLevel": "warning", "tags": "false", "environment": "staging", "retries": "3", "note": ""}, ""},
		{"given values win", map[string]string{"logLevel": "debug", "tags": "true", "environment": "prod", "retries": "1.5", "note": "hi"},
			map[string]string{"logLevel": "debug", "tags": "true", "environment": "prod", "retries": "1.5", "note": "hi"}, ""},
		{"a required input without a default", map[string]string{},
			nil, `could not dispatch ".github/workflows/run.yml": input "environment" is required. pass --input environment=<value>`},
		{"an undeclared input", map[string]string{"environment": "x", "level": "debug"},
			nil, `could not dispatch ".github/workflows/run.yml": unexpected input "level". the workflow declares ["environment","logLevel","note","retries","tags"]`},
		{"a choice outside the options", map[string]string{"environment": "x", "logLevel": "trace"},
			nil, `could not dispatch ".github/workflows/run.yml": input "logLevel" must be one of ["info","warning","debug"], not "trace"`},
		{"a boolean that is not true or false", map[string]string{"environment": "x", "tags": "yes"},
			nil, `could not dispatch ".github/workflows/run.yml": input "tags" is a boolean, so its value must be true or false, not "yes"`},
		{"a number that does not parse", map[string]string{"environment": "x", "retries": "many"},
			nil, `could not dispatch ".github/workflows/run.yml": input "retries" is a number, but "many" is not one`},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			ev := &Event{Name: "workflow_dispatch", Ref: "refs/heads/main", Inputs: tc.given, Payload: obj("inputs", obj(), "ref", "refs/heads/main")}
			filters := []Filter{{Event: "push"}, {Event: "workflow_dispatch", Inputs: dispatchInputs}}
			got, err := ev.ForWorkflow(filters, ".github/workflows/run.yml")
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("ForWorkflow() error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got.Inputs); diff != "" {
				t.Errorf("Inputs mismatch (-want +got):\n%s", diff)
			}
			payloadInputs := map[string]string{}
			lookup(got.Payload, "inputs").(*expr.Object).Range(func(k string, v expr.Value) bool {
				payloadInputs[k] = v.(string) // github.event.inputs holds strings only
				return true
			})
			if diff := cmp.Diff(tc.want, payloadInputs); diff != "" {
				t.Errorf("github.event.inputs mismatch (-want +got):\n%s", diff)
			}
			if w := payloadString(got.Payload, "workflow"); w != ".github/workflows/run.yml" {
				t.Errorf("github.event.workflow = %q", w)
			}
			if len(ev.Payload.Keys()) != 2 || payloadString(ev.Payload, "workflow") != "" {
				t.Errorf("ForWorkflow changed the original payload: %v", ev.Payload.Keys())
			}
		})
	}
}

func TestForWorkflowOtherEvents(t *testing.T) {
	t.Parallel()
	tests := []struct {
		what     string
		event    *Event
		filters  []Filter
		schedule string
		workflow string
	}{
		{"schedule takes the first cron", withPayload(&Event{Name: "schedule"}),
			[]Filter{{Event: "schedule", Crons: []string{"0 1 * * *", "0 2 * * *"}}}, "0 1 * * *", ".github/workflows/w.yml"},
		{"schedule keeps a cron the event names", withPayload(&Event{Name: "schedule"}, "schedule", "0 2 * * *"),
			[]Filter{{Event: "schedule", Crons: []string{"0 1 * * *", "0 2 * * *"}}}, "0 2 * * *", ".github/workflows/w.yml"},
		{"a workflow without the event gets an unchanged copy", withPayload(&Event{Name: "schedule"}),
			[]Filter{{Event: "push"}}, "", ""},
		{"push is unchanged", withPayload(&Event{Name: "push"}, "ref", "refs/heads/main"),
			[]Filter{{Event: "push"}}, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			got, err := tc.event.ForWorkflow(tc.filters, ".github/workflows/w.yml")
			if err != nil {
				t.Fatal(err)
			}
			if s := payloadString(got.Payload, "schedule"); s != tc.schedule {
				t.Errorf("github.event.schedule = %q, want %q", s, tc.schedule)
			}
			if w := payloadString(got.Payload, "workflow"); w != tc.workflow {
				t.Errorf("github.event.workflow = %q, want %q", w, tc.workflow)
			}
			if got == tc.event {
				t.Error("ForWorkflow returned the same event, not a copy")
			}
		})
	}
}

func TestInputsContext(t *testing.T) {
	t.Parallel()
	filters := []Filter{{Event: "workflow_dispatch", Inputs: dispatchInputs}}
	tests := []struct {
		what  string
		event *Event
		want  string
	}{
		{"booleans become Booleans, everything else stays a string (numbers too)",
			&Event{Name: "workflow_dispatch", Inputs: map[string]string{"tags": "true", "retries": "3", "logLevel": "info", "environment": "e", "note": ""}},
			"{\n  \"environment\": \"e\",\n  \"logLevel\": \"info\",\n  \"note\": \"\",\n  \"retries\": \"3\",\n  \"tags\": true\n}\n"},
		{"false is false", &Event{Name: "workflow_dispatch", Inputs: map[string]string{"tags": "false"}}, "{\n  \"tags\": false\n}\n"},
		{"other events have no inputs", &Event{Name: "push", Inputs: map[string]string{"tags": "true"}}, "{}\n"},
	}
	for _, tc := range tests {
		t.Run(tc.what, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, mustJSON(t, InputsContext(filters, tc.event))); diff != "" {
				t.Errorf("InputsContext mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
