package sandbox

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/eps-tracker/eps-tracker/core/tracker"
	"github.com/eps-tracker/eps-tracker/core/transport"
	"github.com/eps-tracker/eps-tracker/core/validate"
)

// Config configures a Sandbox. The zero Config is a working sandbox: seed 0,
// today's data, no quirks, no faults, served at /mm/prescriptions.
type Config struct {
	// Seed picks the synthetic population; the same seed and Today give the
	// same patients and prescriptions.
	Seed uint64
	// Today is the date the population is made around. Zero means the UK
	// date of Now.
	Today tracker.Date
	// Now is the sandbox's clock, for Spine's date defaults. Nil means
	// time.Now, moved to Today when Today is set.
	Now func() time.Time
	// Prefix is put before /mm/prescriptions in every path, e.g. "/spine".
	Prefix string
	// Quirks makes answers carry the oddities of real responses, so that
	// parsers are exercised against them.
	Quirks bool
	// Faults injects failures; nothing is injected unless it is enabled.
	Faults FaultConfig
}

// Sandbox is a faithful simulator of the Spine EPS Prescription Tracker
// REST API over synthetic patients. It is a [transport.Transport] that
// answers in-process, in pure Go, with no network at all, so it serves the
// same in a test, inside a browser and, through sandboxhttp, behind a local
// server. It is safe for concurrent use.
type Sandbox struct {
	cfg    Config
	now    func() time.Time
	data   func() *data        // made on first use
	faulty transport.Transport // answer, behind the configured faults
}

// data is what a sandbox answers from: its population, and each
// prescription's search entry pre-rendered, without and with quirks.
type data struct {
	pop     *population
	entries [2]map[string][]byte
}

// New makes a sandbox. Its population is made when it is first needed (the
// first request, or Patients), not here: that takes a moment, more in a
// browser, and a host that starts with the sandbox should not wait for it.
// It is the same population whenever it is made: the one of Config.Seed and
// Config.Today, which is fixed here.
func New(cfg Config) *Sandbox {
	now := cfg.Now
	if now == nil {
		now = time.Now
		if !cfg.Today.IsZero() {
			shift := tracker.StartOfDay(cfg.Today).Sub(tracker.StartOfDay(tracker.LondonDate(time.Now())))
			now = func() time.Time { return time.Now().Add(shift) }
		}
	}
	if cfg.Today.IsZero() {
		cfg.Today = tracker.LondonDate(now())
	}
	cfg.Prefix = strings.TrimRight(cfg.Prefix, "/")
	s := &Sandbox{cfg: cfg, now: now}
	s.data = sync.OnceValue(func() *data { return prepare(cfg.Seed, cfg.Today) })
	s.faulty = WithFaults(transport.Func(s.answer), cfg.Faults)
	return s
}

// prepare makes the population of seed around today and renders its
// search entries.
func prepare(seed uint64, today tracker.Date) *data {
	d := &data{pop: generate(seed, today)}
	for q := range d.entries {
		d.entries[q] = make(map[string][]byte, len(d.pop.byID))
		for id, r := range d.pop.byID {
			var b bytes.Buffer
			searchEntry(&b, r, q == 1)
			d.entries[q][id] = b.Bytes()
		}
	}
	return d
}

// Patients lists the synthetic patients, in the order they were made; the
// last has no prescriptions.
func (s *Sandbox) Patients() []Patient { return s.data().pop.patients }

// Today returns the date the population was made around.
func (s *Sandbox) Today() tracker.Date { return s.cfg.Today }

// Get answers GET {prefix}/mm/prescriptions (search) and
// GET {prefix}/mm/prescriptions/{id} (retrieve) as Spine does, with the
// configured faults: an answer with any HTTP status (404 for any other
// path), or no answer but [ErrConnectionReset] or the context's error.
func (s *Sandbox) Get(ctx context.Context, req *transport.Request) (*transport.Response, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.faulty.Get(ctx, req)
}

const base = "/mm/prescriptions"

// answer answers req, faults aside.
func (s *Sandbox) answer(_ context.Context, req *transport.Request) (*transport.Response, error) {
	path, ok := strings.CutPrefix(req.URL.EscapedPath(), s.cfg.Prefix+base)
	if !ok || path != "" && path[0] != '/' || strings.Count(path, "/") > 1 {
		return textAnswer(404, "404 page not found: the tracker answers at "+s.cfg.Prefix+base), nil
	}
	b := bufPool.Get().(*bytes.Buffer)
	b.Reset()
	if path == "" || path == "/" {
		s.search(b, req)
	} else {
		s.retrieve(b, req, path[1:])
	}
	body := &pooledBody{buf: b}
	body.Reset(b.Bytes())
	return &transport.Response{StatusCode: 200, Header: transport.Header{"Content-Type": "application/json", TrainingHeader: Training},
		ContentLength: int64(b.Len()), Body: body}, nil
}

// TrainingHeader is the header on every answer of the sandbox, [Training],
// which Spine never sends: a client that reaches the sandbox through a
// server or a gateway, by its URL alone, tells from it that the patients
// are synthetic, and shows the training banner.
const TrainingHeader = "Eps-Tracker-Training"

// Training is [TrainingHeader]'s value.
const Training = "synthetic patients"

// pooledBody reads an answer from a pooled buffer, which Close gives back.
type pooledBody struct {
	bytes.Reader
	buf *bytes.Buffer
}

func (b *pooledBody) Close() error {
	if b.buf != nil {
		b.Reset(nil)
		bufPool.Put(b.buf)
		b.buf = nil
	}
	return nil
}

// textAnswer is a plain-text answer, as net/http's http.Error writes one.
func textAnswer(status int, text string) *transport.Response {
	text += "\n"
	return &transport.Response{StatusCode: status,
		Header:        transport.Header{"Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff"},
		ContentLength: int64(len(text)), Body: io.NopCloser(strings.NewReader(text))}
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (s *Sandbox) search(b *bytes.Buffer, r *transport.Request) {
	quirks := s.cfg.Quirks
	if code := Refused(r, validate.KindSearch, "", s.now()); code != 0 {
		refusal(b, code, true, quirks)
		return
	}
	q := r.URL.Query()
	now := s.now()
	from, to := now.Add(-28*24*time.Hour), now
	if d, ok := tracker.ParseCompactDate(q.Get("earliestDate")); ok {
		from = tracker.StartOfDay(d)
	}
	if d, ok := tracker.ParseCompactDate(q.Get("latestDate")); ok {
		to = tracker.StartOfDay(d.AddDays(1)).Add(-time.Nanosecond) // the whole of that day
	}
	status, version := q.Get("prescriptionStatus"), q.Get("prescriptionVersion")
	d := s.data()
	var found []*record
	for _, rec := range d.pop.byNHS[q.Get("nhsNumber")] {
		switch {
		case rec.issued.Before(from) || rec.issued.After(to):
		case status != "" && !rec.hasStatus(status):
		case (version == "1" || version == "R1") && !rec.long():
		case (version == "2" || version == "R2") && rec.long():
		default:
			found = append(found, rec)
		}
	}
	entries := d.entries[0]
	if quirks {
		entries = d.entries[1]
	}
	searchAnswer(b, found, entries, quirks)
}

func (r *record) hasStatus(status string) bool {
	for _, is := range r.issues {
		if is.status == status {
			return true
		}
	}
	return false
}

func (s *Sandbox) retrieve(b *bytes.Buffer, r *transport.Request, escapedID string) {
	id := PathID(escapedID)
	if code := Refused(r, validate.KindRetrieve, id, s.now()); code != 0 {
		refusal(b, code, false, s.cfg.Quirks)
		return
	}
	rec, ok := s.data().pop.byID[strings.ToUpper(id)]
	if !ok {
		refusal(b, 1, false, s.cfg.Quirks)
		return
	}
	is := rec.current()
	if n := r.URL.Query().Get("issueNumber"); n != "" {
		is = nil
		for i := range rec.issues {
			if strconv.Itoa(rec.issues[i].number) == n {
				is = &rec.issues[i]
			}
		}
	}
	retrieveAnswer(b, rec, is, s.cfg.Quirks)
}
