package toolchain

import (
	"regexp"
	"sync"
)

// lazyRegexp compiles expr on first use: every rehearse command links this
// package, and compiling its many version patterns at start-up cost
// `rehearse plan` milliseconds it never needed.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
