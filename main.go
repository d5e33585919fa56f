// Command rehearse runs a repository's GitHub Actions workflows locally,
// reporting what GitHub would report.
package main

import "os"

func main() {
	cmd := &Command{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
	os.Exit(cmd.Main(os.Args))
}
