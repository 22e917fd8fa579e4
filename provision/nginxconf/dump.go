package nginxconf

import (
	"bytes"
	"errors"
	"fmt"
	"os"
)

// File is one configuration file as nginx read it.
type File struct {
	Path    string
	Content []byte
}

// dumpHeader starts every file section of `nginx -T` output. nginx writes
// "# configuration file <name>:\n", the file bytes, then one "\n"
// (src/core/nginx.c), and never escapes the content.
const dumpHeader = "# configuration file "

// ParseDump splits the stdout of `nginx -T` into files, in the order nginx
// read them.
//
// Because nginx does not escape file contents, a file may itself contain a
// line that looks like a header (e.g. in a comment). For each section the
// bytes of the file on disk are therefore preferred when the dump continues
// with exactly those bytes + "\n" followed by the next header or the end;
// only when that check fails (file gone, changed, unreadable) is the next
// header-looking line taken as the boundary.
func ParseDump(out []byte) ([]File, error) {
	if len(out) == 0 {
		return nil, errors.New("nginx -T output is empty")
	}
	if _, _, ok := headerAt(out, 0); !ok {
		return nil, errors.New(`nginx -T output does not start with "# configuration file <path>:"`)
	}
	var files []File
	pos := 0
	for pos < len(out) {
		path, body, ok := headerAt(out, pos)
		if !ok {
			// Only reachable after a disk match, which checks for a header.
			return nil, fmt.Errorf("nginx -T output: expected a file header at byte %d", pos)
		}
		if content, next, ok := diskSection(out, path, body); ok {
			files = append(files, File{Path: path, Content: content})
			pos = next
			continue
		}
		end := nextHeader(out, body)
		if end < 0 {
			// Last file: its content is followed by nginx's single "\n".
			if body >= len(out) || out[len(out)-1] != '\n' {
				return nil, fmt.Errorf("nginx -T output is truncated in %s", path)
			}
			end = len(out) - 1
		}
		files = append(files, File{Path: path, Content: bytes.Clone(out[body:end])})
		pos = end + 1
	}
	return files, nil
}

// headerAt reports whether a complete header line starts at i, returning the
// path it names and the offset of the first content byte.
func headerAt(out []byte, i int) (path string, body int, ok bool) {
	if !bytes.HasPrefix(out[i:], []byte(dumpHeader)) {
		return "", 0, false
	}
	nl := bytes.IndexByte(out[i:], '\n')
	if nl < 0 {
		return "", 0, false
	}
	line := out[i+len(dumpHeader) : i+nl]
	if len(line) < 2 || line[len(line)-1] != ':' {
		return "", 0, false
	}
	return string(line[:len(line)-1]), i + nl + 1, true
}

// nextHeader returns the offset of the "\n" that nginx appended after the
// content starting at body, judged only by the next header-looking line, or
// -1 when no header follows.
func nextHeader(out []byte, body int) int {
	sep := []byte("\n" + dumpHeader)
	for from := body; from < len(out); {
		j := bytes.Index(out[from:], sep)
		if j < 0 {
			return -1
		}
		nl := from + j
		if _, _, ok := headerAt(out, nl+1); ok {
			return nl
		}
		from = nl + 1
	}
	return -1
}

// diskSection checks whether the section starting at body is exactly the
// current on-disk content of path plus nginx's "\n", followed by the end of
// the dump or another header. It returns the content and the next offset.
func diskSection(out []byte, path string, body int) ([]byte, int, bool) {
	fi, err := os.Stat(path)
	// Only regular files: a device or FIFO path must not block or flood us.
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > int64(len(out)-body-1) {
		return nil, 0, false
	}
	disk, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, false
	}
	end := body + len(disk)
	if end >= len(out) || out[end] != '\n' || !bytes.Equal(out[body:end], disk) {
		return nil, 0, false
	}
	next := end + 1
	if next != len(out) {
		if _, _, ok := headerAt(out, next); !ok {
			return nil, 0, false
		}
	}
	return disk, next, true
}
