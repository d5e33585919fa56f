// Command rehearse runs a repository's GitHub Actions workflows locally,
// reporting what GitHub would report.
package main

import (
	"os"

	"github.com/sirupsen/logrus"

	"github.com/rehearse-dev/rehearse/emulate/executor/buildkit/agent"
)

func main() {
	// Inside a job's container the same binary is the container agent.
	if len(os.Args) > 1 && os.Args[1] == agent.Command {
		os.Exit(agent.Main(os.Args[2:], os.Stdin, os.Stdout, os.Stderr))
	}
	// BuildKit's and containerd's libraries log through logrus; their
	// warnings (no fsverity on this file system) are not the user's business.
	logrus.SetLevel(logrus.ErrorLevel)
	cmd := &Command{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
	os.Exit(cmd.Main(os.Args))
}
