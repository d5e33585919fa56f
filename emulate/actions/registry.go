package actions

import (
	"fmt"
	"strings"
)

// Kind is how rehearse treats a step.
type Kind string

// The kinds of steps, as plan and the JSON report name them.
const (
	KindRun         Kind = "run"         // a run: script
	KindBuiltin     Kind = "builtin"     // emulated here without network
	KindLocal       Kind = "local"       // ./path composite action, run here
	KindDeploy      Kind = "deploy"      // deploys or publishes: skipped without --allow-deploy
	KindUnsupported Kind = "unsupported" // remote action rehearse cannot run: skipped with a warning
)

// deployers are actions whose purpose is to change something outside the
// machine: a server, a registry, a cloud account, a chat channel.
var deployers = map[string]string{
	"appleboy/ssh-action":                   "runs commands on a remote host over ssh",
	"appleboy/scp-action":                   "copies files to a remote host",
	"docker/login-action":                   "logs in to a container registry",
	"akhileshns/heroku-deploy":              "deploys to Heroku",
	"pypa/gh-action-pypi-publish":           "publishes to PyPI",
	"codecov/codecov-action":                "uploads coverage to Codecov",
	"slackapi/slack-github-action":          "sends a Slack notification",
	"8398a7/action-slack":                   "sends a Slack notification",
	"rtcamp/action-slack-notify":            "sends a Slack notification",
	"peaceiris/actions-gh-pages":            "publishes to GitHub Pages",
	"jamesives/github-pages-deploy-action":  "publishes to GitHub Pages",
	"actions/deploy-pages":                  "publishes to GitHub Pages",
	"softprops/action-gh-release":           "creates a GitHub release",
	"ncipollo/release-action":               "creates a GitHub release",
	"azure/webapps-deploy":                  "deploys to Azure",
	"google-github-actions/deploy-cloudrun": "deploys to Cloud Run",
	"superfly/flyctl-actions":               "deploys to Fly.io",
}

// deployOwners are owners every action of which acts on a cloud account.
var deployOwners = map[string]string{
	"aws-actions": "acts on an AWS account",
}

// Classification is the verdict on one uses: reference.
type Classification struct {
	Kind Kind
	// Why is a short human reason: what the builtin uses, why it deploys,
	// or why it cannot run.
	Why string
}

// Classify decides how a step's uses: is treated. with is consulted for
// actions whose effect depends on inputs (docker/build-push-action pushes
// only with push: true).
func Classify(uses string, with func(name string) string) Classification {
	r := ParseRef(uses)
	switch {
	case r.Local:
		return Classification{KindLocal, "local action " + r.Path}
	case r.Docker:
		return Classification{KindUnsupported, fmt.Sprintf("docker action %q needs the container executor", r.Path)}
	}
	name := r.Name()
	if b, ok := builtins[name]; ok {
		return Classification{KindBuiltin, b.uses}
	}
	if why, ok := deployers[name]; ok {
		return Classification{KindDeploy, why}
	}
	if why, ok := deployOwners[strings.ToLower(r.Owner)]; ok {
		return Classification{KindDeploy, why}
	}
	if name == "docker/build-push-action" {
		if with != nil && strings.EqualFold(strings.TrimSpace(with("push")), "true") {
			return Classification{KindDeploy, "pushes an image to a registry"}
		}
		return Classification{KindUnsupported, "building images needs a Docker engine"}
	}
	if r.Version == "" {
		return Classification{KindUnsupported, fmt.Sprintf("action %q has no @ref", uses)}
	}
	return Classification{KindUnsupported, fmt.Sprintf("remote action %s is not emulated and is not fetched", r.Owner+"/"+r.Repo+pathSuffix(r.Path))}
}

func pathSuffix(p string) string {
	if p == "" {
		return ""
	}
	return "/" + p
}
