package report

import (
	"strings"
	"testing"
)

// TestNetworkHint: the network failures of pip, curl, git, npm and wget,
// as they print them, are recognised; other failures are not.
func TestNetworkHint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tool, line string
		network    bool
	}{
		{"pip dns", "WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f>: Failed to establish a new connection: [Errno -3] Temporary failure in name resolution')': /simple/flake8/", true},
		{"pip refused", "WARNING: Retrying (Retry(total=0)) after connection broken by 'NewConnectionError(... Failed to establish a new connection: [Errno 111] Connection refused')': /simple/black/", true},
		{"pip timeout", "WARNING: Retrying (Retry(total=3)) after connection broken by 'ConnectTimeoutError(<pip._vendor.urllib3.connection.HTTPSConnection object>, 'Connection to pypi.org timed out. (connect timeout=15)')': /simple/mypy/", true},
		{"pip read timeout", "pip._vendor.urllib3.exceptions.ReadTimeoutError: HTTPSConnectionPool(host='files.pythonhosted.org', port=443): Read timed out.", true},
		{"curl dns", "curl: (6) Could not resolve host: example.invalid", true},
		{"curl refused", "curl: (7) Failed to connect to 127.0.0.1 port 9 after 0 ms: Couldn't connect to server", true},
		{"curl timeout", "curl: (28) Connection timed out after 5001 milliseconds", true},
		{"git dns", "fatal: unable to access 'https://github.com/o/r.git/': Could not resolve host: github.com", true},
		{"git ssh", "ssh: Could not resolve hostname github.com: Name or service not known", true},
		{"git refused", "fatal: unable to connect to github.com: github.com[0: 140.82.121.4]: errno=Connection refused", true},
		{"npm dns", "npm ERR! request to https://registry.npmjs.org/left-pad failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org", true},
		{"npm eai_again", "npm error code EAI_AGAIN", true},
		{"npm refused", "npm ERR! errno ECONNREFUSED", true},
		{"npm timeout", "npm ERR! code ETIMEDOUT", true},
		{"wget", "wget: unable to resolve host address 'example.invalid'", true},
		{"unreachable", "OSError: [Errno 101] Network is unreachable", true},
		{"go dns (setup-uv)", "##[error]astral-sh/setup-uv: could not download uv 0.5.4 from https://github.com/astral-sh/uv/releases/download/0.5.4/uv-x86_64-unknown-linux-gnu.tar.gz: dial tcp: lookup github.com on 10.255.255.53:53: no such host; to download uv from elsewhere ...", true},
		{"go timeout", "could not read the uv versions manifest https://raw.githubusercontent.com/astral-sh/versions/main/v1/uv.ndjson: dial tcp 185.199.108.133:443: i/o timeout", true},
		{"test failure", "FAILED tests/test_app.py::test_add - assert 3 == 4", false},
		{"exit code", "##[error]Process completed with exit code 1.", false},
		{"pip no version", "ERROR: No matching distribution found for pytest>=7.4.0", false},
	}
	for _, tc := range tests {
		t.Run(tc.tool, func(t *testing.T) {
			t.Parallel()
			got := NetworkHint([]string{"some output", tc.line, "##[error]Process completed with exit code 1."})
			if (got != "") != tc.network {
				t.Fatalf("NetworkHint = %q, want a hint: %v", got, tc.network)
			}
			if tc.network && !strings.Contains(got, "README: Offline") {
				t.Errorf("hint %q does not point at the offline settings", got)
			}
		})
	}
}
