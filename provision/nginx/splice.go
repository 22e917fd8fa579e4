package nginx

import (
	"fmt"
	"sort"
)

// splice replaces bytes [Start, End) of a file with Text.
type splice struct {
	Start, End int
	Text       string
}

// applySplices returns content with every splice applied. Splices must not
// overlap; they are applied from the end so offsets stay valid.
func applySplices(content []byte, sp []splice) ([]byte, error) {
	s := append([]splice(nil), sp...)
	// At one offset the wider edit goes first, so an insertion lands
	// before what follows a deleted line.
	sort.Slice(s, func(i, j int) bool {
		if s[i].Start != s[j].Start {
			return s[i].Start > s[j].Start
		}
		return s[i].End > s[j].End
	})
	out := append([]byte(nil), content...)
	prev := len(content) + 1
	for _, x := range s {
		if x.Start < 0 || x.End > len(content) || x.Start > x.End || x.End > prev {
			return nil, fmt.Errorf("internal error: overlapping or out-of-range edit [%d,%d)", x.Start, x.End)
		}
		out = append(out[:x.Start], append([]byte(x.Text), out[x.End:]...)...)
		prev = x.Start
	}
	return out, nil
}
