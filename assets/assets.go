// Package assets holds the templates and generated data that httpsify
// embeds into its binary, so a single file is all a server needs.
package assets

import "embed"

// FS holds every template, keyed by its path below this directory
// (for example "nginx/site.conf.tmpl").
//
//go:embed nginx/*.tmpl
var FS embed.FS
