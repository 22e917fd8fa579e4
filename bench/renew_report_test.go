package main

import "testing"

// -renew-only replaces its own section and nothing else, or adds it
// before the TLS section the first time.
func TestSpliceSection(t *testing.T) {
	sec := renewHeading + "\n\nnew rows\n"
	md := "# t\n\n## Speed\n\nx\n\n## TLS grade of the result\n\ny\n"
	once := spliceSection(md, renewHeading, sec, "## TLS grade of the result")
	want := "# t\n\n## Speed\n\nx\n\n" + sec + "\n## TLS grade of the result\n\ny\n"
	if once != want {
		t.Fatalf("insert:\n%q\nwant\n%q", once, want)
	}
	sec2 := renewHeading + "\n\nnewer rows\n"
	twice := spliceSection(once, renewHeading, sec2, "## TLS grade of the result")
	want = "# t\n\n## Speed\n\nx\n\n" + sec2 + "\n## TLS grade of the result\n\ny\n"
	if twice != want {
		t.Fatalf("replace:\n%q\nwant\n%q", twice, want)
	}
}
