package actions

import (
	"regexp"
	"strings"
)

// A publishing command in a run: script makes the step a deploy step. The
// patterns match a command at the start of a line or after a shell
// separator, so `echo "run git push later"` does not count.
var publishCommands = []struct {
	re  *regexp.Regexp
	why string
}{
	{cmdRe(`twine\s+upload`), "uploads packages with twine"},
	{cmdRe(`(python3?\s+-m\s+)?twine\s+upload`), "uploads packages with twine"},
	{cmdRe(`docker\s+push`), "pushes an image with docker push"},
	{cmdRe(`docker\s+login`), "logs in to a container registry"},
	{cmdRe(`git\s+push`), "pushes to a git remote"},
	{cmdRe(`gh\s+release`), "changes GitHub releases"},
	{cmdRe(`npm\s+publish`), "publishes to npm"},
	{cmdRe(`(poetry|flit|hatch|uv)\s+publish`), "publishes a Python package"},
	{cmdRe(`kubectl\s+(apply|create|delete|replace|patch|rollout|set)`), "changes a Kubernetes cluster"},
	{cmdRe(`helm\s+(upgrade|install|uninstall|rollback)`), "changes a Kubernetes cluster with helm"},
	{cmdRe(`aws\s+\S+`), "acts on an AWS account"},
	{cmdRe(`heroku\s+\S+`), "acts on a Heroku app"},
	{cmdRe(`(flyctl|fly)\s+deploy`), "deploys to Fly.io"},
	{cmdRe(`gcloud\s+\S+.*\bdeploy`), "deploys to Google Cloud"},
	{cmdRe(`scp\s+.*\S+:`), "copies files to another host"},
	{cmdRe(`rsync\s+.*\S+:`), "copies files to another host"},
	{cmdRe(`ssh\s+(-\S+\s+)*[^\s-]\S*`), "runs commands on another host"},
}

func cmdRe(body string) *regexp.Regexp {
	return regexp.MustCompile(`(?m)(^|[;&|(]|(^|[;\s])(then|do)\s|\bsudo\s)\s*` + body)
}

// PublishingCommand reports whether a run: script publishes or deploys, and
// what it does. Comments are ignored.
func PublishingCommand(script string) (why string, ok bool) {
	s := StripComments(script)
	for _, p := range publishCommands {
		if p.re.MatchString(s) {
			return p.why, true
		}
	}
	return "", false
}

var machineChanges = []struct {
	re  *regexp.Regexp
	why string
}{
	{cmdRe(`sudo\b`), "runs sudo"},
	{cmdRe(`(apt-get|apt|dnf|yum|apk|brew|snap)\s+(install|remove|upgrade|update)`), "installs system packages"},
	{cmdRe(`systemctl\s+`), "changes system services"},
	{regexp.MustCompile(`(?m)>>?\s*(/etc/|/usr/|~/\.|\$HOME/\.)`), "writes outside the workspace"},
	{cmdRe(`(mkdir|cp|mv|chmod|rm)\s+.*(~/\.|\$HOME/\.|/etc/|/usr/)`), "writes outside the workspace"},
}

// MachineChanges lists what a run: script does to the machine itself
// (outside its workspace), which matters when it runs on the host.
func MachineChanges(script string) []string {
	s := StripComments(script)
	var out []string
	seen := map[string]bool{}
	for _, m := range machineChanges {
		if m.re.MatchString(s) && !seen[m.why] {
			seen[m.why] = true
			out = append(out, m.why)
		}
	}
	return out
}

// StripComments blanks the comment lines of a shell script, so scans of
// its commands ignore what is commented out.
func StripComments(script string) string {
	lines := strings.Split(script, "\n")
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "#") {
			lines[i] = ""
		}
	}
	return strings.Join(lines, "\n")
}
