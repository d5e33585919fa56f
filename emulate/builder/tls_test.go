//go:build linux

package builder

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// certs are PEM files of a test PKI.
type certs struct {
	ca, serverCert, serverKey, clientCert, clientKey string
	// otherCA signed nothing here.
	otherCA string
}

// makeCerts makes a CA, a server certificate for 127.0.0.1 and a client
// certificate, all signed by the CA, and a second, unrelated CA.
func makeCerts(t *testing.T, dir string) certs {
	t.Helper()
	newKey := func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	write := func(name, typ string, der []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	writeKey := func(name string, k *ecdsa.PrivateKey) string {
		der, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return write(name, "PRIVATE KEY", der)
	}
	serial := int64(1)
	sign := func(tmpl, parent *x509.Certificate, pub *ecdsa.PublicKey, signer *ecdsa.PrivateKey) *x509.Certificate {
		serial++
		tmpl.SerialNumber = big.NewInt(serial)
		tmpl.NotBefore = time.Now().Add(-time.Hour)
		tmpl.NotAfter = time.Now().Add(24 * time.Hour)
		if parent == nil {
			parent = tmpl
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
		if err != nil {
			t.Fatal(err)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	newCA := func(name string) (*x509.Certificate, *ecdsa.PrivateKey, string) {
		k := newKey()
		c := sign(&x509.Certificate{Subject: pkix.Name{CommonName: name}, IsCA: true, BasicConstraintsValid: true,
			KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}, nil, &k.PublicKey, k)
		return c, k, write(name+".pem", "CERTIFICATE", c.Raw)
	}
	var out certs
	ca, caKey, caFile := newCA("rehearse-test-ca")
	out.ca = caFile
	_, _, out.otherCA = newCA("other-ca")
	sk := newKey()
	sc := sign(&x509.Certificate{Subject: pkix.Name{CommonName: "buildkitd"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames: []string{"localhost"}, KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}},
		ca, &sk.PublicKey, caKey)
	out.serverCert, out.serverKey = write("server.pem", "CERTIFICATE", sc.Raw), writeKey("server-key.pem", sk)
	ck := newKey()
	cc := sign(&x509.Certificate{Subject: pkix.Name{CommonName: "rehearse"}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}, ca, &ck.PublicKey, caKey)
	out.clientCert, out.clientKey = write("client.pem", "CERTIFICATE", cc.Raw), writeKey("client-key.pem", ck)
	return out
}

// startTestDaemon starts a buildkitd of its own with its state in dir
// and the given --addr/TLS flags, stopped when the test ends.
func startTestDaemon(t *testing.T, dir string, args ...string) {
	t.Helper()
	needRootDaemon(t)
	bin := buildkitdPath(t)
	cfg := filepath.Join(dir, "buildkitd.toml")
	if err := os.WriteFile(cfg, daemonConfig{OTELSocket: filepath.Join(dir, "otel.sock")}.render(), 0o644); err != nil {
		t.Fatal(err)
	}
	log, err := os.Create(filepath.Join(dir, "buildkitd.log"))
	if err != nil {
		t.Fatal(err)
	}
	all := append([]string{"--root", filepath.Join(dir, "root"), "--config", cfg, "--oci-worker=true", "--containerd-worker=false",
		"--oci-worker-snapshotter=native", "--oci-worker-net=host"}, args...)
	cmd := exec.Command(bin, all...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		log.Close()
		if t.Failed() {
			data, _ := os.ReadFile(log.Name())
			t.Logf("buildkitd log:\n%s", data)
		}
	})
}

// TestConnectTCPTLS starts buildkitd on tcp://127.0.0.1 with mutual TLS and
// connects with the right, missing and wrong certificates.
func TestConnectTCPTLS(t *testing.T) {
	slow(t)
	t.Parallel()
	dir := t.TempDir()
	c := makeCerts(t, dir)
	port := freePort(t)
	addr := fmt.Sprintf("tcp://127.0.0.1:%d", port)
	startTestDaemon(t, dir, "--addr", addr, "--tlscacert", c.ca, "--tlscert", c.serverCert, "--tlskey", c.serverKey)
	waitTCP(t, fmt.Sprintf("127.0.0.1:%d", port), 30*time.Second)

	t.Run("mutual TLS", func(t *testing.T) {
		cl, err := Connect(t.Context(), Address{Addr: addr, CA: c.ca, Cert: c.clientCert, Key: c.clientKey})
		if err != nil {
			t.Fatal(err)
		}
		defer cl.Close()
		ws, err := cl.ListWorkers(t.Context())
		if err != nil || len(ws) == 0 {
			t.Fatalf("ListWorkers = %v, %v", ws, err)
		}
	})
	t.Run("server name given", func(t *testing.T) {
		cl, err := Connect(t.Context(), Address{Addr: addr, CA: c.ca, Cert: c.clientCert, Key: c.clientKey, ServerName: "localhost"})
		if err != nil {
			t.Fatal(err)
		}
		cl.Close()
	})
	failures := []struct {
		what string
		a    Address
		want string
	}{
		{"plain text to a TLS daemon", Address{Addr: addr}, "could not reach BuildKit at " + addr},
		{"no client certificate", Address{Addr: addr, CA: c.ca}, "could not reach BuildKit at " + addr},
		{"another CA", Address{Addr: addr, CA: c.otherCA, Cert: c.clientCert, Key: c.clientKey}, "certificate signed by unknown authority"},
		{"wrong server name", Address{Addr: addr, CA: c.ca, Cert: c.clientCert, Key: c.clientKey, ServerName: "builder.example"}, "builder.example"},
	}
	for _, tc := range failures {
		t.Run(tc.what, func(t *testing.T) {
			start := time.Now()
			cl, err := Connect(t.Context(), tc.a)
			if err == nil {
				cl.Close()
				t.Fatal("Connect succeeded")
			}
			t.Log(err)
			var ue *UnreachableError
			if !errors.As(err, &ue) {
				t.Fatalf("error %v is not an *UnreachableError", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
			if d := time.Since(start); d > ConnectTimeout+time.Second {
				t.Errorf("took %s, more than ConnectTimeout", d)
			}
		})
	}
}
