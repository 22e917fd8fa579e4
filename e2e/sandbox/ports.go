package sandbox

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
)

// Port blocks for sandboxes: ten ports each, between 20000 and 32000 —
// below 32768, where Linux starts handing out ports for outgoing
// connections.
const (
	blockSize  = 10
	firstBlock = 20000
	blockCount = 1200
)

var (
	claimMu sync.Mutex
	claimed = map[int]*os.File{}
	cursor  = os.Getpid() % blockCount
)

// FreeBasePort claims a block of ten ports for this process and returns
// its first port. Test packages run in parallel processes, and other
// sandboxes may run beside them: a lock file per block (flock, held
// until the process exits) keeps test processes apart, and a listen check
// skips blocks something else is using. A process never gets a block
// twice.
func FreeBasePort() (int, error) {
	claimMu.Lock()
	defer claimMu.Unlock()
	dir := filepath.Join(os.TempDir(), "httpsify-sandbox-ports")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return 0, err
	}
	for range blockCount {
		cursor = (cursor + 1) % blockCount
		base := firstBlock + cursor*blockSize
		if claimed[base] != nil {
			continue
		}
		f, err := os.OpenFile(filepath.Join(dir, strconv.Itoa(base)), os.O_CREATE|os.O_RDWR, 0o600)
		if err != nil {
			return 0, err
		}
		if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil || !blockFree(base) {
			f.Close() // closing drops a lock we may hold
			continue
		}
		claimed[base] = f
		return base, nil
	}
	return 0, errors.New("sandbox: no free block of ports between 20000 and 32000")
}

// blockFree reports whether every port of the block is free (TCP, and UDP
// for the DNS servers).
func blockFree(base int) bool {
	for p := base; p < base+blockSize; p++ {
		l, err := net.Listen("tcp", fmt.Sprintf(":%d", p))
		if err != nil {
			return false
		}
		l.Close()
		u, err := net.ListenPacket("udp", fmt.Sprintf("127.0.0.1:%d", p))
		if err != nil {
			return false
		}
		u.Close()
	}
	return true
}
