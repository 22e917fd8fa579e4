package provision

// Options returns the answers that validate to this request again on
// host h: what the wizard's "change" starts from, so every question comes
// pre-filled with what the site was deployed with. The secrets that are
// never stored (EAB, DNS credential values) are not in it.
func (r *Request) Options(h Host) Options {
	o := Options{
		Domains: append([]string(nil), r.Domains...), Email: r.Email, AgreeTOS: r.AgreeTOS,
		Challenge: r.Challenge, CA: r.CADirectory, CARoot: r.CARoot, KeyType: r.KeyType,
		TLSProfile: r.TLSProfile, HSTS: r.HSTS, NoHTTP2: !r.HTTP2, ClientMaxBodySize: r.BodySize,
		CertFile: r.CertFile, KeyFile: r.KeyFile, ChainFile: r.ChainFile,
		DNSProvider: r.DNSProvider, DNSCredentialsFile: r.DNSCredentialsFile,
		DNSResolvers: append([]string(nil), r.DNSResolvers...), DNSTimeout: r.DNSTimeout, DNSNSPort: r.DNSNSPort,
		ACMEProfile: r.ACMEProfile, DeployHook: r.DeployHook,
		StateDir: h.StateDir, ChallengeDir: h.ChallengeDir, NginxConf: h.NginxConf, NginxBin: h.NginxBin,
		HTTPPort: h.HTTPPort, HTTPSPort: h.HTTPSPort,
	}
	if r.Upstream != nil {
		o.Upstream = r.Upstream.String()
	}
	if r.CertDirGiven {
		o.CertDir = r.CertDir
	}
	return o
}
