package sandbox

import (
	"os"
	"strings"
)

// StopApp stops the demo app and removes its socket, as an app that is
// not started yet (or crashed) would leave things.
func (s *Sandbox) StopApp() error {
	err := s.stopApp()
	s.app = nil
	return err
}

// PebbleOrders counts the certificate orders Pebble accepted so far, read
// from its own log ("Added order … to the db"): what a CA's rate limit
// counts.
func (s *Sandbox) PebbleOrders() (int, error) {
	if s.pebble == nil {
		return 0, nil
	}
	b, err := os.ReadFile(s.pebble.logFile)
	if err != nil {
		return 0, err
	}
	return strings.Count(string(b), "Added order "), nil
}
