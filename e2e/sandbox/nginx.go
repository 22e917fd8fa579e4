package sandbox

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// The main config mirrors Debian's /etc/nginx/nginx.conf, including the
// global ssl_protocols line that still enables TLSv1/TLSv1.1: httpsify has to
// cope with it, so it stays here on purpose. Relative includes (mime.types,
// proxy_params) resolve against the config's directory, as on Debian.
const nginxConfTmpl = `worker_processes auto;
pid {{DIR}}/nginx/nginx.pid;
error_log {{DIR}}/logs/nginx-error.log;

events {
	worker_connections 768;
}

http {
	##
	# Basic Settings
	##

	sendfile on;
	tcp_nopush on;
	types_hash_max_size 2048;

	include mime.types;
	default_type application/octet-stream;

	client_body_temp_path {{DIR}}/nginx/tmp/body;
	proxy_temp_path {{DIR}}/nginx/tmp/proxy;
	fastcgi_temp_path {{DIR}}/nginx/tmp/fastcgi;
	uwsgi_temp_path {{DIR}}/nginx/tmp/uwsgi;
	scgi_temp_path {{DIR}}/nginx/tmp/scgi;

	##
	# SSL Settings
	##

	ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3; # Dropping SSLv3, ref: POODLE
	ssl_prefer_server_ciphers on;

	##
	# Logging Settings
	##

	access_log {{DIR}}/logs/nginx-access.log;

	##
	# Virtual Host Configs
	##

	include {{DIR}}/nginx/conf.d/*.conf;
	include {{DIR}}/nginx/sites-enabled/*;
}
`

// The site as a classic "nginx reverse proxy" tutorial writes it.
const siteTmpl = `server {
	listen {{HTTP}};
	server_name {{DOMAIN}};

	location / {
		include proxy_params;
		proxy_pass http://unix:{{SOCK}};
	}
}
`

const proxyParams = `proxy_set_header Host $http_host;
proxy_set_header X-Real-IP $remote_addr;
proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
proxy_set_header X-Forwarded-Proto $scheme;
`

const mimeTypes = `types {
	text/html html htm shtml;
	text/css css;
	text/plain txt;
	application/javascript js;
	application/json json;
	image/png png;
	image/jpeg jpeg jpg;
	image/svg+xml svg;
}
`

func (s *Sandbox) writeNginxConfig() error {
	r := strings.NewReplacer(
		"{{DIR}}", s.Dir,
		"{{HTTP}}", fmt.Sprint(s.HTTPPort),
		"{{DOMAIN}}", s.Domain,
		"{{SOCK}}", s.AppSocket,
	)
	ndir := filepath.Dir(s.NginxConf)
	files := map[string]string{
		s.NginxConf:                         r.Replace(nginxConfTmpl),
		s.SiteFile:                          r.Replace(siteTmpl),
		filepath.Join(ndir, "proxy_params"): proxyParams,
		filepath.Join(ndir, "mime.types"):   mimeTypes,
	}
	for name, body := range files {
		if err := os.WriteFile(name, []byte(body), 0o644); err != nil {
			return err
		}
	}
	return os.Symlink(s.SiteFile, filepath.Join(ndir, "sites-enabled", "app"))
}

func (s *Sandbox) startNginx() error {
	bin, err := findBin("nginx", "/usr/sbin/nginx")
	if err != nil {
		return err
	}
	s.NginxBin = bin
	if out, err := exec.Command(bin, "-t", "-c", s.NginxConf).CombinedOutput(); err != nil {
		return fmt.Errorf("sandbox: nginx -t -c %s failed: %v\n%s", s.NginxConf, err, out)
	}
	// nginx daemonizes; its output goes to a file, not a pipe, because the
	// daemon would inherit a pipe and keep it open.
	logFile := filepath.Join(s.Dir, "logs", "nginx.log")
	f, err := os.Create(logFile)
	if err != nil {
		return err
	}
	cmd := exec.Command(bin, "-c", s.NginxConf)
	cmd.Stdout, cmd.Stderr, cmd.Env = f, f, childEnv()
	err = cmd.Run()
	f.Close()
	errLog := filepath.Join(s.Dir, "logs", "nginx-error.log")
	if err != nil {
		return fmt.Errorf("sandbox: nginx -c %s: %v\n%s\n%s", s.NginxConf, err, tail(logFile), tail(errLog))
	}
	if s.nginxPID, err = readPID(filepath.Join(s.Dir, "nginx", "nginx.pid")); err != nil {
		return fmt.Errorf("sandbox: nginx started but left no pid file: %v\n%s", err, tail(errLog))
	}
	return s.waitHTTP(errLog)
}

// waitHTTP waits until nginx answers a request for the site (any status).
func (s *Sandbox) waitHTTP(errLog string) error {
	c := s.HTTPClient()
	c.Timeout = 2 * time.Second
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := c.Get(fmt.Sprintf("http://%s:%d/", s.Domain, s.HTTPPort))
		if err == nil {
			resp.Body.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("sandbox: nginx not answering on port %d: %v; %s:\n%s", s.HTTPPort, err, errLog, tail(errLog))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stopNginx asks nginx to quit the way an admin would (nginx -s quit); if the
// config no longer parses (httpsify may have left it broken) it signals the
// master directly, and kills the group if a graceful quit hangs.
func (s *Sandbox) stopNginx() error {
	pid := s.nginxPID
	if p, err := readPID(filepath.Join(s.Dir, "nginx", "nginx.pid")); err == nil {
		pid = p
	}
	if pid == 0 || processGone(pid) {
		return nil
	}
	if s.NginxBin == "" || exec.Command(s.NginxBin, "-s", "quit", "-c", s.NginxConf).Run() != nil {
		syscall.Kill(pid, syscall.SIGQUIT)
	}
	return killNginx(pid)
}

// killNginx waits for the master to exit after a quit signal, then forces
// it: the master calls setsid, so its pid is the workers' process group.
func killNginx(pid int) error {
	if waitGone(pid, 10*time.Second) {
		return nil
	}
	syscall.Kill(-pid, syscall.SIGKILL)
	syscall.Kill(pid, syscall.SIGKILL)
	if waitGone(pid, 5*time.Second) {
		return nil
	}
	return fmt.Errorf("sandbox: nginx master %d did not exit", pid)
}
