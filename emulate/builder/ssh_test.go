//go:build linux

package builder

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rehearse-dev/rehearse/fixtures/buildkittest"
)

// TestConnectSSH connects through BuildKit's ssh:// helper, which runs the
// real ssh client, to a loopback sshd started here, whose authorized key
// forces `buildctl --addr unix://<shared daemon> dial-stdio`. The ssh
// client reads its settings from the passwd home's ~/.ssh, never from
// $HOME, so a wrapper named ssh first on PATH adds `-F <test config>`
// (key, port, known host) and nothing of the real ~/.ssh is read or
// touched.
func TestConnectSSH(t *testing.T) {
	slow(t)
	sock := sharedSocket(t)
	sshd, err := exec.LookPath("sshd")
	if err != nil {
		for _, p := range []string{"/usr/sbin/sshd", "/usr/local/sbin/sshd"} {
			if isExecutable(p) {
				sshd, err = p, nil
			}
		}
	}
	if err != nil {
		buildkittest.Unavailable(t, "sshd is not installed (apt-get install openssh-server)")
	}
	realSSH, err := exec.LookPath("ssh")
	if err != nil {
		buildkittest.Unavailable(t, "the ssh client is not installed (apt-get install openssh-client)")
	}
	if os.Geteuid() != 0 {
		buildkittest.Unavailable(t, "the loopback sshd runs as root")
	}
	me, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	keygen := func(name string) string {
		p := filepath.Join(dir, name)
		if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", p).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v\n%s", err, out)
		}
		pub, err := os.ReadFile(p + ".pub")
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(pub))
	}
	hostPub, userPub := keygen("host_key"), keygen("user_key")
	forced := fmt.Sprintf(`command="%s --addr unix://%s dial-stdio",no-pty,no-port-forwarding,no-agent-forwarding,no-X11-forwarding `, buildctlPath(t), sock)
	write := func(name, text string, perm os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), perm); err != nil {
			t.Fatal(err)
		}
		return p
	}
	authorized := write("authorized_keys", forced+userPub+"\n", 0o600)
	port := freePort(t)
	sshdConfig := write("sshd_config", strings.Join([]string{
		fmt.Sprintf("Port %d", port),
		"ListenAddress 127.0.0.1",
		"HostKey " + filepath.Join(dir, "host_key"),
		"PidFile " + filepath.Join(dir, "sshd.pid"),
		"AuthorizedKeysFile " + authorized,
		"StrictModes no",
		"UsePAM no",
		"PasswordAuthentication no",
		"KbdInteractiveAuthentication no",
		"PubkeyAuthentication yes",
		"PermitRootLogin prohibit-password",
		"LogLevel VERBOSE",
	}, "\n")+"\n", 0o600)
	// sshd refuses to start without its privilege separation directory.
	if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
		t.Fatal(err)
	}
	sshdLog := filepath.Join(dir, "sshd.log")
	cmd := exec.Command(sshd, "-D", "-e", "-f", sshdConfig, "-E", sshdLog)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
		if t.Failed() {
			data, _ := os.ReadFile(sshdLog)
			t.Logf("sshd log:\n%s", data)
		}
	})
	waitTCP(t, fmt.Sprintf("127.0.0.1:%d", port), 10*time.Second)

	knownHosts := write("known_hosts", fmt.Sprintf("[127.0.0.1]:%d %s\n", port, hostPub), 0o644)
	sshConfig := write("ssh_config", strings.Join([]string{
		"Host *",
		"  IdentityFile " + filepath.Join(dir, "user_key"),
		"  IdentitiesOnly yes",
		"  UserKnownHostsFile " + knownHosts,
		"  GlobalKnownHostsFile /dev/null",
		"  StrictHostKeyChecking yes",
		"  BatchMode yes",
		"  ConnectTimeout 5",
	}, "\n")+"\n", 0o644)
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	argsLog := filepath.Join(dir, "ssh.args")
	writeScript(t, filepath.Join(bin, "ssh"), fmt.Sprintf("printf '%%s\\n' \"$*\" >> '%s'\nexec '%s' -F '%s' \"$@\"\n", argsLog, realSSH, sshConfig))
	prependPath(t, bin)

	addr := fmt.Sprintf("ssh://%s@127.0.0.1:%d", me.Username, port)
	c, err := Connect(t.Context(), Address{Addr: addr})
	if err != nil {
		t.Fatal(err)
	}
	ws, err := c.ListWorkers(t.Context())
	c.Close()
	if err != nil || len(ws) == 0 {
		t.Fatalf("ListWorkers over ssh = %v, %v", ws, err)
	}
	want := fmt.Sprintf("-l %s -p %d -- 127.0.0.1 buildctl dial-stdio", me.Username, port)
	if calls := readLines(t, argsLog); !slices.Contains(calls, want) {
		t.Errorf("ssh was called with %q; want %q", calls, want)
	}

	t.Run("nothing listens", func(t *testing.T) {
		bad := fmt.Sprintf("ssh://%s@127.0.0.1:%d", me.Username, freePort(t))
		_, err := Connect(t.Context(), Address{Addr: bad})
		t.Log(err)
		var ue *UnreachableError
		if !errors.As(err, &ue) {
			t.Fatalf("error %v is not an *UnreachableError", err)
		}
		for _, w := range []string{"could not reach BuildKit at " + bad, "Connection refused", "check that `ssh -p"} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error %q does not contain %q", err, w)
			}
		}
	})
}
