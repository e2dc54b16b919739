package cli

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/eps-tracker/eps-tracker/core/client"
	"github.com/eps-tracker/eps-tracker/core/redact"
	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

type batchOptions struct {
	file        string
	concurrency int
	rate        float64 // lookups a second; 0 for no limit
	format      string
	output      string
}

// Outcomes of one line of a batch.
const (
	outcomeFound   = "found"   // prescriptions found
	outcomeNone    = "none"    // the search worked and found none
	outcomeInvalid = "invalid" // the line is not a valid NHS number: nothing was sent
	outcomeFailed  = "failed"  // the lookup failed
)

// batchLine is one patient to track.
type batchLine struct {
	line  int    // 1-based line number in the input
	input string // as written
}

// batchResult is what one line came to. It names the patient by NHS number
// only when the number was valid; an invalid one is masked.
type batchResult struct {
	Line          int               `json:"line"`
	NHSNumber     string            `json:"nhsNumber"`
	Outcome       string            `json:"outcome"`
	Current       int               `json:"current"`
	Future        int               `json:"future"`
	Past          int               `json:"past"`
	Pending       int               `json:"pendingCancellations"`
	Error         string            `json:"error,omitempty"`
	TraceID       string            `json:"traceId,omitempty"`
	Prescriptions []tracker.Summary `json:"prescriptions,omitempty"`
	reason        string            // the failure in a few words, for the summary
}

func runBatch(env Env, c *client.Client, q client.SearchQuery, b batchOptions) int {
	if b.concurrency < 1 || b.concurrency > 64 {
		fmt.Fprintln(env.Stderr, "eps-tracker search: --concurrency must be from 1 to 64.")
		return ExitUsage
	}
	if math.IsNaN(b.rate) || b.rate < 0 || b.rate > 1000 {
		fmt.Fprintln(env.Stderr, "eps-tracker search: --rate must be from 0 (no limit) to 1000 lookups a second.")
		return ExitUsage
	}
	if b.format != "json" && b.format != "csv" {
		fmt.Fprintf(env.Stderr, "eps-tracker search: --format %q: use json or csv.\n", b.format)
		return ExitUsage
	}
	in := env.Stdin
	if b.file != "-" {
		f, err := os.Open(b.file)
		if err != nil {
			fmt.Fprintf(env.Stderr, "eps-tracker search: %v\n", err)
			return ExitUsage
		}
		defer f.Close()
		in = f
	}
	lines, err := readBatch(in)
	if err != nil {
		fmt.Fprintf(env.Stderr, "eps-tracker search: reading %s: %v\n", b.file, err)
		return ExitUsage
	}
	out := env.Stdout
	if b.output != "" {
		f, err := os.Create(b.output)
		if err != nil {
			fmt.Fprintf(env.Stderr, "eps-tracker search: %v\n", err)
			return ExitUsage
		}
		defer f.Close()
		out = f
	}
	w := newResultWriter(out, b.format)
	progress := newProgress(env.Stderr, len(lines))
	results := trackAll(env.Context, c, q, lines, b, func(r batchResult) {
		w.write(r)
		progress.add(r)
	})
	w.flush()
	progress.done()
	writeSummary(env.Stderr, results, len(lines), progress.elapsed(), env.Context.Err() != nil)
	for _, r := range results {
		if r.Outcome == outcomeInvalid || r.Outcome == outcomeFailed {
			return ExitInvalid
		}
	}
	if len(results) < len(lines) {
		return ExitInvalid
	}
	return ExitOK
}

// readBatch reads NHS numbers one per line, or a CSV whose header has an
// nhsNumber column. Blank lines and lines starting # are skipped.
func readBatch(r io.Reader) ([]batchLine, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var lines []batchLine
	column := -1
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		if len(lines) == 0 && column < 0 && isHeader(text) {
			fields, err := csv.NewReader(strings.NewReader(text)).Read()
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", n, err)
			}
			for i, f := range fields {
				if k := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(f), " ", "")); k == "nhsnumber" {
					column = i
				}
			}
			if column < 0 {
				return nil, fmt.Errorf("line %d looks like a CSV header but has no nhsNumber column", n)
			}
			continue
		}
		input := text
		if column >= 0 {
			fields, err := csv.NewReader(strings.NewReader(text)).Read()
			if err != nil || column >= len(fields) {
				input = "" // reported as an invalid line
			} else {
				input = fields[column]
			}
		}
		lines = append(lines, batchLine{line: n, input: input})
	}
	return lines, sc.Err()
}

// isHeader reports whether a first line is a CSV header rather than an NHS number.
func isHeader(text string) bool {
	for _, r := range text {
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' {
			return strings.Contains(strings.ToLower(strings.ReplaceAll(text, " ", "")), "nhsnumber")
		}
	}
	return false
}

// trackAll looks every line up with bounded concurrency and an optional
// rate limit, calling emit with each result in input order. Stopping ctx
// stops new lookups; those under way finish.
func trackAll(ctx context.Context, c *client.Client, q client.SearchQuery, lines []batchLine, b batchOptions, emit func(batchResult)) []batchResult {
	jobs := make(chan int)
	done := make(chan batchResult)
	var wg sync.WaitGroup
	for range b.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				done <- track(ctx, c, q, lines[i])
			}
		}()
	}
	go func() {
		defer close(jobs)
		var tick *time.Ticker
		if b.rate > 0 {
			tick = time.NewTicker(time.Duration(float64(time.Second) / b.rate))
			defer tick.Stop()
		}
		for i := range lines {
			if tick != nil && i > 0 {
				select {
				case <-tick.C:
				case <-ctx.Done():
					return
				}
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(done) }()

	// Results arrive in any order; they are emitted in input order.
	byLine := map[int]batchResult{}
	next := 0
	var results []batchResult
	for r := range done {
		byLine[r.Line] = r
		for next < len(lines) {
			r, ok := byLine[lines[next].line]
			if !ok {
				break
			}
			delete(byLine, r.Line)
			emit(r)
			results = append(results, r)
			next++
		}
	}
	// After a stop, some lines never started: emit what did finish.
	rest := make([]batchResult, 0, len(byLine))
	for _, r := range byLine {
		rest = append(rest, r)
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i].Line < rest[j].Line })
	for _, r := range rest {
		emit(r)
		results = append(results, r)
	}
	return results
}

// track looks one line up.
func track(ctx context.Context, c *client.Client, q client.SearchQuery, l batchLine) batchResult {
	r := batchResult{Line: l.line}
	q.NHSNumber = l.input
	res, err := c.Search(ctx, q)
	var ve *validate.Error
	switch {
	case errors.As(err, &ve):
		r.Outcome, r.NHSNumber = outcomeInvalid, redact.NHSNumber(l.input)
		r.Error, r.reason = ve.Fields[0].Message, "invalid "+validate.Label(ve.Fields[0].Field)
		return r
	case err != nil:
		r.Outcome, r.NHSNumber = outcomeFailed, validate.NormalizeNHSNumber(l.input)
		r.Error, r.TraceID, r.reason = firstLine(explain(err, "")), client.TraceID(err), reasonOf(err)
		return r
	}
	r.NHSNumber, r.TraceID, r.Prescriptions = validate.NormalizeNHSNumber(l.input), res.TraceID, res.Prescriptions
	for _, s := range res.Prescriptions {
		switch groupOf(s) {
		case tracker.GroupFuture:
			r.Future++
		case tracker.GroupPast:
			r.Past++
		default:
			r.Current++
		}
		if s.PendingCancellations {
			r.Pending++
		}
	}
	r.Outcome = outcomeNone
	if len(res.Prescriptions) > 0 {
		r.Outcome = outcomeFound
	}
	return r
}

func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}

// reasonOf names a failure in a few words, for the summary.
func reasonOf(err error) string {
	var te *client.TransportError
	var se *tracker.StatusError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("Spine status %d (%s)", se.Code, se.Reason)
	case errors.As(err, &te) && errors.Is(te.Err, context.Canceled):
		return "stopped"
	case errors.As(err, &te) && te.Timeout():
		return "no answer in time"
	case errors.As(err, &te) && te.StatusCode != 0:
		return fmt.Sprintf("HTTP %d", te.StatusCode)
	case errors.As(err, &te):
		return "could not connect"
	}
	return "not a tracker answer"
}

// resultWriter writes results as JSON lines or CSV.
type resultWriter struct {
	json *json.Encoder
	csv  *csv.Writer
	buf  *bufio.Writer
}

var csvHeader = []string{"line", "nhsNumber", "outcome", "current", "future", "past", "pendingCancellations", "error", "traceId"}

func newResultWriter(w io.Writer, format string) *resultWriter {
	buf := bufio.NewWriter(w)
	rw := &resultWriter{buf: buf}
	if format == "csv" {
		rw.csv = csv.NewWriter(buf)
		_ = rw.csv.Write(csvHeader)
	} else {
		rw.json = json.NewEncoder(buf)
		rw.json.SetEscapeHTML(false)
	}
	return rw
}

func (w *resultWriter) write(r batchResult) {
	if w.csv != nil {
		_ = w.csv.Write([]string{strconv.Itoa(r.Line), r.NHSNumber, r.Outcome, strconv.Itoa(r.Current), strconv.Itoa(r.Future),
			strconv.Itoa(r.Past), strconv.Itoa(r.Pending), r.Error, r.TraceID})
		w.csv.Flush()
	} else {
		_ = w.json.Encode(r)
	}
	_ = w.buf.Flush() // each result as it comes, so a stopped batch loses nothing
}

func (w *resultWriter) flush() { _ = w.buf.Flush() }

// writeSummary ends a batch with what became of every line.
func writeSummary(w io.Writer, results []batchResult, total int, elapsed time.Duration, stopped bool) {
	count := map[string]int{}
	reasons := map[string]map[string][]int{outcomeInvalid: {}, outcomeFailed: {}}
	for _, r := range results {
		count[r.Outcome]++
		if m, ok := reasons[r.Outcome]; ok {
			m[r.reason] = append(m[r.reason], r.Line)
		}
	}
	fmt.Fprintf(w, "\nTracked %d of %d patients in %s: %d with prescriptions, %d with none, %d invalid input, %d failed.\n",
		len(results), total, elapsed.Round(time.Millisecond), count[outcomeFound], count[outcomeNone], count[outcomeInvalid], count[outcomeFailed])
	for _, outcome := range []string{outcomeInvalid, outcomeFailed} {
		var keys []string
		for k := range reasons[outcome] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(w, "  %s: %d (%s)\n", k, len(reasons[outcome][k]), linesList(reasons[outcome][k]))
		}
	}
	if stopped {
		fmt.Fprintf(w, "Stopped early: %d lines were not tracked. Run the batch again for them.\n", total-len(results))
	}
	if count[outcomeFailed] > 0 && !stopped {
		fmt.Fprintln(w, "Failed lines can be tried again: they are marked \"failed\" in the results.")
	}
}

func linesList(lines []int) string {
	sort.Ints(lines)
	var parts []string
	for i, l := range lines {
		if i == 10 {
			parts = append(parts, fmt.Sprintf("and %d more", len(lines)-10))
			break
		}
		parts = append(parts, strconv.Itoa(l))
	}
	return "line " + strings.Join(parts, ", ")
}

// progress shows how far a batch has got: a bar on a terminal, a plain line
// every tenth of the way otherwise.
type progress struct {
	w        io.Writer
	tty      bool
	total    int
	finished int
	counts   map[string]int
	start    time.Time
	failRun  int // failures in a row
}

func newProgress(w io.Writer, total int) *progress {
	return &progress{w: w, tty: isTerminal(w), total: total, counts: map[string]int{}, start: time.Now()}
}

func (p *progress) add(r batchResult) {
	p.finished++
	p.counts[r.Outcome]++
	if r.Outcome == outcomeFailed {
		p.failRun++
		if p.failRun == 20 {
			p.clear()
			fmt.Fprintln(p.w, "! The last 20 lookups failed: Spine may be unreachable. The batch goes on; stop it with Ctrl-C.")
		}
	} else {
		p.failRun = 0
	}
	if p.tty {
		const width = 30
		filled := width * p.finished / max(p.total, 1)
		fmt.Fprintf(p.w, "\r[%s%s] %d/%d  found %d  none %d  invalid %d  failed %d ",
			strings.Repeat("#", filled), strings.Repeat(".", width-filled), p.finished, p.total,
			p.counts[outcomeFound], p.counts[outcomeNone], p.counts[outcomeInvalid], p.counts[outcomeFailed])
		return
	}
	if step := max(p.total/10, 1); p.finished%step == 0 || p.finished == p.total {
		fmt.Fprintf(p.w, "progress: %d/%d done (found %d, none %d, invalid %d, failed %d)\n", p.finished, p.total,
			p.counts[outcomeFound], p.counts[outcomeNone], p.counts[outcomeInvalid], p.counts[outcomeFailed])
	}
}

func (p *progress) clear() {
	if p.tty {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

func (p *progress) done() {
	if p.tty {
		fmt.Fprintln(p.w)
	}
}

func (p *progress) elapsed() time.Duration { return time.Since(p.start) }
