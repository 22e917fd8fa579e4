package main

import (
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// Machine describes where the figures were taken.
type Machine struct {
	CPUs                     int
	CPUModel, Kernel, Distro string
	Nginx, Certbot, Pebble   string
	Sslscan, OpenSSL         string
}

func machineInfo() Machine {
	m := Machine{CPUs: runtime.NumCPU()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
	}
	m.Kernel = cmdOut("uname", "-sr")
	if b, err := os.ReadFile("/etc/os-release"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "PRETTY_NAME="); ok {
				m.Distro = strings.Trim(v, `"`)
			}
		}
	}
	m.Nginx = strings.TrimPrefix(cmdOut("nginx", "-v"), "nginx version: ")
	m.Certbot = cmdOut("certbot", "--version")
	m.Sslscan = firstLine(strings.TrimSpace(stripANSI(cmdOut("sslscan", "--version"))))
	m.OpenSSL = cmdOut("openssl", "version")
	for _, l := range strings.Split(cmdOut("sh", "-c", `go version -m "$(command -v pebble || echo "$(go env GOPATH)/bin/pebble")"`), "\n") {
		if f := strings.Fields(l); len(f) >= 3 && f[0] == "mod" {
			m.Pebble = f[1] + " " + f[2]
		}
	}
	return m
}

func cmdOut(name string, args ...string) string {
	out, _ := exec.Command(name, args...).CombinedOutput()
	return strings.TrimSpace(string(out))
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return strings.TrimSpace(l)
}

// stripANSI drops colour escapes (sslscan --version has no --no-colour).
func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b {
			for i < len(s) && s[i] != 'm' {
				i++
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
