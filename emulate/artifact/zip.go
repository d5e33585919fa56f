package artifact

import (
	"archive/zip"
	"compress/flate"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/rehearse-dev/rehearse/emulate/glob"
)

// zipEntry is one file of the artifact: where it is on this machine and
// its name inside.
type zipEntry struct {
	source, name string
}

// zipSpec is getUploadZipSpecification: each file's name is its path with
// the root cut off. Names are checked for characters the service rejects.
// files and root are job paths; jobRoot is where the job's "/" is here.
func zipSpec(files []string, root, jobRoot string) ([]zipEntry, error) {
	root = filepath.Clean(root)
	var spec []zipEntry
	for _, f := range files {
		f = filepath.Clean(f)
		if !strings.HasPrefix(f, root) {
			return nil, actionErrorf("The rootDirectory: %s is not a parent directory of the file: %s", root, f)
		}
		// JavaScript: file.replace(rootDirectory, ''), a leading "/" that the
		// zip writer drops.
		dest := strings.TrimPrefix(f, root)
		if err := validateFilePath(dest); err != nil {
			return nil, err
		}
		spec = append(spec, zipEntry{source: glob.Local(jobRoot, f), name: strings.TrimLeft(dest, "/")})
	}
	return spec, nil
}

// writeZip writes the entries as a zip at dst with deflate at level (0 stores),
// the default of upload-artifact's compression-level being 6. It returns the
// zip's size and sha256.
func writeZip(ctx context.Context, dst string, entries []zipEntry, level int) (int64, string, error) {
	f, err := os.Create(dst)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	counter := &countingWriter{w: io.MultiWriter(f, h)}
	zw := zip.NewWriter(counter)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, level)
	})
	method := zip.Deflate
	if level == 0 {
		method = zip.Store
	}
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return 0, "", err
		}
		if err := addFile(zw, e, method); err != nil {
			return 0, "", fmt.Errorf("could not add %q to the artifact: %w", e.source, err)
		}
	}
	if err := zw.Close(); err != nil {
		return 0, "", err
	}
	if err := f.Close(); err != nil {
		return 0, "", err
	}
	return counter.n, hex.EncodeToString(h.Sum(nil)), nil
}

func addFile(zw *zip.Writer, e zipEntry, method uint16) error {
	src, err := os.Open(e.source) // follows symlinks, as the upload does
	if err != nil {
		return err
	}
	defer src.Close()
	st, err := src.Stat()
	if err != nil {
		return err
	}
	hdr, err := zip.FileInfoHeader(st)
	if err != nil {
		return err
	}
	hdr.Name = e.name
	hdr.Method = method
	w, err := zw.CreateHeader(hdr)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, src)
	return err
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// extractZip unpacks an artifact into dir. Like @actions/artifact's
// download, existing files are overwritten and permissions are not kept:
// every file comes out as a plain 0644 file (upload-artifact README,
// "Permission Loss").
func extractZip(ctx context.Context, zipPath, dir string) error {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return err
	}
	defer zr.Close()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, zf := range zr.File {
		if err := ctx.Err(); err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(zf.Name))
		if rel, err := filepath.Rel(dir, target); err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
			return fmt.Errorf("artifact entry %q leaves the download directory", zf.Name)
		}
		if strings.HasSuffix(zf.Name, "/") {
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
			continue
		}
		if err := extractFile(zf, target); err != nil {
			return err
		}
	}
	return nil
}

func extractFile(zf *zip.File, target string) error {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	out, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, rc)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}
