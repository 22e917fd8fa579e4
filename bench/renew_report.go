package main

import (
	"fmt"
	"os"
	"strings"
	"time"
)

// renewHeading starts the renew rows' section of RESULTS.md; -renew-only
// replaces that section alone.
const renewHeading = "## Renew with nothing due"

// renewSection renders the renew rows.
func renewSection(f *RenewFigures) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("%s", renewHeading)
	w("")
	runs := 0
	if len(f.Rows) > 0 {
		runs = f.Rows[0].Runs
	}
	w("Each command run as a real process over synthetic state where nothing is due: a warm-up round, then %d rounds that", runs)
	w("run every row once in turn (so a busy moment weighs on all rows alike); the median is reported.")
	w("Measured by `go run ./bench -renew-only` on %s, revision `%s`; load average at the start %s (2 cores, shared).", f.Finished.UTC().Format("2006-01-02 15:04 UTC"), orDash(f.Revision), orDash(f.Load))
	w("")
	w("| | sites | median | fastest / slowest | per site | connect() to an IP address |")
	w("|---|---:|---:|---:|---:|---:|")
	for _, r := range f.Rows {
		traced := fmt.Sprint(r.InetConnects)
		if !r.TracedWithStrace {
			traced = "not traced (no strace)"
		}
		w("| `%s` | %d | **%s** | %s / %s | %s | %s |", r.Tool, r.Sites, msStr(r.Median), msStr(r.Min), msStr(r.Max), msStr(r.Median/time.Duration(r.Sites)), traced)
	}
	w("")
	w("- **httpsify**: `httpsify renew --state-dir <dir>` over N sites as apply leaves them: a stored request whose CA is")
	w("  `%s` (a loopback port nothing listens on), a certificate version (90 days, issued an hour before) linked from", deadCA)
	w("  `live/`, and the CA's renewal information (ARI) cached with a window 50 days ahead and a Retry-After of 6 hours.")
	w("  Every run is checked: exit 0, every site `not-due` in `renewals.json` with no warning (a failed ARI fetch is one).")
	w("- **certbot** (%s, Debian's): `certbot renew -c <empty cli.ini> --config-dir … --work-dir … --logs-dir … --no-random-sleep-on-renew", orDash(f.CertbotVersion))
	w("  --non-interactive` over %d lineages laid out as `certbot --nginx` leaves them (`live/` links into `archive/`,", certbotLineages)
	w("  `renewal/NAME.conf` with the nginx authenticator and installer, the same dead CA). Every run is checked: exit 0 and")
	w("  \"Certificate not yet due for renewal\" for each lineage. This certbot has no ARI; it asks OCSP only for certificates")
	w("  naming an OCSP responder, and these (like Let's Encrypt's since 2025) name none.")
	w("- **No network**: each setup is run once more under `strace -f -e trace=connect`; the last column counts its connect()")
	w("  calls to IPv4/IPv6 addresses (unix sockets are not counted). Any count above 0 fails the bench.")
	w("- `go test -run '^$' -bench BenchmarkRenewNothingDue ./provision` (run by `make bench`) times the same check in process.")
	return b.String()
}

func msStr(d time.Duration) string {
	if d >= time.Second {
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
	return fmt.Sprintf("%.1f ms", ms(d))
}

// spliceSection replaces the section starting at heading in md (up to
// the next "## " heading) with section, or inserts it before the heading
// before, when md has none.
func spliceSection(md, heading, section, before string) string {
	if !strings.HasSuffix(section, "\n") {
		section += "\n"
	}
	if i := strings.Index(md, heading+"\n"); i >= 0 {
		rest := md[i+len(heading)+1:]
		end := len(md)
		if j := strings.Index(rest, "\n## "); j >= 0 {
			end = i + len(heading) + 1 + j + 1
		}
		return md[:i] + section + "\n" + strings.TrimLeft(md[end:], "\n")
	}
	if i := strings.Index(md, before); i >= 0 {
		return md[:i] + section + "\n" + md[i:]
	}
	return strings.TrimRight(md, "\n") + "\n\n" + section
}

// renewOnly measures the renew rows and rewrites only their section of out.
func renewOnly(runs int, out string) error {
	if runs < 1 || runs > 50 {
		return fmt.Errorf("-runs %d: want 1 to 50", runs)
	}
	work, err := os.MkdirTemp("", "httpsify-bench-renew-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	logf("building httpsify")
	bin, rev, err := buildHTTPSify(work)
	if err != nil {
		return err
	}
	f, err := renewFigures(bin, work, runs)
	if err != nil {
		return err
	}
	f.Revision = rev
	md, err := os.ReadFile(out)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	if err := os.WriteFile(out, []byte(spliceSection(string(md), renewHeading, renewSection(f), "## TLS grade of the result")), 0o644); err != nil {
		return err
	}
	logf("wrote the renew rows into %s", out)
	return nil
}
