package cli

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/term"
)

// defaultWidth is the width output is made to fit when it does not go to a
// terminal, or the terminal's size is unknown.
const defaultWidth = 80

// isTerminal reports whether a standard stream is a terminal, where a person
// rather than a program reads or types. Files, pipes and /dev/null (a
// character device, but not a terminal) are not.
func isTerminal(stream any) bool {
	f, ok := stream.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(int(f.Fd()))
}

// width is the number of columns of the terminal a standard stream writes
// to, or defaultWidth when it is not a terminal.
func width(stream any) int {
	f, ok := stream.(interface{ Fd() uintptr })
	if !ok {
		return defaultWidth
	}
	w, _, err := term.GetSize(int(f.Fd()))
	if err != nil || w <= 0 {
		return defaultWidth
	}
	return w
}

// nbsp joins words that wrap keeps on one line, such as a flag and its
// value; wrap writes it as a space.
const nbsp = "\u00a0"

// wrap breaks text at spaces into lines of at most width runes, and
// indents the lines after the first. A word longer than a line is left
// whole, on a line of its own; words joined by nbsp count as one.
func wrap(text string, width int, indent string) string {
	var b strings.Builder
	n, fresh := 0, true // runes on the line; fresh while it holds no word
	for i, word := range strings.Split(text, " ") {
		w := utf8.RuneCountInString(word)
		switch {
		case i == 0:
		case !fresh && n+1+w > width:
			b.WriteString("\n" + indent)
			n, fresh = utf8.RuneCountInString(indent), true
		default:
			b.WriteByte(' ')
			n++
		}
		b.WriteString(word)
		n += w
		fresh = fresh && word == ""
	}
	return strings.ReplaceAll(b.String(), nbsp, " ")
}

// columns lays a table out: each cell but the last of a row padded to the
// widest in its column, two spaces apart.
func columns(rows [][]string) []string {
	var widths []int
	for _, row := range rows {
		for i, cell := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	lines := make([]string, len(rows))
	for r, row := range rows {
		var b strings.Builder
		for i, cell := range row {
			b.WriteString(cell)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell)+2))
			}
		}
		lines[r] = b.String()
	}
	return lines
}
