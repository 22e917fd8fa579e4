package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/httpsify/httpsify/e2e/tlsgrade"
)

// Results is everything RESULTS.md reports.
type Results struct {
	Started, Finished           time.Time
	Runs                        int
	Bin                         Binaries
	Machine                     Machine
	HTTPSify, Certbot           []*Measure
	StartHTTPSify, StartCertbot time.Duration
	CertbotSize                 string
	Faults                      *Faults
	Renew                       *RenewFigures // renew with nothing due (issue 10)
}

func (r *Results) add(tool string, m *Measure) {
	if tool == "httpsify" {
		r.HTTPSify = append(r.HTTPSify, m)
	} else {
		r.Certbot = append(r.Certbot, m)
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func pick(ms []*Measure, f func(*Measure) time.Duration) []time.Duration {
	var out []time.Duration
	for _, m := range ms {
		out = append(out, f(m))
	}
	return out
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

func mib(kib int64) string { return fmt.Sprintf("%.0f MiB", float64(kib)/1024) }

// httpsifySteps are the output lines that start each step, in order.
var httpsifySteps = []struct{ marker, name string }{
	{"", "start → CA contacted (validate, lock, read nginx -T, plan)"},
	{"contacting ", "ACME directory and account registration"},
	{"letting nginx answer", "challenge location in: write, nginx -t, reload, self-check"},
	{"asking the CA", "ACME order: challenge, validation, finalize, download"},
	{"storing the certificate", "store certificate, take the challenge location out again"},
	{"writing ", "write the site and link the certificate, nginx -t, reload"},
	{"checking the site", "verify as a browser would (certificate, TLS versions, redirect, app)"},
}

// stepTimes returns, per step, the median time from its first line to the
// next step's (the last step ends at exit).
func stepTimes(ms []*Measure) []time.Duration {
	per := make([][]time.Duration, len(httpsifySteps))
	for _, m := range ms {
		at := make([]time.Duration, len(httpsifySteps)+1)
		for i, st := range httpsifySteps {
			if st.marker == "" {
				continue
			}
			for _, l := range m.Milestones {
				if strings.Contains(l.Line, st.marker) {
					at[i] = l.At
					break
				}
			}
		}
		at[len(httpsifySteps)] = m.CmdTime
		for i := range httpsifySteps {
			per[i] = append(per[i], at[i+1]-at[i])
		}
	}
	out := make([]time.Duration, len(per))
	for i := range per {
		out[i] = median(per[i])
	}
	return out
}

// Markdown renders RESULTS.md.
func (r *Results) Markdown() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	h := median(pick(r.HTTPSify, func(m *Measure) time.Duration { return m.Elapsed }))
	c := median(pick(r.Certbot, func(m *Measure) time.Duration { return m.Elapsed }))
	hRSS := medianKiB(r.HTTPSify)
	cRSS := medianKiB(r.Certbot)

	w("# httpsify and certbot, measured")
	w("")
	w("Written by `make bench` (`go run ./bench`) on %s, revision `%s`. Every number below comes from that run; rerun it to check them.", r.Finished.UTC().Format("2006-01-02 15:04 UTC"), orDash(r.Bin.Revision))
	w("")
	w("## Speed: from the command to a verified HTTPS site")
	w("")
	w("Median of %d runs per tool, each on a fresh sandbox (same nginx, same Pebble settings, the same plain-HTTP site).", r.Runs)
	w("")
	w("| | httpsify apply | certbot --nginx | httpsify / certbot |")
	w("|---|---:|---:|---:|")
	w("| command → site verified from outside (median) | **%s** | %s | **%.2f×** |", secs(h), secs(c), h.Seconds()/c.Seconds())
	w("| command → exit (median) | %s | %s | |", secs(median(pick(r.HTTPSify, func(m *Measure) time.Duration { return m.CmdTime }))), secs(median(pick(r.Certbot, func(m *Measure) time.Duration { return m.CmdTime }))))
	w("| fastest / slowest run | %s / %s | %s / %s | |", secs(minD(r.HTTPSify)), secs(maxD(r.HTTPSify)), secs(minD(r.Certbot)), secs(maxD(r.Certbot)))
	w("| peak memory during issuance (max RSS, median) | %s | %s | %.2f× |", mib(hRSS), mib(cRSS), float64(hRSS)/float64(cRSS))
	w("| requests to the CA per run (median) | %d | %d | |", medianInt(r.HTTPSify, func(m *Measure) int { return m.ACMECalls }), medianInt(r.Certbot, func(m *Measure) int { return m.ACMECalls }))
	w("| start-up: `--version` (median of 30) | %.1f ms | %.0f ms | %.3f× |", ms(r.StartHTTPSify), ms(r.StartCertbot), r.StartHTTPSify.Seconds()/r.StartCertbot.Seconds())
	w("| size on disk | %.1f MiB binary (%.1f MiB stripped: `-trimpath -ldflags=\"-s -w\"`), plus the DNS provider helper, run only for DNS-01 through a provider (%.1f MiB stripped); no runtime needed | %s | |", float64(r.Bin.Size)/(1<<20), float64(r.Bin.StrippedSize)/(1<<20), float64(r.Bin.HelperStrippedSize)/(1<<20), r.CertbotSize)
	w("| release binaries per architecture (`CGO_ENABLED=0 -trimpath -ldflags=\"-s -w\"`, as in the .deb) | %s | | |", r.Bin.releaseSizesText())
	w("")
	w("Every run, in order (seconds to a verified site; peak RSS):")
	w("")
	w("| run | httpsify | certbot |")
	w("|---:|---:|---:|")
	for i := range r.HTTPSify {
		w("| %d | %.2f (%s) | %.2f (%s) |", i+1, r.HTTPSify[i].Elapsed.Seconds(), mib(r.HTTPSify[i].MaxRSSKiB), r.Certbot[i].Elapsed.Seconds(), mib(r.Certbot[i].MaxRSSKiB))
	}
	w("")
	w("### Where httpsify's time goes")
	w("")
	w("Median time of each step, from the output line that starts it to the next one's.")
	w("")
	w("| step | median |")
	w("|---|---:|")
	for i, d := range stepTimes(r.HTTPSify) {
		w("| %s | %.0f ms |", httpsifySteps[i].name, ms(d))
	}
	w("")
	w("Most of a run is the ACME order, and most of that is waiting for the CA: httpsify asks for the challenge's status")
	w("again after 1 s (it supplies `Retry-After: 1` where the CA sends none; lego's own default is 5 s) and no sooner,")
	w("so it never polls a CA more than once a second. certbot pauses `--nginx-sleep-seconds` (default 1 s) after each of")
	w("its nginx reloads and waits for its own polling intervals; add Python's start-up and its parsing of the nginx configuration.")
	w("")
	if r.Renew != nil {
		b.WriteString(renewSection(r.Renew))
		w("")
	}
	r.tlsSection(w)
	r.faultSection(w)
	r.howSection(w)
	return b.String()
}

func (r *Results) tlsSection(w func(string, ...any)) {
	hg, cg := lastGrade(r.HTTPSify), lastGrade(r.Certbot)
	w("## TLS grade of the result")
	w("")
	if hg == nil || cg == nil {
		w("(not measured)")
		return
	}
	w("Graded with %s against each tool's finished site (the last run), plus a Go handshake that trusts only Pebble's root and takes the intermediates from what nginx sends. The same grader fails CI (`e2e/tlsgrade_test.go`) for httpsify's site.", hg.Tool)
	w("")
	w("| | httpsify | certbot |")
	w("|---|---|---|")
	w("| protocols offered | %s | %s |", strings.Join(hg.Offered(), ", "), strings.Join(cg.Offered(), ", "))
	w("| TLS 1.0 / 1.1 offered | %s | %s |", yesNo(hg.Protocols["TLSv1.0"] || hg.Protocols["TLSv1.1"]), yesNo(cg.Protocols["TLSv1.0"] || cg.Protocols["TLSv1.1"]))
	w("| TLS 1.3 offered | %s | %s |", yesNo(hg.Protocols["TLSv1.3"]), yesNo(cg.Protocols["TLSv1.3"]))
	w("| cipher suites accepted | %s | %s |", suites(hg), suites(cg))
	w("| non-AEAD suites | %d | %d |", count(hg, tlsgrade.AEAD), count(cg, tlsgrade.AEAD))
	w("| suites without ECDHE (before TLS 1.3) | %d | %d |", count(hg, tlsgrade.ForwardSecret), count(cg, tlsgrade.ForwardSecret))
	w("| TLS 1.3 key exchange groups | %s | %s |", strings.Join(hg.Groups, ", "), strings.Join(cg.Groups, ", "))
	w("| certificates sent / chain verifies | %d / %s | %d / %s |", hg.ChainSent, yesNo(hg.ChainErr == nil), cg.ChainSent, yesNo(cg.ChainErr == nil))
	w("| http → https redirect | %s | %s |", yesNo(lastRedirect(r.HTTPSify)), yesNo(lastRedirect(r.Certbot)))
	w("| problems found | %s | %s |", problems(hg), problems(cg))
	w("")
	if !lastRedirect(r.Certbot) {
		w("certbot's `--redirect` only rewrites server blocks that listen on port 80; the sandbox's site listens on port %d,", r.Certbot[len(r.Certbot)-1].HTTPPort)
		w("so certbot logs \"No matching insecure server blocks listening on port 80 found\" and plain http keeps serving the site.")
		w("httpsify redirects whatever the port, and keeps `/.well-known/acme-challenge/` on http for renewals.")
		w("")
	}
}

func (r *Results) faultSection(w func(string, ...any)) {
	w("## Faults")
	w("")
	f := r.Faults
	if f == nil {
		w("(not run: `-kill-trials 0`)")
		w("")
		return
	}
	k := f.Kill
	w("### SIGKILL at random moments of `httpsify apply`")
	w("")
	w("%s trials (seed %s), kill times spread evenly over a typical run of %s (trial i of n at a random point of the i-th n-th).", k["trials"], k["seed"], k["typical"])
	w("After every kill: `nginx -t` passed, the site served wholly the old or wholly the new configuration, and a plain rerun finished with a verified site.")
	w("")
	w("| after the kill | trials |")
	w("|---|---:|")
	w("| site wholly old (http from the app, nothing on https) | %s |", k["old"])
	w("| site wholly new (https with a trusted chain, http redirects) | %s |", k["new"])
	w("| anything else | %s |", k["mixed"])
	w("| `nginx -t` failed | 0 |")
	w("| the run had already finished when the kill came | %s |", k["finished_before_kill"])
	w("| the rerun rolled back the interrupted transaction first | %s |", k["recovered"])
	w("| the rerun finished and verified | %s |", k["rerun_ok"])
	w("")
	w("Where the kills landed (the last step the run had printed: count): %s.", strings.ReplaceAll(strings.Join(strings.Fields(f.Phases), ", "), ":", ": "))
	w("")
	w("### Every fault test")
	w("")
	w("`go test ./e2e -run '<name>' -v` reruns one; all of them ran in %.0f s here.", f.Took.Seconds())
	w("")
	w("| test | asserts | result | time |")
	w("|---|---|---|---:|")
	for _, t := range f.Results {
		what := t.What
		if strings.Contains(t.Name, "/") {
			what = "↳"
		}
		w("| `%s` | %s | %s | %.1f s |", t.Name, what, t.Action, t.Elapsed)
	}
	w("")
}

func (r *Results) howSection(w func(string, ...any)) {
	m := r.Machine
	w("## How this was measured")
	w("")
	w("- **Sandbox** (`e2e/sandbox`, started fresh for every run on loopback ports): a private nginx configured like Debian's")
	w("  (including its `ssl_protocols TLSv1 TLSv1.1 ...` line) with the classic tutorial site proxying to an app on a unix socket;")
	w("  Pebble with `PEBBLE_VA_NOSLEEP=1`, `PEBBLE_WFE_NONCEREJECT=0`, `PEBBLE_AUTHZREUSE=0`, and pebble-challtestsrv")
	w("  resolving every name to 127.0.0.1. No traffic leaves the machine.")
	w("- **httpsify**: `httpsify apply --domain www.example.test --email … --agree-tos --ca <Pebble> --ca-root <Pebble's listener CA> --nginx-conf … --nginx-bin /usr/sbin/nginx --http-port … --https-port … --state-dir … --yes`.")
	w("- **certbot** (Debian's): `certbot --nginx -c <empty cli.ini> --server <Pebble> --nginx-server-root <sandbox nginx dir> --nginx-ctl /usr/sbin/nginx --http-01-port … --https-port … -d www.example.test --non-interactive --agree-tos -m … --no-eff-email --redirect --config-dir/--work-dir/--logs-dir <under the sandbox> --no-random-sleep-on-renew`, with `REQUESTS_CA_BUNDLE` set to Pebble's listener CA.")
	w("- **Time**: wall clock from starting the command to the first moment an https request from outside (SNI www.example.test,")
	w("  trusting only Pebble's root) reaches the app; polled every 20 ms after the command exits. Both tools verify the same way.")
	w("- **Requests to the CA**: the ACME requests Pebble logged between the command's start and the verified site.")
	w("- **Peak memory**: `ru_maxrss` from wait4 for the command (the largest of it and the children it waited for, e.g. `nginx -t`).")
	w("- **Start-up**: `--version`, 3 warm-up runs then the median of 30.")
	w("- **TLS**: sslscan 2 (`--xml`), and Go's x509 verification of the chain nginx sends.")
	w("")
	w("| machine | |")
	w("|---|---|")
	w("| CPUs | %d × %s |", m.CPUs, orDash(m.CPUModel))
	w("| system | %s, %s |", orDash(m.Distro), orDash(m.Kernel))
	w("| nginx | %s |", orDash(m.Nginx))
	w("| certbot | %s |", orDash(m.Certbot))
	w("| Pebble | %s |", orDash(m.Pebble))
	w("| sslscan / OpenSSL | %s / %s |", orDash(m.Sslscan), orDash(m.OpenSSL))
	w("| httpsify built with | %s |", orDash(r.Bin.GoVersion))
	w("| bench took | %s |", r.Finished.Sub(r.Started).Round(time.Second))
}

func medianInt(ms []*Measure, f func(*Measure) int) int {
	var ds []time.Duration
	for _, m := range ms {
		ds = append(ds, time.Duration(f(m)))
	}
	return int(median(ds))
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func medianKiB(ms []*Measure) int64 {
	var ds []time.Duration
	for _, m := range ms {
		ds = append(ds, time.Duration(m.MaxRSSKiB))
	}
	return int64(median(ds))
}

func minD(ms []*Measure) time.Duration {
	return slices.Min(pick(ms, func(m *Measure) time.Duration { return m.Elapsed }))
}

func maxD(ms []*Measure) time.Duration {
	return slices.Max(pick(ms, func(m *Measure) time.Duration { return m.Elapsed }))
}

func lastGrade(ms []*Measure) *tlsgrade.Report {
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].Grade != nil {
			return ms[i].Grade
		}
	}
	return nil
}

func lastRedirect(ms []*Measure) bool { return len(ms) > 0 && ms[len(ms)-1].Redirect }

func suites(r *tlsgrade.Report) string {
	var s []string
	for _, c := range r.Ciphers {
		s = append(s, "`"+c.Name+"`")
	}
	return fmt.Sprintf("%d: %s", len(s), strings.Join(s, " "))
}

func count(r *tlsgrade.Report, ok func(tlsgrade.Cipher) bool) int {
	n := 0
	for _, c := range r.Ciphers {
		if !ok(c) {
			n++
		}
	}
	return n
}

func problems(r *tlsgrade.Report) string {
	if p := r.Problems(); len(p) > 0 {
		return strings.Join(p, "; ")
	}
	return "none"
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
