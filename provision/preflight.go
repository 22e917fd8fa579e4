package provision

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/httpsify/httpsify/provision/certstore"
	"github.com/httpsify/httpsify/provision/statedir"
	"github.com/httpsify/httpsify/provision/termtext"
)

// PortUse says who listens on a TCP port, as the wizard's first screen
// shows it: a port held by something other than nginx is the usual reason
// HTTP-01 fails.
type PortUse struct {
	Port      int
	Listening bool
	Process   string // command name, "" when unknown
	PID       int
}

// ManagedCert is a certificate httpsify installed under the state dir.
type ManagedCert struct {
	Dir      string // the live directory (a link to a version)
	Names    []string
	NotAfter time.Time
	Err      error // unreadable: shown, never fatal
}

// Preflight is what the wizard shows before asking anything.
type Preflight struct {
	HTTP, HTTPS PortUse
	Certs       []ManagedCert
}

// RunPreflight looks at the ports and the state dir. It only reads.
func RunPreflight(s *Host) *Preflight {
	return &Preflight{
		HTTP:  PortUser(s.HTTPPort),
		HTTPS: PortUser(s.HTTPSPort),
		Certs: ManagedCerts(s.StateDir),
	}
}

// PortUser finds the process listening on port through /proc (Linux);
// elsewhere, or without permission, Process stays empty.
func PortUser(port int) PortUse {
	u := PortUse{Port: port}
	inodes := map[string]bool{}
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		for _, ino := range listenInodes(f, port) {
			inodes[ino] = true
		}
	}
	if len(inodes) == 0 {
		u.Listening = Listening(port) // another network namespace view, say
		return u
	}
	u.Listening = true
	u.PID, u.Process = socketOwner(inodes)
	return u
}

// listenInodes returns the socket inodes of LISTEN entries on port.
func listenInodes(file string, port int) []string {
	f, err := os.Open(file)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 10 || fields[3] != "0A" { // 0A = TCP_LISTEN
			continue
		}
		_, hexPort, ok := strings.Cut(fields[1], ":")
		if !ok {
			continue
		}
		if p, err := strconv.ParseUint(hexPort, 16, 16); err == nil && int(p) == port {
			out = append(out, fields[9])
		}
	}
	return out
}

// socketOwner finds the lowest pid holding one of the socket inodes: for
// nginx that is the master, not a worker.
func socketOwner(inodes map[string]bool) (int, string) {
	procs, _ := filepath.Glob("/proc/[0-9]*")
	pids := make([]int, 0, len(procs))
	for _, p := range procs {
		if pid, err := strconv.Atoi(filepath.Base(p)); err == nil {
			pids = append(pids, pid)
		}
	}
	sort.Ints(pids)
	for _, pid := range pids {
		dir := "/proc/" + strconv.Itoa(pid)
		fds, err := os.ReadDir(dir + "/fd")
		if err != nil {
			continue
		}
		for _, fd := range fds {
			link, err := os.Readlink(dir + "/fd/" + fd.Name())
			if err != nil || !strings.HasPrefix(link, "socket:[") {
				continue
			}
			if inodes[strings.TrimSuffix(strings.TrimPrefix(link, "socket:["), "]")] {
				comm, _ := os.ReadFile(dir + "/comm")
				return pid, termtext.Line(strings.TrimSpace(string(comm))) // any user names their process
			}
		}
	}
	return 0, ""
}

// ManagedCerts lists the live certificates under <state>/live.
func ManagedCerts(stateDir string) []ManagedCert {
	live := statedir.Layout(stateDir).LiveRoot()
	entries, err := os.ReadDir(live)
	if err != nil {
		return nil
	}
	var out []ManagedCert
	for _, e := range entries {
		dir := filepath.Join(live, e.Name())
		c := ManagedCert{Dir: dir}
		if leaf, err := certstore.ReadLive(dir); err != nil {
			c.Err = err
		} else {
			c.NotAfter = leaf.NotAfter
			for _, n := range leaf.DNSNames {
				c.Names = append(c.Names, termtext.Line(n))
			}
		}
		out = append(out, c)
	}
	return out
}
