package schedule

import (
	"bytes"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"strconv"
	"text/template"

	"github.com/httpsify/httpsify/assets"
	"github.com/httpsify/httpsify/assets/i18n"
)

// BinaryError is an httpsify path that cannot go into a unit file or a
// cron line as it is.
type BinaryError struct{ Path string }

func (e *BinaryError) Error() string {
	return i18n.T("schedule: binary path %q must be absolute and contain only letters, digits and / . _ + -", e.Path)
}

// safePath keeps the path free of anything systemd or cron would read as
// quoting, a specifier (%), a variable ($) or a second command.
var safePath = regexp.MustCompile(`^/[A-Za-z0-9/._+-]*$`)

func checkBinary(bin string) error {
	if !safePath.MatchString(bin) || filepath.Clean(bin) != bin {
		return &BinaryError{Path: bin}
	}
	return nil
}

// cronTimes is when the cron line runs: minute M of hours H and H+12.
type cronTimes struct{ Minute, Hour int }

func randomCronTimes() cronTimes {
	return cronTimes{Minute: rand.IntN(60), Hour: rand.IntN(12)}
}

// cronLine finds the times in a cron file this package wrote, so that a
// reinstall keeps them and writes nothing.
var cronLine = regexp.MustCompile(`(?m)^([0-9]{1,2}) ([0-9]{1,2}),([0-9]{1,2}) \* \* \* root `)

func parseCronTimes(b []byte) (cronTimes, bool) {
	m := cronLine.FindSubmatch(b)
	if m == nil {
		return cronTimes{}, false
	}
	min, _ := strconv.Atoi(string(m[1]))
	h, _ := strconv.Atoi(string(m[2]))
	h2, _ := strconv.Atoi(string(m[3]))
	if min > 59 || h > 11 || h2 != h+12 {
		return cronTimes{}, false
	}
	return cronTimes{Minute: min, Hour: h}, true
}

func render(name string, data any) ([]byte, error) {
	t, err := template.ParseFS(assets.Schedule, name)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Unit is one systemd unit file, by name.
type Unit struct {
	Name string
	Body []byte
}

// Units renders httpsify-renew.service and .timer for the binary at bin
// (absolute): what Install writes, and what the Debian package and make
// install ship, from the same templates.
func Units(bin string) ([]Unit, error) {
	if err := checkBinary(bin); err != nil {
		return nil, err
	}
	svc, err := renderService(bin)
	if err != nil {
		return nil, err
	}
	tmr, err := renderTimer()
	if err != nil {
		return nil, err
	}
	return []Unit{{ServiceName, svc}, {TimerName, tmr}}, nil
}

func renderService(bin string) ([]byte, error) { return renderServiceFor(bin, "") }

// renderServiceFor renders the service renewing stateDir ("" is renew's
// default, as the package's units do).
func renderServiceFor(bin, stateDir string) ([]byte, error) {
	return render("systemd/httpsify-renew.service", struct{ Binary, StateDir string }{bin, stateDir})
}

func renderTimer() ([]byte, error) { return render("systemd/httpsify-renew.timer", nil) }

func renderCron(bin, stateDir string, t cronTimes) ([]byte, error) {
	return render("cron/httpsify-renew", struct {
		Binary, StateDir    string
		Minute, Hour, Hour2 int
	}{bin, stateDir, t.Minute, t.Hour, t.Hour + 12})
}

// StateDirError is a state dir that cannot go into a unit file or a cron
// line as it is.
type StateDirError struct{ Path string }

func (e *StateDirError) Error() string {
	return i18n.T("schedule: state dir %q must be absolute and contain only letters, digits and / . _ + -", e.Path)
}

// checkStateDir: "" (renew's default) or a path as safe as the binary's.
func checkStateDir(dir string) error {
	if dir != "" && (!safePath.MatchString(dir) || filepath.Clean(dir) != dir) {
		return &StateDirError{Path: dir}
	}
	return nil
}
