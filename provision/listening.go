package provision

import (
	"net"
	"strconv"
	"time"
)

// Listening reports whether a TCP server answers on the port on loopback.
func Listening(port int) bool {
	c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), 300*time.Millisecond)
	if err != nil {
		return false
	}
	c.Close()
	return true
}
