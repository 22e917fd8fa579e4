package provision

import (
	"slices"
	"strings"

	"github.com/httpsify/httpsify/provision/statedir"
)

// SiteNamed is the primary name of the managed site that serves name: the
// site stored under it, or the one whose certificate lists it (a user
// types "*.example.com" or "www.example.com" for the site stored as
// "example.com"). It is "" when no managed site has the name.
func SiteNamed(l statedir.Layout, name string) (string, error) {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	sites, err := StoredSites(l)
	if err != nil {
		return "", err
	}
	if slices.Contains(sites, name) {
		return name, nil
	}
	for _, primary := range sites {
		req, err := LoadRequest(l, primary)
		if err != nil {
			continue // an unreadable request is reported by the command that loads it
		}
		if slices.Contains(req.Domains, name) {
			return primary, nil
		}
	}
	return "", nil
}
