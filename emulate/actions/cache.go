package actions

import (
	"context"
	"errors"
	"fmt"

	"github.com/rehearse-dev/rehearse/cache"
)

// cacheAction emulates actions/cache: restore now, save in a post step
// when the job succeeds and the key was not an exact hit.
func cacheAction(ctx context.Context, in Inputs, h Host, svc Services) error {
	checkSupported(h, "actions/cache", in, "key", "path", "restore-keys", "upload-chunk-size", "enablecrossosarchive", "fail-on-cache-miss", "lookup-only", "save-always")
	res, err := restore(ctx, in, h, svc)
	if err != nil {
		return err
	}
	if res.ExactHit || cache.InputBool(in.Get("lookup-only")) {
		return nil
	}
	key, paths := in.Get("key"), cache.InputLines(in["path"])
	h.AddPost("Post Cache "+key, func(ctx context.Context) error {
		return save(ctx, key, paths, res.MatchedKey, in, h, svc)
	})
	return nil
}

func cacheRestore(ctx context.Context, in Inputs, h Host, svc Services) error {
	checkSupported(h, "actions/cache/restore", in, "key", "path", "restore-keys", "enablecrossosarchive", "fail-on-cache-miss", "lookup-only")
	_, err := restore(ctx, in, h, svc)
	return err
}

func cacheSave(ctx context.Context, in Inputs, h Host, svc Services) error {
	checkSupported(h, "actions/cache/save", in, "key", "path", "upload-chunk-size", "enablecrossosarchive")
	return save(ctx, in.Get("key"), cache.InputLines(in["path"]), "", in, h, svc)
}

func restore(ctx context.Context, in Inputs, h Host, svc Services) (cache.RestoreResult, error) {
	j := h.Job()
	root, cleanup, err := stage(ctx, j, nil)
	if err != nil {
		return cache.RestoreResult{}, fmt.Errorf("actions/cache: %w", err)
	}
	defer cleanup()
	res, err := svc.Cache.Restore(ctx, cache.RestoreRequest{
		Key:                  in.Get("key"),
		RestoreKeys:          cache.InputLines(in["restore-keys"]),
		Paths:                cache.InputLines(in["path"]),
		Workspace:            j.Paths().Workspace,
		Home:                 h.Getenv("HOME"),
		Root:                 root,
		Scopes:               svc.CacheScopes,
		EnableCrossOsArchive: cache.InputBool(in.Get("enablecrossosarchive")),
		LookupOnly:           cache.InputBool(in.Get("lookup-only")),
		FailOnCacheMiss:      cache.InputBool(in.Get("fail-on-cache-miss")),
	})
	for _, m := range res.Messages {
		h.Log(m)
	}
	var ve *cache.ValidationError
	if errors.As(err, &ve) {
		return res, errors.New(ve.Msg)
	}
	if err != nil {
		return res, fmt.Errorf("actions/cache: %w", err)
	}
	if err := publish(ctx, j, root); err != nil {
		return res, fmt.Errorf("actions/cache: %w", err)
	}
	h.SetOutput("cache-hit", fmt.Sprint(res.ExactHit))
	h.SetOutput("cache-primary-key", in.Get("key"))
	h.SetOutput("cache-matched-key", res.MatchedKey)
	return res, nil
}

func save(ctx context.Context, key string, paths []string, matched string, in Inputs, h Host, svc Services) error {
	j := h.Job()
	ws, home := j.Paths().Workspace, h.Getenv("HOME")
	roots, err := searchRoots(paths, ws, home)
	if err != nil {
		roots = nil // the save reports the bad pattern itself
	}
	root, cleanup, err := stage(ctx, j, roots)
	if err != nil {
		return fmt.Errorf("actions/cache: %w", err)
	}
	defer cleanup()
	_, msg, err := svc.Cache.Save(ctx, cache.SaveRequest{
		Key: key, Paths: paths, Workspace: ws, Home: home, Root: root,
		Scope: svc.CacheScope, EnableCrossOsArchive: cache.InputBool(in.Get("enablecrossosarchive")), MatchedKey: matched,
	})
	if msg != "" {
		h.Log(msg)
	}
	if err != nil {
		return fmt.Errorf("actions/cache: could not save %q: %w", key, err)
	}
	return nil
}
