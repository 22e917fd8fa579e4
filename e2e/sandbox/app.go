package sandbox

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"
)

// DemoHandler is the app behind nginx. It echoes the proxy headers so tests
// can see what nginx passed on (e.g. X-Forwarded-Proto after httpsify).
func DemoHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/upload", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		n, err := io.Copy(io.Discard, r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "%d\n", n)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "Hello from the demo app\nX-Forwarded-Proto: %s\nHost: %s\n",
			r.Header.Get("X-Forwarded-Proto"), r.Host)
	})
	return mux
}

// ListenApp listens on a unix socket that nginx workers (user nobody) may
// connect to, replacing a stale socket file.
func ListenApp(socket string) (net.Listener, error) {
	os.Remove(socket)
	l, err := net.Listen("unix", socket)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(socket, 0o666); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

func (s *Sandbox) startApp() error {
	l, err := ListenApp(s.AppSocket)
	if err != nil {
		return fmt.Errorf("sandbox: demo app: %w", err)
	}
	s.app = &http.Server{Handler: DemoHandler(), ReadHeaderTimeout: 10 * time.Second}
	go s.app.Serve(l)
	return nil
}

func (s *Sandbox) stopApp() error {
	if s.app == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.app.Shutdown(ctx)
	if err != nil {
		s.app.Close()
	}
	os.Remove(s.AppSocket)
	return err
}
