package buildkit

import (
	"archive/tar"
	"bytes"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	fstypes "github.com/tonistiigi/fsutil/types"
)

// pendingTar packs queued writes as a tar stream the agent extracts at /.
// Parent directories are created by the agent (owned by the job's user).
func pendingTar(files map[string]pendingFile) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	names := make([]string, 0, len(files))
	for p := range files {
		names = append(names, p)
	}
	slices.Sort(names)
	now := time.Now()
	for _, p := range names {
		f := files[p]
		_ = tw.WriteHeader(&tar.Header{Name: strings.TrimPrefix(path.Clean(p), "/"), Mode: int64(f.perm.Perm()),
			Size: int64(len(f.data)), Typeflag: tar.TypeReg, ModTime: now, Format: tar.FormatPAX})
		_, _ = tw.Write(f.data)
	}
	_ = tw.Close()
	return buf.Bytes()
}

// statInfo is a gateway stat as an fs.FileInfo.
type statInfo struct{ st *fstypes.Stat }

func (s statInfo) Name() string       { return path.Base(s.st.Path) }
func (s statInfo) Size() int64        { return s.st.Size }
func (s statInfo) Mode() fs.FileMode  { return fs.FileMode(s.st.Mode) }
func (s statInfo) ModTime() time.Time { return time.Unix(0, s.st.ModTime) }
func (s statInfo) IsDir() bool        { return fs.FileMode(s.st.Mode).IsDir() }
func (s statInfo) Sys() any           { return s.st }
