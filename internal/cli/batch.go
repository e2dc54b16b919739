package cli

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/eps-tracker/eps-tracker/core/redact"
	"github.com/eps-tracker/eps-tracker/core/service"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

type batchOptions struct {
	file        string
	concurrency int
	rate        float64 // lookups a second; 0 for no limit
	rateGiven   bool    // --rate was given; without it, the rate suits where the lookups go
	format      string
	json        bool // --json, which means --format json
	output      string
	force       bool // --force: replace the output file if it exists
}

// Outcomes of one line of a batch.
const (
	outcomeFound   = "found"   // prescriptions found
	outcomeNone    = "none"    // the search worked and found none
	outcomeInvalid = "invalid" // the line is not a valid NHS number: nothing was sent
	outcomeFailed  = "failed"  // the lookup failed
)

// batchResult is what one line came to. It names the patient by NHS number
// only when the number was valid; an invalid one is masked.
type batchResult struct {
	Line      int                 `json:"line"`
	NHSNumber string              `json:"nhsNumber"`
	Outcome   string              `json:"outcome"`
	Current   int                 `json:"current"`
	Future    int                 `json:"future"`
	Past      int                 `json:"past"`
	Pending   int                 `json:"pendingCancellations"`
	Error     string              `json:"error,omitempty"`
	TraceID   string              `json:"traceId,omitempty"`
	Rows      []service.SearchRow `json:"rows,omitempty"` // one per issue, as search shows them
	reason    string              // the failure in a few words, for the summary
}

// check refuses options that make no sense.
func (b *batchOptions) check() error {
	switch {
	case b.concurrency < 1 || b.concurrency > 64:
		return errors.New("--concurrency must be from 1 to 64.")
	case b.rateGiven && !(b.rate >= 0 && b.rate <= 1000): // NaN too
		return errors.New("--rate must be from 0 (no limit) to 1000 lookups a second.")
	case b.format != "json" && b.format != "csv":
		return fmt.Errorf("--format %q: use json or csv.", b.format)
	case b.json && b.format != "json":
		return errors.New("--json and --format csv ask for different things: give one.")
	case b.force && b.output == "":
		return errors.New("--force replaces the --output file: give --output FILE with it.")
	}
	return nil
}

func runBatch(env Env, svc *service.Service, from answerer, q service.SearchQuery, b batchOptions) int {
	fail := func(format string, args ...any) int {
		fmt.Fprintf(env.Stderr, "eps-tracker search: "+format+"\n", args...)
		return ExitUsage
	}
	if !b.rateGiven { // 10 lookups a second against Spine, no limit against the built-in sandbox
		b.rate = 10
		if svc.Settings().Source.Backend == service.BackendSandbox {
			b.rate = 0
		}
	}
	in, name := env.Stdin, b.file
	if b.file == "-" {
		name = "standard input"
		if isTerminal(in) {
			fmt.Fprintln(env.Stderr, "Reading NHS numbers, one a line; end with Ctrl-D.")
		}
	} else {
		f, err := os.Open(b.file)
		if err != nil {
			return fail("%v.", err)
		}
		defer f.Close()
		in = f
	}
	if err := checkOutput(in, b); err != nil {
		return fail("%v.", err)
	}
	lines, err := readBatch(in)
	if err != nil {
		return fail("reading %s: %v.", name, err)
	}
	out := env.Stdout
	if b.output != "" {
		f, err := createOutput(b.output, b.force)
		if err != nil {
			return fail("%v.", err)
		}
		defer f.Close()
		out = f
	}
	from.announce(env.Stderr, nil)
	w := newResultWriter(out, b.format)
	progress := newProgress(env.Stderr, len(lines))
	results, untracked := trackAll(env.Context, svc, q, lines, b, func(r batchResult) {
		w.write(r)
		progress.add(r)
	})
	w.flush()
	progress.done()
	writeSummary(env.Stderr, results, untracked, progress.elapsed())
	for _, r := range results {
		if r.Outcome == outcomeInvalid || r.Outcome == outcomeFailed {
			return ExitInvalid
		}
	}
	if len(untracked) > 0 {
		return ExitInvalid
	}
	return ExitOK
}

// checkOutput refuses an output file that is the batch file itself, or
// that exists and is not to be replaced.
func checkOutput(in io.Reader, b batchOptions) error {
	if b.output == "" {
		return nil
	}
	out, err := os.Stat(b.output)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if f, ok := in.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if info, err := f.Stat(); err == nil && os.SameFile(info, out) {
			return fmt.Errorf("--output %s is the list being read, so nothing was written. Give another file for the results", b.output)
		}
	}
	if !b.force {
		return fmt.Errorf("%s already exists, so the batch did not start. Use --force to replace it, or --output for another file", b.output)
	}
	return nil
}

// createOutput creates the results file, readable by its owner only: it
// holds patients' NHS numbers. It replaces a file only when told to.
func createOutput(name string, force bool) (*os.File, error) {
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(name, flags, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%s already exists, so the batch did not start. Use --force to replace it, or --output for another file", name)
	}
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o600); err != nil { // a file replaced keeps its mode otherwise
		f.Close()
		return nil, err
	}
	return f, nil
}

// trackAll looks every line up with bounded concurrency and an optional
// rate limit, calling emit with each result in input order. Stopping ctx
// stops the batch: no lookup starts after it, those under way are
// abandoned, and the lines of both are returned as untracked.
func trackAll(ctx context.Context, svc *service.Service, q service.SearchQuery, lines []batchLine, b batchOptions, emit func(batchResult)) (results []batchResult, untracked []int) {
	type done struct {
		i       int
		r       batchResult
		tracked bool
	}
	jobs := make(chan int)
	finished := make(chan done)
	var wg sync.WaitGroup
	for range b.concurrency {
		wg.Go(func() {
			for i := range jobs {
				r, tracked := track(ctx, svc, q, lines[i])
				finished <- done{i, r, tracked}
			}
		})
	}
	go func() {
		defer close(jobs)
		var tick <-chan time.Time
		if b.rate > 0 {
			t := time.NewTicker(time.Duration(float64(time.Second) / b.rate))
			defer t.Stop()
			tick = t.C
		}
		looked := false
		for i, l := range lines {
			if l.problem == "" && looked && tick != nil {
				select {
				case <-tick:
				case <-ctx.Done():
					return
				}
			}
			if ctx.Err() != nil { // a stop wins over a worker ready for more
				return
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
			looked = looked || l.problem == ""
		}
	}()
	go func() { wg.Wait(); close(finished) }()

	// Results arrive in any order; they are emitted in input order.
	byIndex := map[int]done{}
	next := 0
	tracked := make([]bool, len(lines))
	take := func(d done) {
		if d.tracked {
			emit(d.r)
			results = append(results, d.r)
			tracked[d.i] = true
		}
	}
	for d := range finished {
		byIndex[d.i] = d
		for ; next < len(lines); next++ {
			d, ok := byIndex[next]
			if !ok {
				break
			}
			delete(byIndex, next)
			take(d)
		}
	}
	// After a stop, some lines never started: emit what did finish.
	rest := slices.Sorted(maps.Keys(byIndex))
	for _, i := range rest {
		take(byIndex[i])
	}
	for i, ok := range tracked {
		if !ok {
			untracked = append(untracked, lines[i].line)
		}
	}
	return results, untracked
}

// track looks one line up. A lookup the stop of ctx cut short is not
// tracked. The counts are the search view's: its rows (one per issue) in
// each group, and its prescriptions with a cancellation pending.
func track(ctx context.Context, svc *service.Service, q service.SearchQuery, l batchLine) (batchResult, bool) {
	r := batchResult{Line: l.line}
	if l.problem != "" {
		r.Outcome, r.Error, r.reason = outcomeInvalid, l.problem, l.reason
		return r, true
	}
	q.NHSNumber = l.input
	v, err := svc.Search(ctx, q)
	e := service.ErrorOf(err, service.Source{})
	switch {
	case e != nil && e.Kind == service.KindValidation:
		r.Outcome, r.NHSNumber = outcomeInvalid, redact.NHSNumber(l.input)
		r.Error, r.reason = firstLine(explain(e)), e.Reason
		return r, true
	case e != nil && ctx.Err() != nil:
		return r, false
	case e != nil:
		r.Outcome, r.NHSNumber = outcomeFailed, validate.NormalizeNHSNumber(l.input)
		r.Error, r.TraceID, r.reason = firstLine(e.Message), e.TraceID, e.Reason
		return r, true
	}
	r.NHSNumber, r.TraceID, r.Pending = v.Patient.NHSNumber, v.TraceID, v.PendingCancellations
	for _, g := range v.Groups {
		switch g.Group {
		case service.GroupCurrent:
			r.Current = g.Count
		case service.GroupFuture:
			r.Future = g.Count
		case service.GroupPast:
			r.Past = g.Count
		}
		r.Rows = append(r.Rows, g.Rows...)
	}
	r.Outcome = outcomeNone
	if !v.Empty {
		r.Outcome = outcomeFound
	}
	return r, true
}

func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
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
func writeSummary(w io.Writer, results []batchResult, untracked []int, elapsed time.Duration) {
	count := map[string]int{}
	reasons := map[string]map[string][]int{outcomeInvalid: {}, outcomeFailed: {}}
	for _, r := range results {
		count[r.Outcome]++
		if m, ok := reasons[r.Outcome]; ok {
			m[r.reason] = append(m[r.reason], r.Line)
		}
	}
	say := func(indent, format string, args ...any) {
		fmt.Fprintln(w, wrap(indent+fmt.Sprintf(format, args...), width(w), indent+"  "))
	}
	fmt.Fprintln(w)
	say("", "Tracked %d of %d patients in %s:", len(results), len(results)+len(untracked), elapsed.Round(time.Millisecond))
	say("  ", "%d with prescriptions, %d with none, %d invalid input, %d failed.",
		count[outcomeFound], count[outcomeNone], count[outcomeInvalid], count[outcomeFailed])
	for _, outcome := range []string{outcomeInvalid, outcomeFailed} {
		for _, k := range slices.Sorted(maps.Keys(reasons[outcome])) {
			say("  ", "%s: %d (%s)", k, len(reasons[outcome][k]), linesList(reasons[outcome][k]))
		}
	}
	if len(untracked) > 0 {
		say("", "Stopped early: %d lines were not tracked (%s). Run the batch again for them.", len(untracked), linesList(untracked))
	}
	if count[outcomeFailed] > 0 {
		say("", "Failed lines can be tried again: they are marked \"failed\" in the results.")
	}
}

// linesList names lines briefly, runs of them as ranges: "lines 2, 5-9".
// Past ten parts, it says how many more.
func linesList(lines []int) string {
	lines = slices.Sorted(slices.Values(lines))
	var parts []string
	for i := 0; i < len(lines); i++ {
		j := i
		for j+1 < len(lines) && lines[j+1] == lines[j]+1 {
			j++
		}
		if len(parts) == 10 {
			parts = append(parts, fmt.Sprintf("and %d more", len(lines)-i))
			break
		}
		part := strconv.Itoa(lines[i])
		if j > i {
			part += "-" + strconv.Itoa(lines[j])
		}
		parts, i = append(parts, part), j
	}
	if len(lines) == 1 {
		return "line " + parts[0]
	}
	return "lines " + strings.Join(parts, ", ")
}

// progress shows how far a batch has got: a bar on a terminal, a plain line
// every tenth of the way otherwise.
type progress struct {
	w        io.Writer
	tty      bool
	width    int // of the terminal
	total    int
	finished int
	counts   map[string]int
	start    time.Time
	failRun  int // lookups that failed in a row (lines not looked up do not count)
}

func newProgress(w io.Writer, total int) *progress {
	return &progress{w: w, tty: isTerminal(w), width: width(w), total: total, counts: map[string]int{}, start: time.Now()}
}

func (p *progress) add(r batchResult) {
	p.finished++
	p.counts[r.Outcome]++
	switch r.Outcome {
	case outcomeFailed:
		p.failRun++
		if p.failRun == 20 {
			p.clear()
			fmt.Fprintln(p.w, "! The last 20 lookups failed: Spine may be unreachable.\n  The batch goes on; stop it with Ctrl-C.")
		}
	case outcomeFound, outcomeNone:
		p.failRun = 0
	}
	counts := fmt.Sprintf("%d/%d  found %d  none %d  invalid %d  failed %d", p.finished, p.total,
		p.counts[outcomeFound], p.counts[outcomeNone], p.counts[outcomeInvalid], p.counts[outcomeFailed])
	if p.tty {
		// The bar takes what is left of the line, up to 30 columns; the last
		// column stays free, or the terminal would wrap. On a narrow
		// terminal the counts give way too.
		line := counts
		switch bar := min(30, p.width-len(counts)-4); {
		case bar >= 10:
			filled := bar * p.finished / max(p.total, 1)
			line = "[" + strings.Repeat("#", filled) + strings.Repeat(".", bar-filled) + "] " + counts
		case len(counts) >= p.width:
			line = fmt.Sprintf("%d/%d done", p.finished, p.total)
		}
		fmt.Fprint(p.w, "\r\033[K"+line)
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

// batchOnly refuses the flags only a batch uses, given without --batch.
func batchOnly(fs *flag.FlagSet) error {
	var given []string
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "concurrency", "rate", "format", "output", "force":
			given = append(given, "--"+f.Name)
		}
	})
	if len(given) == 0 {
		return nil
	}
	are := "are"
	if len(given) == 1 {
		are = "is"
	}
	return fmt.Errorf("%s %s for a list of patients: give --batch FILE with it, or leave it out.", strings.Join(given, " and "), are)
}

// setRate reads --rate. Whether it was given is kept apart from its value,
// so that no value a person types means "unset".
func (b *batchOptions) setRate(s string) error {
	rate, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return errors.New("not a number of lookups a second")
	}
	b.rate, b.rateGiven = rate, true
	return nil
}
