package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"unicode/utf16"
)

// Limits and salts from actions/toolkit packages/cache/src/cache.ts and
// src/internal/cacheUtils.ts.
const (
	maxKeyLength = 512
	maxKeys      = 10
	versionSalt  = "1.0"
	// Compression is the compression method rehearse archives with. It is
	// part of the version, as in getCacheVersion, so a gzip entry is never
	// offered to a reader expecting zstd.
	Compression = "gzip"
)

// ValidationError is a problem with the inputs. actions/cache fails the
// restore step on it (restoreImpl.ts core.setFailed); the post-step save only
// logs it.
type ValidationError struct{ Msg string }

// Error returns GitHub's message.
func (e *ValidationError) Error() string { return e.Msg }

// checkKey is cache.ts checkKey. The messages are GitHub's, verbatim.
func checkKey(key string) error {
	// JavaScript's key.length counts UTF-16 code units, not bytes.
	if len(utf16.Encode([]rune(key))) > maxKeyLength {
		return &ValidationError{fmt.Sprintf("Key Validation Error: %s cannot be larger than %d characters.", key, maxKeyLength)}
	}
	if strings.Contains(key, ",") {
		return &ValidationError{fmt.Sprintf("Key Validation Error: %s cannot contain commas.", key)}
	}
	return nil
}

// checkKeys validates the primary key and the restore keys together, as
// restoreCache does before any lookup.
func checkKeys(primary string, restoreKeys []string) error {
	if primary == "" {
		// core.getInput(Inputs.Key, {required: true})
		return &ValidationError{"Input required and not supplied: key"}
	}
	keys := append([]string{primary}, restoreKeys...)
	if len(keys) > maxKeys {
		return &ValidationError{fmt.Sprintf("Key Validation Error: Keys are limited to a maximum of %d.", maxKeys)}
	}
	for _, k := range keys {
		if err := checkKey(k); err != nil {
			return err
		}
	}
	return nil
}

// checkPaths stands for core.getInput(Inputs.Path, {required: true}): after
// trimming, a path input without a line is an empty input.
func checkPaths(paths []string) error {
	if len(paths) == 0 {
		return &ValidationError{"Input required and not supplied: path"}
	}
	return nil
}

var bangSpace = regexp.MustCompile(`^!\s+`)

// InputLines splits a multi-line input such as `path:` or `restore-keys:`
// the way actions/cache's getInputAsArray does: split on "\n", turn "!  x"
// into "!x", trim, drop empty lines.
func InputLines(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(bangSpace.ReplaceAllString(line, "!"))
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// InputBool is actions/cache's getInputAsBool: only "true", in any case, is
// true.
func InputBool(s string) bool {
	return strings.ToLower(strings.TrimSpace(s)) == "true"
}

// Version is the cache version of @actions/cache getCacheVersion: the sha256
// of the path inputs as written, the compression method, "windows-only" on a
// Windows runner without enableCrossOsArchive, and the salt, joined by "|".
// Entries only match a lookup with the same version, so changing `path:`
// misses every old entry.
func Version(paths []string, enableCrossOsArchive bool) string {
	return version(paths, Compression, enableCrossOsArchive, runtime.GOOS)
}

func version(paths []string, compression string, enableCrossOsArchive bool, goos string) string {
	components := append([]string(nil), paths...)
	if compression != "" {
		components = append(components, compression)
	}
	if goos == "windows" && !enableCrossOsArchive {
		components = append(components, "windows-only")
	}
	components = append(components, versionSalt)
	sum := sha256.Sum256([]byte(strings.Join(components, "|")))
	return hex.EncodeToString(sum[:])
}

// exactKeyMatch is actions/cache actionUtils.ts isExactKeyMatch:
// localeCompare with sensitivity "accent", so case is ignored.
func exactKeyMatch(key, matched string) bool {
	return matched != "" && strings.EqualFold(key, matched)
}
