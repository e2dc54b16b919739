package cli

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// A batch file is a list of patients: NHS numbers one a line, or a CSV
// whose header names an NHS number column. It is read with one streaming
// CSV reader, so quoted fields may hold commas and line breaks; blank lines
// and lines starting # are skipped.
const (
	// maxBatchLine is the longest line read whole. The rest of a longer line is
	// dropped and its row reported invalid: no list of patients has one.
	maxBatchLine = 1 << 20
	// maxNHSNumber is the longest NHS number kept as written (with spaces,
	// hyphens, quotes of its own); a longer one is invalid.
	maxNHSNumber = 64
)

// batchLine is one row of a batch file: a patient to look up, or a row with
// no NHS number to look up (problem says why, reason in a few words).
type batchLine struct {
	line            int    // the line of the file the row starts on, from 1
	input           string // the NHS number as written
	problem, reason string // why the row was not looked up; "" when it is
}

// The reasons a row is not looked up, for the summary.
const (
	reasonLong     = "line too long"
	reasonQuotes   = "quotes out of place"
	reasonColumns  = "several columns"
	reasonEmpty    = "no NHS number"
	reasonNotValid = "invalid NHS number" // as the lookup reports it
)

// readBatch reads a batch file. It fails only when the file cannot be read
// or cannot be a list of patients at all (a header with no NHS number
// column); a row that is not right is a batchLine with a problem, and the
// rows after it are read.
func readBatch(r io.Reader) ([]batchLine, error) {
	cut := newLineCutter(r, maxBatchLine)
	cr := csv.NewReader(cut)
	cr.FieldsPerRecord = -1 // rows may be ragged; only the NHS number column matters
	cr.Comment = '#'
	var lines []batchLine
	column := -1 // the NHS number column of a CSV; -1 for one number a line
	first := true
	for {
		record, err := cr.Read()
		if err == io.EOF {
			return lines, nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			l := batchLine{line: pe.StartLine, problem: quotingProblem(pe), reason: reasonQuotes}
			if cut.take(pe.StartLine, pe.Line) {
				l.problem, l.reason = tooLong, reasonLong
			}
			lines, first = append(lines, l), false
			continue
		}
		if err != nil {
			return nil, err
		}
		start, _ := cr.FieldPos(0)
		end, _ := cr.FieldPos(len(record) - 1)
		long := cut.take(start, end+strings.Count(record[len(record)-1], "\n"))
		record = trimRecord(record)
		switch {
		case long:
			lines, first = append(lines, batchLine{line: start, problem: tooLong, reason: reasonLong}), false
			continue
		case len(record) == 0 || len(record) == 1 && strings.HasPrefix(record[0], "#"):
			continue // blank, or a comment
		case first:
			first = false
			if column, err = headerColumn(record, start); err != nil {
				return nil, err
			}
			if column >= 0 {
				continue
			}
		}
		lines = append(lines, rowOf(record, start, column))
	}
}

var tooLong = fmt.Sprintf("The line is longer than %d MiB, far longer than any list of patients has.", maxBatchLine>>20)

// rowOf is the patient a row names: the one field of a line, or the NHS
// number column of a CSV.
func rowOf(record []string, line, column int) batchLine {
	l := batchLine{line: line}
	i := max(column, 0)
	switch {
	case column < 0 && len(record) > 1:
		l.problem, l.reason = fmt.Sprintf("The line has %d columns: with no header line naming an NHS number column, each line holds one NHS number.", len(record)), reasonColumns
	case i >= len(record) || record[i] == "":
		l.problem, l.reason = "The NHS number column is empty.", reasonEmpty
	case len(record[i]) > maxNHSNumber:
		l.problem, l.reason = fmt.Sprintf("The NHS number column holds %d characters; an NHS number has 10 digits.", len(record[i])), reasonNotValid
	default:
		l.input = record[i]
	}
	return l
}

// headerColumn tells a header from a first row of data, and finds the
// header's NHS number column. A header has letters in it and no field that
// looks like a number (data rows hold an NHS number, or a date); it has
// several columns, or its one column is named as an NHS number. It returns
// -1 for a first row that is data.
func headerColumn(record []string, line int) (int, error) {
	header := true
	for _, f := range record {
		header = header && digits(f) < 6
	}
	header = header && strings.ContainsFunc(strings.Join(record, ""), unicode.IsLetter)
	for i, f := range record {
		if header && isNHSNumberColumn(f) {
			return i, nil
		}
	}
	switch {
	case header && len(record) > 1:
		return -1, fmt.Errorf("the header on line %d names no NHS number column (it has %s): name that column \"NHS Number\"",
			line, strings.Join(quoteAll(record), ", "))
	case len(record) > 1:
		return -1, fmt.Errorf("line %d has %d columns but the file has no header: add a header line naming the columns, with one \"NHS Number\"",
			line, len(record))
	}
	return -1, nil
}

// isNHSNumberColumn reports whether a header names the NHS number: "NHS
// Number", "NHS No.", "nhs_number", "nhsNumber", "Patient NHS number"…,
// in any case, with or without spaces, underscores, hyphens and dots.
func isNHSNumberColumn(name string) bool {
	key := strings.Map(func(r rune) rune {
		if strings.ContainsRune(" _-.", r) {
			return -1
		}
		return unicode.ToLower(r)
	}, name)
	key = strings.TrimPrefix(key, "patient")
	switch key {
	case "nhs", "nhsno", "nhsnum", "nhsnumber":
		return true
	}
	return false
}

func digits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

func quoteAll(fields []string) []string {
	q := make([]string, len(fields))
	for i, f := range fields {
		q[i] = fmt.Sprintf("%q", f)
	}
	return q
}

// trimRecord trims spaces around fields and drops empty fields at the end
// of a row, as spreadsheets write them.
func trimRecord(record []string) []string {
	for i, f := range record {
		record[i] = strings.TrimSpace(f)
	}
	for len(record) > 0 && record[len(record)-1] == "" {
		record = record[:len(record)-1]
	}
	return record
}

// quotingProblem says what is wrong with a row's quotes.
func quotingProblem(pe *csv.ParseError) string {
	switch {
	case pe.Err == csv.ErrBareQuote:
		return fmt.Sprintf("A quote (\") is inside a field that does not start with one (line %d): quote the whole field, or remove the quote.", pe.Line)
	case pe.Line > pe.StartLine:
		return fmt.Sprintf("A quoted field starts on this line and is not closed: lines %d to %d could not be read.", pe.StartLine, pe.Line)
	}
	return fmt.Sprintf("A quoted field goes on after its closing quote (column %d): a quote inside a quoted field is written twice.", pe.Column)
}

// lineCutter passes a batch file on to the CSV reader with its byte order
// mark dropped and every line cut to max bytes, noting the lines it cuts.
// Where the dropped part of a line held an odd number of quotes, one is
// kept, so that the line still opens or closes a quoted field as it did.
type lineCutter struct {
	in      *bufio.Reader
	max     int
	line    int   // the line being passed on, from 1
	width   int   // its length so far
	quotes  int   // quotes dropped from it
	cut     []int // lines cut, in order, not yet taken
	pending []byte
	err     error
}

func newLineCutter(r io.Reader, max int) *lineCutter {
	in := bufio.NewReaderSize(r, 64<<10)
	if bom, err := in.Peek(3); err == nil && string(bom) == "\ufeff" {
		_, _ = in.Discard(3)
	}
	return &lineCutter{in: in, max: max, line: 1}
}

func (c *lineCutter) Read(p []byte) (int, error) {
	for len(c.pending) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		var chunk []byte
		chunk, c.err = c.in.ReadSlice('\n')
		if c.err == bufio.ErrBufferFull {
			c.err = nil
		}
		c.pending = c.pass(chunk, c.err != nil)
	}
	n := copy(p, c.pending)
	c.pending = c.pending[n:]
	return n, nil
}

// pass returns what is passed on of the next chunk of the current line;
// ends says the input ends with it.
func (c *lineCutter) pass(chunk []byte, ends bool) []byte {
	text, newline := bytes.CutSuffix(chunk, []byte("\n"))
	keep := min(len(text), max(c.max-c.width, 0))
	if keep < len(text) {
		if c.width+keep == c.max && (len(c.cut) == 0 || c.cut[len(c.cut)-1] != c.line) {
			c.cut = append(c.cut, c.line)
		}
		c.quotes += bytes.Count(text[keep:], []byte{'"'})
	}
	c.width += len(text)
	if !newline && !ends {
		return text[:keep]
	}
	out := chunk
	if c.width > c.max {
		out = append([]byte(nil), text[:keep]...)
		if c.quotes%2 == 1 {
			out = append(out, '"')
		}
		if newline {
			out = append(out, '\n')
		}
	}
	c.line, c.width, c.quotes = c.line+1, 0, 0
	return out
}

// take reports whether a line from first to last was cut, and forgets the
// cut lines up to last: the CSV reader has read them.
func (c *lineCutter) take(first, last int) bool {
	long := false
	for len(c.cut) > 0 && c.cut[0] <= last {
		long = long || c.cut[0] >= first
		c.cut = c.cut[1:]
	}
	return long
}
