package toolchain

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// UVDownload is one uv release archive to install.
type UVDownload struct {
	Version string
	Target  UVTarget
	// URL is the archive's URL.
	URL string
	// SHA256 is the archive's expected digest in hex (setup-uv's checksum
	// input, or a manifest's); empty means the one published at
	// URL+".sha256", and none when the source publishes none.
	SHA256 string
	// Dir is the cache root: the archive's executables go to
	// Dir/<version>/<target>.
	Dir string
}

// UVInstall is a uv installed in the cache.
type UVInstall struct {
	// Dir holds uv and uvx.
	Dir string
	// Downloaded is false when it was already in the cache.
	Downloaded bool
	// Checksum says how the archive was verified ("" when it was not, or
	// when it came from the cache).
	Checksum string
}

// maxUVArchive bounds a download (uv's archives are about 20 MB).
const maxUVArchive = 1 << 30

// uvInstalls serializes installs of one version and target within this
// process, so parallel jobs download it once; across processes the
// final rename decides.
var (
	uvInstallsMu sync.Mutex
	uvInstalls   = map[string]*sync.Mutex{}
)

func uvInstallLock(dir string) *sync.Mutex {
	uvInstallsMu.Lock()
	defer uvInstallsMu.Unlock()
	mu, ok := uvInstalls[dir]
	if !ok {
		mu = &sync.Mutex{}
		uvInstalls[dir] = mu
	}
	return mu
}

// InstallUV returns the cached uv of d's version and target, downloading
// it first when the cache lacks it: the archive is checked against its
// sha256 and its executables are moved into the cache in one rename, so
// an interrupted install leaves nothing half-written. Errors reading a URL
// wrap a *[FetchError].
func InstallUV(ctx context.Context, d UVDownload) (UVInstall, error) {
	dest := filepath.Join(d.Dir, d.Version, d.Target.String())
	mu := uvInstallLock(dest)
	mu.Lock()
	defer mu.Unlock()
	if uvInstalled(dest, d.Target) {
		return UVInstall{Dir: dest}, nil
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return UVInstall{}, fmt.Errorf("could not create the uv cache: %w", err)
	}
	archive, sum, err := downloadTemp(ctx, d.URL, filepath.Dir(dest))
	if err != nil {
		return UVInstall{}, err
	}
	defer os.Remove(archive)
	want, how, err := expectedUVDigest(ctx, d)
	if err != nil {
		return UVInstall{}, err
	}
	if want != "" && !strings.EqualFold(want, sum) {
		return UVInstall{}, fmt.Errorf("the sha256 of %s is %s, but %s gives %s: the download is not the release it claims to be, and is not used", d.URL, sum, how, want)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dest), ".install-")
	if err != nil {
		return UVInstall{}, err
	}
	defer os.RemoveAll(tmp)
	if err := extractUV(archive, d.Target, tmp); err != nil {
		return UVInstall{}, fmt.Errorf("could not unpack %s: %w", d.URL, err)
	}
	if err := os.Rename(tmp, dest); err != nil {
		// Another process installed it meanwhile.
		if uvInstalled(dest, d.Target) {
			return UVInstall{Dir: dest, Downloaded: true, Checksum: how}, nil
		}
		return UVInstall{}, fmt.Errorf("could not install uv into %s: %w", dest, err)
	}
	return UVInstall{Dir: dest, Downloaded: true, Checksum: how}, nil
}

// downloadTemp writes a URL into a new file of dir and returns it with its
// sha256.
func downloadTemp(ctx context.Context, url, dir string) (string, string, error) {
	body, err := open(ctx, url)
	if err != nil {
		return "", "", err
	}
	defer body.Close()
	f, err := os.CreateTemp(dir, ".download-")
	if err != nil {
		return "", "", err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(body, maxUVArchive+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > maxUVArchive {
		err = fmt.Errorf("larger than %d bytes", int64(maxUVArchive))
	}
	if err != nil {
		os.Remove(f.Name())
		return "", "", &FetchError{URL: url, Err: err}
	}
	return f.Name(), hex.EncodeToString(h.Sum(nil)), nil
}

// expectedUVDigest is the digest to check the archive against and where it
// comes from: d.SHA256, else the release's <archive>.sha256 ("<hex>
// *<name>"). A source that publishes no .sha256 (404) gives "".
func expectedUVDigest(ctx context.Context, d UVDownload) (string, string, error) {
	if d.SHA256 != "" {
		return strings.TrimSpace(d.SHA256), "the expected checksum", nil
	}
	url := d.URL + ".sha256"
	data, err := Fetch(ctx, url, 4096)
	var fe *FetchError
	if errors.As(err, &fe) && fe.NotFound() {
		return "", "", nil
	}
	if err != nil {
		return "", "", fmt.Errorf("could not read the checksum %s: %w", url, err)
	}
	fields := strings.Fields(string(data))
	if len(fields) == 0 || len(fields[0]) != sha256.Size*2 {
		return "", "", fmt.Errorf("%s is not a sha256 checksum file", url)
	}
	if _, err := hex.DecodeString(fields[0]); err != nil {
		return "", "", fmt.Errorf("%s is not a sha256 checksum file", url)
	}
	return fields[0], url, nil
}

// extractUV writes the executables of a release archive into dir: the
// files of its uv-<target>/ directory (tar.gz), or of its top level (zip,
// for Windows). Anything else in the archive is left out.
func extractUV(archive string, target UVTarget, dir string) error {
	if strings.HasSuffix(target.Archive(), ".zip") {
		return extractUVZip(archive, dir)
	}
	f, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	tr := tar.NewReader(gz)
	prefix := "uv-" + target.String() + "/"
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(path.Clean(strings.TrimPrefix(hdr.Name, "./")), prefix)
		if hdr.Typeflag != tar.TypeReg || strings.Contains(name, "/") || name == "." || name == ".." {
			continue
		}
		if err := writeExe(filepath.Join(dir, name), tr, hdr.FileInfo().Mode()); err != nil {
			return err
		}
	}
	return requireUV(dir, target)
}

func extractUVZip(archive, dir string) error {
	zr, err := zip.OpenReader(archive)
	if err != nil {
		return err
	}
	defer zr.Close()
	for _, zf := range zr.File {
		name := path.Clean(zf.Name)
		if !zf.Mode().IsRegular() || strings.Contains(name, "/") || name == "." || name == ".." {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return err
		}
		err = writeExe(filepath.Join(dir, name), rc, zf.Mode())
		rc.Close()
		if err != nil {
			return err
		}
	}
	return requireUV(dir, UVTarget{Platform: "pc-windows-msvc"})
}

func writeExe(p string, r io.Reader, mode os.FileMode) error {
	perm := os.FileMode(0o644)
	if mode&0o111 != 0 {
		perm = 0o755
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, io.LimitReader(r, maxUVArchive)); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// uvInstalled reports whether dest holds the target's uv (a regular file:
// Windows has no executable bit to check).
func uvInstalled(dest string, target UVTarget) bool {
	st, err := os.Stat(filepath.Join(dest, target.Exe("uv")))
	return err == nil && st.Mode().IsRegular()
}

func requireUV(dir string, target UVTarget) error {
	if _, err := os.Stat(filepath.Join(dir, target.Exe("uv"))); err != nil {
		return fmt.Errorf("the archive has no %s (expected uv-%s/%s, as uv's releases lay it out)", target.Exe("uv"), target, target.Exe("uv"))
	}
	return nil
}
