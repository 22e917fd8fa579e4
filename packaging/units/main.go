// Command units writes the renewal units (httpsify-renew.service and
// .timer) for the httpsify binary at -bin into -out, rendered by
// provision/schedule as httpsify apply renders them:
//
//	go run ./packaging/units -bin /usr/local/bin/httpsify -out dist/units
//
// make install ships them, disabled: the first apply enables the timer.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/httpsify/httpsify/provision/schedule"
)

func main() {
	bin := flag.String("bin", "", "absolute path of httpsify as installed (without DESTDIR)")
	out := flag.String("out", "", "directory to write the unit files into")
	flag.Parse()
	if err := write(*bin, *out); err != nil {
		fmt.Fprintln(os.Stderr, "units:", err)
		os.Exit(1)
	}
}

func write(bin, out string) error {
	if out == "" {
		return fmt.Errorf("-out: a directory is needed")
	}
	units, err := schedule.Units(bin)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, u := range units {
		if err := os.WriteFile(filepath.Join(out, u.Name), u.Body, 0o644); err != nil {
			return err
		}
	}
	return nil
}
