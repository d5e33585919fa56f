package toolchain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// FetchError is a URL that could not be read: the server could not be
// reached (Err), or it answered with an error status (Status).
type FetchError struct {
	URL    string
	Status string
	// Code is the HTTP status code, 0 when there was no answer.
	Code int
	Err  error
}

// Error says what the URL gave: "connect: connection refused", "404 Not
// Found". The URL itself is the caller's to name.
func (e *FetchError) Error() string {
	if e.Err != nil {
		return e.Err.Error()
	}
	return e.Status
}

func (e *FetchError) Unwrap() error { return e.Err }

// NotFound reports whether the server answered that the URL does not exist.
func (e *FetchError) NotFound() bool { return e.Code == http.StatusNotFound }

// httpClient downloads toolchains. A server that accepts the connection
// but does not answer fails after a minute; the body may take as long as
// the caller's context allows.
var httpClient = func() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.ResponseHeaderTimeout = time.Minute
	return &http.Client{Transport: t}
}()

// open starts reading a URL: http(s), file://, or a plain path.
func open(ctx context.Context, rawURL string) (io.ReadCloser, error) {
	if p, ok := strings.CutPrefix(rawURL, "file://"); ok {
		return openFile(rawURL, p)
	}
	if !strings.Contains(rawURL, "://") {
		return openFile(rawURL, rawURL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, &FetchError{URL: rawURL, Err: err}
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		// url.Error repeats the method and URL, which the caller names.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, &FetchError{URL: rawURL, Err: err}
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, &FetchError{URL: rawURL, Status: resp.Status, Code: resp.StatusCode}
	}
	return resp.Body, nil
}

func openFile(rawURL, path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, &FetchError{URL: rawURL, Status: "no such file", Code: http.StatusNotFound}
	}
	if err != nil {
		return nil, &FetchError{URL: rawURL, Err: err}
	}
	return f, nil
}

// Fetch reads a URL (http, https, file or a plain path) whole, up to limit
// bytes. Its errors are *[FetchError].
func Fetch(ctx context.Context, rawURL string, limit int64) ([]byte, error) {
	body, err := open(ctx, rawURL)
	if err != nil {
		return nil, err
	}
	defer body.Close()
	data, err := io.ReadAll(io.LimitReader(body, limit+1))
	if err != nil {
		return nil, &FetchError{URL: rawURL, Err: err}
	}
	if int64(len(data)) > limit {
		return nil, &FetchError{URL: rawURL, Err: fmt.Errorf("larger than %d bytes", limit)}
	}
	return data, nil
}
