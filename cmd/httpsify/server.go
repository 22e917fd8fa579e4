package main

import (
	"github.com/httpsify/httpsify/provision"
	"github.com/httpsify/httpsify/provision/nginx"
)

// webServer is the server implementation httpsify drives: nginx, the
// only one so far (the engine reaches it through provision.Server).
func webServer() provision.Server { return nginx.Server{} }
