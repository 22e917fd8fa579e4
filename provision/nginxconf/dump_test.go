package nginxconf

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func dumpOf(files ...File) []byte {
	var b strings.Builder
	for _, f := range files {
		b.WriteString("# configuration file " + f.Path + ":\n" + string(f.Content) + "\n")
	}
	return []byte(b.String())
}

func TestParseDumpHeaderScan(t *testing.T) {
	// Paths that do not exist on disk: boundaries come from the headers.
	want := []File{
		{"/nonexistent/nginx.conf", []byte("events {}\nhttp { include x.conf; }\n")},
		{"/nonexistent/empty.conf", []byte{}},
		{"/nonexistent/x.conf", []byte("server { listen 80; }")}, // no final newline
		{"/nonexistent/colon: name.conf", []byte("\n\n")},
	}
	got, err := ParseDump(dumpOf(want...))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}

func TestParseDumpFakeHeaderOnDisk(t *testing.T) {
	dir := t.TempDir()
	tricky := []byte("# configuration file /a:\nserver {\n# configuration file /x:\n    listen 80;\n}\n")
	p := filepath.Join(dir, "site.conf")
	if err := os.WriteFile(p, tricky, 0o644); err != nil {
		t.Fatal(err)
	}
	want := []File{
		{"/nonexistent/nginx.conf", []byte("http { include " + p + "; }\n")},
		{p, tricky},
		{"/nonexistent/after.conf", []byte("a;\n")},
	}
	for _, files := range [][]File{want, want[:2]} { // tricky file in the middle and last
		got, err := ParseDump(dumpOf(files...))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, files) {
			t.Fatalf("got %q\nwant %q", got, files)
		}
	}

	// Once the file changed on disk the header scan is all that is left, and
	// it is fooled: this documents why the disk check exists.
	if err := os.WriteFile(p, []byte("changed"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ParseDump(dumpOf(want...))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got[2].Path != "/x" {
		t.Errorf("header scan after change: %q", got)
	}
}

func TestParseDumpErrors(t *testing.T) {
	for _, in := range []string{
		"",
		"nginx: the configuration file syntax is ok\n",
		"# configuration file /a.conf:\n",    // truncated: no content newline
		"# configuration file /a.conf:\nabc", // truncated: missing nginx's "\n"
		"# configuration file :\nabc\n",      // empty path
		"# configuration file /a.conf\nabc\n",
	} {
		if files, err := ParseDump([]byte(in)); err == nil {
			t.Errorf("%q: no error, got %q", in, files)
		}
	}
}
