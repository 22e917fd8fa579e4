package assets

import "embed"

// Schedule holds the renewal schedule templates: the systemd timer and
// service ("systemd/httpsify-renew.timer", "systemd/httpsify-renew.service")
// and the cron.d file ("cron/httpsify-renew"), for provision/schedule.
//
//go:embed systemd/httpsify-renew.service systemd/httpsify-renew.timer cron/httpsify-renew
var Schedule embed.FS
