package agent

import (
	"encoding/binary"
	"fmt"
	"io"
	"sync"
)

// The serve protocol: frames of a type byte, a process id and a payload,
// on the serve process's stdin (requests) and stdout (output and exits).
const (
	FrameExec   = 'X' // request: JSON ExecRequest
	FrameSignal = 'S' // request: stop the process (SIGINT, then escalate)
	FrameStdout = 'o' // output of a process
	FrameStderr = 'e'
	FrameExit   = 'x' // JSON ExitStatus; the last frame of a process
)

// maxFrame bounds a frame's payload: requests carry a step's script and
// files, which are small; a bigger one is a broken stream.
const maxFrame = 64 << 20

// ExecRequest is one process for serve to run.
type ExecRequest struct {
	Argv []string
	Env  []string
	Dir  string
	// UID and GID run it as the job's user.
	UID, GID int
	// Files is a tar of files to write first, owned by UID:GID.
	Files []byte
	// SigtermAfter and SigkillAfter are the cancellation escalation.
	SigtermAfter, SigkillAfter int64
}

// ExitStatus ends a process's frames: its exit code (128+N for a signal),
// or -1 and why it could not run.
type ExitStatus struct {
	Code    int
	Message string
}

// WriteFrame writes one frame.
func WriteFrame(w io.Writer, typ byte, id uint32, payload []byte) error {
	var h [9]byte
	h[0] = typ
	binary.BigEndian.PutUint32(h[1:5], id)
	binary.BigEndian.PutUint32(h[5:9], uint32(len(payload)))
	if _, err := w.Write(h[:]); err != nil {
		return err
	}
	_, err := w.Write(payload)
	return err
}

// ReadFrame reads one frame.
func ReadFrame(r io.Reader) (typ byte, id uint32, payload []byte, err error) {
	var h [9]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return 0, 0, nil, err
	}
	n := binary.BigEndian.Uint32(h[5:9])
	if n > maxFrame {
		return 0, 0, nil, fmt.Errorf("frame of %d bytes", n)
	}
	payload = make([]byte, n)
	if _, err := io.ReadFull(r, payload); err != nil {
		return 0, 0, nil, err
	}
	return h[0], binary.BigEndian.Uint32(h[1:5]), payload, nil
}

// frameWriter serializes the frames of concurrent processes.
type frameWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (f *frameWriter) write(typ byte, id uint32, payload []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return WriteFrame(f.w, typ, id, payload)
}

// streamWriter is one process's stdout or stderr as frames.
type streamWriter struct {
	fw  *frameWriter
	typ byte
	id  uint32
}

func (s streamWriter) Write(p []byte) (int, error) {
	// Copy: the caller reuses its buffer.
	if err := s.fw.write(s.typ, s.id, append([]byte(nil), p...)); err != nil {
		return 0, err
	}
	return len(p), nil
}
