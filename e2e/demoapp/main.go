// Command demoapp serves the sandbox's demo app on a unix socket, for
// running the app on its own (`sandbox up` serves it in-process).
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/httpsify/httpsify/e2e/sandbox"
)

func main() {
	socket := flag.String("socket", "/tmp/httpsify-demo/app/app.sock", "unix socket to listen on")
	flag.Parse()
	l, err := sandbox.ListenApp(*socket)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Handler: sandbox.DemoHandler()}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() { <-ctx.Done(); srv.Shutdown(context.Background()) }()
	log.Printf("demo app listening on %s", *socket)
	if err := srv.Serve(l); !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
	// Serve removed the socket file when the listener closed.
}
