package sandbox

import "testing"

// testBase claims a block of ports for one sandbox of these tests.
func testBase(t testing.TB) int {
	t.Helper()
	base, err := FreeBasePort()
	if err != nil {
		t.Fatal(err)
	}
	return base
}
