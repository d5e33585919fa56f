package buildkit_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rehearse-dev/rehearse/emulate/executor"
	"github.com/rehearse-dev/rehearse/emulate/executor/buildkit"
	"github.com/rehearse-dev/rehearse/fixtures/containertest"
)

// TestJobsAreIsolated: while other jobs start, have their steps cancelled
// and their containers released, a job's own steps keep running normally
// (with one gateway session for several jobs, a released neighbour could
// end another job's process before it ran).
func TestJobsAreIsolated(t *testing.T) {
	e := containertest.Executor(t, buildkit.Options{})
	b := startJob(t, e, executor.JobSpec{Key: "b"})
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			a, err := e.StartJob(t.Context(), executor.JobSpec{Key: "a", Repository: "o/a", Image: containertest.Image(t)})
			if err != nil {
				t.Error(err)
				return
			}
			_ = a.WriteFile(t.Context(), "/tmp/big", []byte(strings.Repeat("x", 200000)), 0o644)
			ctx, cancel := context.WithTimeout(t.Context(), time.Duration(i%5)*20*time.Millisecond)
			_, _ = a.Exec(ctx, executor.Process{Argv: []string{"sleep", "600"}, Env: []string{"PATH=/usr/bin:/bin"}})
			cancel()
			_ = a.Close(context.Background())
		}
	}()
	defer func() { close(stop); wg.Wait() }()
	for i := range 30 {
		if err := b.WriteFile(t.Context(), "/tmp/x.sh", []byte("echo hi\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		var out syncBuffer
		code, err := b.Exec(ctx, executor.Process{Argv: []string{"bash", "/tmp/x.sh"}, Env: []string{"PATH=/usr/bin:/bin"}, Stdout: &out, Stderr: &out})
		cancel()
		if err != nil || code != 0 || out.String() != "hi\n" {
			t.Fatalf("round %d: exit %d, %v, output %q", i, code, err, out.String())
		}
	}
}
