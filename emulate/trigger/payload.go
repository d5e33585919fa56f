package trigger

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/expr"
)

// zeroSHA is what GitHub sends as "before" when a push creates a ref.
const zeroSHA = "0000000000000000000000000000000000000000"

// maxPushCommits caps github.event.commits (docs: webhook-events-and-payloads
// #push "The array includes a maximum of 2048 commits").
const maxPushCommits = 2048

// buildPayload builds github.event the way GitHub's webhook payload for the
// event looks, with the parts the local repository can tell. Keys that only
// GitHub knows (numeric ids, node ids, avatar URLs) are left out rather than
// invented, so expressions reading them get null as they would for a missing
// key.
func buildPayload(ctx context.Context, g *Git, ev *Event, o Options, head Commit) *expr.Object {
	p := expr.NewObject()
	switch ev.Name {
	case "push":
		pushPayload(ctx, p, g, ev, head)
	case "pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment":
		p.Set("action", ev.Action)
		number := float64(cmp.Or(o.PRNumber, 1))
		p.Set("number", number)
		p.Set("pull_request", pullRequestObject(g, ev, o, head, number))
		p.Set("repository", repositoryObject(g, false))
		p.Set("sender", userObject(g.Actor))
	case "release":
		tag := strings.TrimPrefix(ev.Ref, "refs/tags/")
		p.Set("action", ev.Action)
		r := expr.NewObject()
		r.Set("url", apiURL(g, "releases/tags/"+tag))
		r.Set("html_url", htmlURL(g, "releases/tag/"+tag))
		r.Set("tag_name", tag)
		r.Set("target_commitish", g.DefaultBranch)
		r.Set("name", tag)
		r.Set("draft", false)
		r.Set("prerelease", ev.Action == "prereleased")
		r.Set("author", userObject(g.Actor))
		r.Set("body", "")
		r.Set("assets", []any{})
		p.Set("release", r)
		p.Set("repository", repositoryObject(g, false))
		p.Set("sender", userObject(g.Actor))
	case "workflow_dispatch":
		// inputs and workflow are per workflow; see [Event.ForWorkflow].
		in := expr.NewObject()
		for _, k := range sortedKeys(ev.Inputs) {
			in.Set(k, ev.Inputs[k])
		}
		p.Set("inputs", in)
		p.Set("ref", ev.Ref)
		p.Set("repository", repositoryObject(g, false))
		p.Set("sender", userObject(g.Actor))
	case "schedule":
		// github.event of a scheduled run holds the cron entry that fired and
		// the workflow file; [Event.ForWorkflow] fills both in.
	case "create", "delete":
		ref := ev.Ref
		if ev.Name == "delete" {
			ref = ev.deletedRef
		}
		refType := "branch"
		if strings.HasPrefix(ref, "refs/tags/") {
			refType = "tag"
		}
		p.Set("ref", shortRef(ref))
		p.Set("ref_type", refType)
		if ev.Name == "create" {
			p.Set("master_branch", g.DefaultBranch)
			p.Set("description", nil)
		}
		p.Set("pusher_type", "user")
		p.Set("repository", repositoryObject(g, false))
		p.Set("sender", userObject(g.Actor))
	case "repository_dispatch":
		p.Set("action", ev.Action)
		p.Set("branch", g.DefaultBranch)
		p.Set("client_payload", expr.NewObject())
		p.Set("repository", repositoryObject(g, false))
		p.Set("sender", userObject(g.Actor))
	case "workflow_run":
		p.Set("action", ev.Action)
		run := expr.NewObject()
		run.Set("name", "")
		run.Set("head_branch", g.Branch)
		run.Set("head_sha", g.SHA)
		run.Set("event", "push")
		status, conclusion := "completed", any("success")
		if ev.Action != "completed" {
			status, conclusion = ev.Action, nil
		}
		run.Set("status", status)
		run.Set("conclusion", conclusion)
		p.Set("workflow_run", run)
		p.Set("repository", repositoryObject(g, false))
		p.Set("sender", userObject(g.Actor))
	default:
		if ev.Action != "" {
			p.Set("action", ev.Action)
		}
		p.Set("repository", repositoryObject(g, false))
		p.Set("sender", userObject(g.Actor))
	}
	return p
}

// pushPayload fills the push payload (docs: webhook-events-and-payloads
// #push; the Actions copy has no added/removed/modified lists).
func pushPayload(ctx context.Context, p *expr.Object, g *Git, ev *Event, head Commit) {
	before := zeroSHA
	tag := strings.HasPrefix(ev.Ref, "refs/tags/")
	if base, existing := pushBase(ctx, g, ev.Ref, ev.SHA); existing {
		before = base
	}
	created := before == zeroSHA
	p.Set("ref", ev.Ref)
	p.Set("before", before)
	p.Set("after", cmp.Or(ev.SHA, zeroSHA))
	p.Set("repository", repositoryObject(g, true))
	pusher := expr.NewObject()
	pusher.Set("name", g.Actor)
	pusher.Set("email", g.Email)
	p.Set("pusher", pusher)
	p.Set("sender", userObject(g.Actor))
	p.Set("created", created)
	p.Set("deleted", false)
	p.Set("forced", false)
	var baseRef any
	if tag {
		// GitHub names the branch whose tip the tag points at.
		baseRef = tagBaseRef(ctx, g, ev.SHA)
	}
	p.Set("base_ref", baseRef)
	if created {
		p.Set("compare", htmlURL(g, "commit/"+ev.SHA))
	} else {
		p.Set("compare", htmlURL(g, "compare/"+shortSHA(before)+"..."+shortSHA(ev.SHA)))
	}
	// A tag push lists no commits; a branch push lists the new ones.
	commits := []any{}
	if ev.SHA != "" && !tag {
		commits = pushedCommits(ctx, g, before, ev.SHA)
	}
	p.Set("commits", commits)
	if ev.SHA != "" {
		p.Set("head_commit", commitObject(g, head))
	} else {
		p.Set("head_commit", nil)
	}
}

// pushedCommits lists the commits a push sends, oldest first: those after
// before, or for a new branch those no remote branch has yet (all of them on
// a first push to an empty remote).
func pushedCommits(ctx context.Context, g *Git, before, head string) []any {
	if !g.Available {
		return nil
	}
	cs, ok := loosePushedCommits(g, before, head)
	if !ok {
		args := []string{"--reverse", "--max-count=" + strconv.Itoa(maxPushCommits), head}
		if before != zeroSHA {
			args = append(args, "^"+before)
		} else {
			args = append(args, "--not", "--remotes")
		}
		var err error
		if cs, err = readCommits(ctx, g.Root, append(args, "--")...); err != nil {
			return nil
		}
	}
	commits := make([]any, 0, len(cs))
	for _, c := range cs {
		commits = append(commits, commitObject(g, c))
	}
	return commits
}

// loosePushedCommits are pushedCommits read from loose objects when ReadGit
// read the repository's files: after before, or for a new branch of a
// repository without remote branches, every ancestor; ok is false when git
// must be asked (remote branches to leave out, packed objects, merges).
func loosePushedCommits(g *Git, before, head string) ([]Commit, bool) {
	dir := g.looseObjects()
	if dir == "" {
		return nil, false
	}
	stop := before
	if before == zeroSHA {
		for name := range g.Refs.byName {
			if strings.HasPrefix(name, "refs/remotes/") {
				return nil, false
			}
		}
		stop = ""
	}
	cs, ok := looseHistory(dir, head, stop, maxPushCommits)
	return cs, ok
}

// tagBaseRef returns refs/heads/<branch> for a branch whose tip is sha,
// preferring the default branch, or nil.
func tagBaseRef(ctx context.Context, g *Git, sha string) any {
	if !g.Available || sha == "" {
		return nil
	}
	if b := g.firstRefAt(ctx, sha, "refs/heads", "refs/heads/"+g.DefaultBranch, nil); b != "" {
		return b
	}
	return nil
}

func commitObject(g *Git, c Commit) *expr.Object {
	o := expr.NewObject()
	o.Set("id", c.ID)
	o.Set("tree_id", c.TreeID)
	o.Set("distinct", true)
	o.Set("message", c.Message)
	o.Set("timestamp", c.Timestamp)
	o.Set("url", htmlURL(g, "commit/"+c.ID))
	o.Set("author", personObject(c.Author))
	o.Set("committer", personObject(c.Committer))
	return o
}

func personObject(p Person) *expr.Object {
	o := expr.NewObject()
	o.Set("name", p.Name)
	o.Set("email", p.Email)
	return o
}

func userObject(login string) *expr.Object {
	o := expr.NewObject()
	o.Set("login", login)
	o.Set("type", "User")
	return o
}

// repositoryObject is github.event.repository. The push payload gives the
// web URL as "url" and adds master_branch; the others give the API URL.
func repositoryObject(g *Git, push bool) *expr.Object {
	o := expr.NewObject()
	o.Set("name", g.RepositoryName())
	o.Set("full_name", g.Repository)
	owner := expr.NewObject()
	owner.Set("login", g.Owner)
	owner.Set("name", g.Owner)
	o.Set("owner", owner)
	o.Set("html_url", htmlURL(g, ""))
	if push {
		o.Set("url", htmlURL(g, ""))
	} else {
		o.Set("url", apiURL(g, ""))
	}
	o.Set("git_url", "git://github.com/"+g.Repository+".git")
	o.Set("ssh_url", "git@github.com:"+g.Repository+".git")
	o.Set("clone_url", "https://github.com/"+g.Repository+".git")
	o.Set("default_branch", g.DefaultBranch)
	if push {
		o.Set("master_branch", g.DefaultBranch)
	}
	return o
}

// pullRequestObject is github.event.pull_request of an open pull request.
func pullRequestObject(g *Git, ev *Event, o Options, head Commit, number float64) *expr.Object {
	n := strconv.FormatFloat(number, 'f', -1, 64)
	pr := expr.NewObject()
	pr.Set("url", apiURL(g, "pulls/"+n))
	pr.Set("html_url", htmlURL(g, "pull/"+n))
	pr.Set("number", number)
	state := "open"
	if ev.Action == "closed" {
		state = "closed"
	}
	pr.Set("state", state)
	pr.Set("locked", false)
	subject, _, _ := strings.Cut(head.Message, "\n")
	pr.Set("title", cmp.Or(o.PRTitle, subject))
	pr.Set("user", userObject(g.Actor))
	pr.Set("body", nil)
	labels := make([]any, 0, len(o.Labels))
	for _, l := range o.Labels {
		lo := expr.NewObject()
		lo.Set("name", l)
		labels = append(labels, lo)
	}
	pr.Set("labels", labels)
	pr.Set("draft", false)
	pr.Set("merged", false)
	pr.Set("head", branchObject(g, ev.HeadRef, ev.HeadSHA))
	pr.Set("base", branchObject(g, ev.BaseRef, ev.BaseSHA))
	return pr
}

// branchObject is the head or base of a pull request.
func branchObject(g *Git, ref, sha string) *expr.Object {
	o := expr.NewObject()
	o.Set("label", g.Owner+":"+ref)
	o.Set("ref", ref)
	o.Set("sha", sha)
	o.Set("user", userObject(g.Owner))
	o.Set("repo", repositoryObject(g, false))
	return o
}

func htmlURL(g *Git, path string) string {
	u := "https://github.com/" + g.Repository
	if path != "" {
		u += "/" + path
	}
	return u
}

func apiURL(g *Git, path string) string {
	u := "https://api.github.com/repos/" + g.Repository
	if path != "" {
		u += "/" + path
	}
	return u
}

func shortSHA(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}

// readEventFile reads --event-file, which must hold a JSON object.
func readEventFile(path string) (*expr.Object, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("could not read event file %q: %w", path, err)
	}
	v, err := expr.FromJSON(string(data))
	if err != nil {
		return nil, fmt.Errorf("could not parse event file %q: %w", path, err)
	}
	obj, ok := v.(*expr.Object)
	if !ok {
		return nil, fmt.Errorf("event file %q must hold a JSON object, not %s", path, expr.KindOf(v))
	}
	// A number beyond float64's range reads as an infinity, which the
	// event file the steps get (GITHUB_EVENT_PATH) cannot hold as a number.
	if at := infinite(obj, "github.event"); at != "" {
		return nil, fmt.Errorf("event file %q: the number at %s is too large (GitHub's payloads hold none); write it as a string", path, at)
	}
	return obj, nil
}

// infinite returns the path, from at, of the first infinite number in v,
// or "".
func infinite(v expr.Value, at string) string {
	switch x := v.(type) {
	case float64:
		if math.IsInf(x, 0) {
			return at
		}
	case []any:
		for i, e := range x {
			if p := infinite(e, at+"["+strconv.Itoa(i)+"]"); p != "" {
				return p
			}
		}
	case *expr.Object:
		found := ""
		x.Range(func(k string, e expr.Value) bool {
			found = infinite(e, at+"."+k)
			return found == ""
		})
		return found
	}
	return ""
}

// mergeObjects merges src into dst: keys of src win, and where both hold an
// object the two are merged the same way. Nested objects of dst are copied
// before they change, so values shared with other payloads stay intact.
func mergeObjects(dst, src *expr.Object) {
	src.Range(func(k string, v expr.Value) bool {
		if so, ok := v.(*expr.Object); ok {
			if cur, found := dst.Get(k); found {
				if do, ok := cur.(*expr.Object); ok {
					merged := do.Clone()
					mergeObjects(merged, so)
					dst.Set(k, merged)
					return true
				}
			}
		}
		dst.Set(k, v)
		return true
	})
}

// EncodeJSON writes v as indented JSON, objects in key order. It is the
// format of the event file steps read at GITHUB_EVENT_PATH. It is not
// [expr.ToJSON]: an event file keeps numbers at full precision (toJSON
// rounds them to 15 digits) and rejects NaN and infinities, which toJSON
// writes as bare words that are not JSON.
func EncodeJSON(v expr.Value) ([]byte, error) {
	var b bytes.Buffer
	if err := encodeValue(&b, v, ""); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

func encodeValue(b *bytes.Buffer, v expr.Value, indent string) error {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("cannot encode %v as JSON", x)
		}
		n, _ := json.Marshal(x)
		b.Write(n)
	case string:
		var s bytes.Buffer
		enc := json.NewEncoder(&s)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(x)
		b.Write(bytes.TrimRight(s.Bytes(), "\n"))
	case []any:
		if len(x) == 0 {
			b.WriteString("[]")
			return nil
		}
		b.WriteString("[\n")
		for i, e := range x {
			b.WriteString(indent + "  ")
			if err := encodeValue(b, e, indent+"  "); err != nil {
				return err
			}
			if i < len(x)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "]")
	case *expr.Object:
		if x.Len() == 0 {
			b.WriteString("{}")
			return nil
		}
		b.WriteString("{\n")
		var err error
		i := 0
		x.Range(func(k string, e expr.Value) bool {
			b.WriteString(indent + "  ")
			encodeValue(b, k, "")
			b.WriteString(": ")
			if err = encodeValue(b, e, indent+"  "); err != nil {
				return false
			}
			if i < x.Len()-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
			i++
			return true
		})
		if err != nil {
			return err
		}
		b.WriteString(indent + "}")
	default:
		return fmt.Errorf("cannot encode a %T as JSON", v)
	}
	return nil
}

// PayloadJSON returns github.event as the JSON file GitHub writes to
// GITHUB_EVENT_PATH.
func (ev *Event) PayloadJSON() ([]byte, error) {
	return EncodeJSON(ev.Payload)
}

// lookup walks nested objects by key.
func lookup(v expr.Value, keys ...string) expr.Value {
	for _, k := range keys {
		o, ok := v.(*expr.Object)
		if !ok {
			return nil
		}
		v, _ = o.Get(k)
	}
	return v
}

// payloadString is lookup for a string, "" when absent or not a string.
func payloadString(p *expr.Object, keys ...string) string {
	s, _ := lookup(p, keys...).(string)
	return s
}

// scalarString renders a JSON scalar the way github.event.inputs holds it.
func scalarString(v expr.Value) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case nil:
		return ""
	}
	b, _ := EncodeJSON(v)
	return strings.TrimSpace(string(b))
}
