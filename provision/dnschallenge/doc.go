// Package dnschallenge solves ACME DNS-01 challenges for the engine: it
// builds a lego DNS provider from the catalog (assets/dnsproviders) and
// the user's credentials, stores those credentials for renewals, offers a
// manual mode that hands the TXT records to the UI instead of reading
// stdin, and checks propagation on the zone's authoritative servers with
// per-record progress.
//
// It imports no UI and knows nothing of the wizard: everything the user
// must see arrives as an Event through a callback. The engine's Challenge
// seam wraps it: OpenProvider (lego's provider, run in the helper
// process: see package dnshelper) or NewManual gives the provider, and
// Propagation.Setup gives what to hand to lego's SetDNS01Provider.
package dnschallenge
