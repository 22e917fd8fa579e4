package provision

import "testing"

func TestShellJoin(t *testing.T) {
	got := ShellJoin([]string{"httpsify", "apply", "--domain", "a.example", "--eab-hmac", EABPlaceholder, "--x", "it's here", ""})
	want := `httpsify apply --domain a.example --eab-hmac "$EAB_HMAC" --x 'it'\''s here' ''`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}
