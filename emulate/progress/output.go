package progress

import (
	"fmt"
	"io"
)

// output writes to the display's Out and keeps the first error. After an
// error it writes nothing more: a closed stderr should neither cost a
// failing syscall per line nor stop the run, and Run reports the error.
type output struct {
	w   io.Writer
	err error
}

func (o *output) write(p []byte) {
	if o.err != nil || len(p) == 0 {
		return
	}
	if _, err := o.w.Write(p); err != nil {
		o.err = fmt.Errorf("could not write progress: %w", err)
	}
}
