package sandbox

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/eps-tracker/eps-tracker/core/tracker"
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
// REST API over synthetic patients. It is an http.Handler, safe for
// concurrent use, in pure Go, so it serves the same in a test, behind a
// local server and inside a browser.
type Sandbox struct {
	cfg     Config
	now     func() time.Time
	pop     *population
	entries [2]map[string][]byte // pre-rendered search entries, without and with quirks
	handler http.Handler
}

// New makes a sandbox and its population.
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
	s := &Sandbox{cfg: cfg, now: now, pop: generate(cfg.Seed, cfg.Today)}
	for q := range s.entries {
		s.entries[q] = make(map[string][]byte, len(s.pop.byID))
		for id, r := range s.pop.byID {
			var b bytes.Buffer
			searchEntry(&b, r, q == 1)
			s.entries[q][id] = b.Bytes()
		}
	}
	s.handler = WithFaults(http.HandlerFunc(s.serve), cfg.Faults)
	return s
}

// Patients lists the synthetic patients, in the order they were made; the
// last has no prescriptions.
func (s *Sandbox) Patients() []Patient { return s.pop.patients }

// Today returns the date the population was made around.
func (s *Sandbox) Today() tracker.Date { return s.cfg.Today }

// ServeHTTP answers GET {prefix}/mm/prescriptions (search) and
// GET {prefix}/mm/prescriptions/{id} (retrieve) as Spine does.
func (s *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

const base = "/mm/prescriptions"

func (s *Sandbox) serve(w http.ResponseWriter, r *http.Request) {
	path, ok := strings.CutPrefix(r.URL.EscapedPath(), s.cfg.Prefix+base)
	if !ok || path != "" && path[0] != '/' || strings.Count(path, "/") > 1 {
		http.Error(w, "404 page not found: the tracker answers at "+s.cfg.Prefix+base, http.StatusNotFound)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed: the tracker answers GET only", http.StatusMethodNotAllowed)
		return
	}
	b := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(b)
	b.Reset()
	if path == "" || path == "/" {
		s.search(b, r)
	} else {
		s.retrieve(b, r, path[1:])
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		w.Write(b.Bytes())
	}
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Spine checks the request before any lookup, in this order, and answers
// the first refusal's code.
var refusalOrder = []string{"asid", "traceId", "userId", "roleProfileId", "version", "prescriptionId", "nhsNumber", "earliestDate", "latestDate", "prescriptionStatus", "prescriptionVersion"}

// refused returns the statusCode with which Spine refuses a request, or 0.
// It asks core/validate, as every client does, and adds what Spine does
// not forgive: a value that only our normalising would make valid.
func (s *Sandbox) refused(r *http.Request, kind validate.Kind, id string) int {
	if r.URL.RawQuery == "" {
		return 50
	}
	q := r.URL.Query()
	format := "trace-summary"
	if kind == validate.KindRetrieve {
		format = "trace"
	}
	if q.Get("format") != format {
		return 50
	}
	asid, ok := header(r, "Spine-From-Asid")
	if !ok || asid == "" {
		return 52
	}
	in := validate.Input{Kind: kind, ASID: asid, Version: q.Get("version")}
	var sentTrace, sentUser, sentRole bool
	in.TraceID, sentTrace = header(r, "Eps-TraceId")
	in.UserID, sentUser = header(r, "Spine-UserId")
	in.RoleProfileID, sentRole = header(r, "Spine-RoleProfileId")
	sent := map[string]bool{"traceId": sentTrace, "userId": sentUser, "roleProfileId": sentRole}
	if kind == validate.KindSearch {
		in.NHSNumber = q.Get("nhsNumber")
		in.EarliestDate = q.Get("earliestDate")
		in.LatestDate = q.Get("latestDate")
		in.PrescriptionStatus = q.Get("prescriptionStatus")
		in.PrescriptionVersion = q.Get("prescriptionVersion")
	} else {
		in.PrescriptionID = id
	}
	report := validate.Check(in, s.now())
	codes := map[string]int{}
	for _, e := range report.Errors {
		codes[e.Field] = e.SpineCode
	}
	for _, name := range refusalOrder {
		raw := in.Field(name)
		normal, valid := report.Normalized[name]
		switch {
		case codes[name] != 0:
			return codes[name]
		case sent[name] && *raw == "":
			return validate.SpineCode(name) // a header sent empty is malformed
		case valid && !sameAsSent(name, *raw, normal):
			return validate.SpineCode(name)
		}
	}
	return 0
}

// sameAsSent reports whether Spine would read the raw value as it is. Spine
// accepts ids in lower case, but nothing else that only normalising mends.
func sameAsSent(name, raw, normal string) bool {
	if name == "prescriptionId" {
		return strings.EqualFold(raw, normal)
	}
	return raw == normal
}

// header returns a request header's first value and whether it was sent.
func header(r *http.Request, name string) (string, bool) {
	v := r.Header.Values(name)
	if len(v) == 0 {
		return "", false
	}
	return v[0], true
}

func (s *Sandbox) search(b *bytes.Buffer, r *http.Request) {
	quirks := s.cfg.Quirks
	if code := s.refused(r, validate.KindSearch, ""); code != 0 {
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
	var found []*record
	for _, rec := range s.pop.byNHS[q.Get("nhsNumber")] {
		switch {
		case rec.issued.Before(from) || rec.issued.After(to):
		case status != "" && !rec.hasStatus(status):
		case (version == "1" || version == "R1") && !rec.long():
		case (version == "2" || version == "R2") && rec.long():
		default:
			found = append(found, rec)
		}
	}
	entries := s.entries[0]
	if quirks {
		entries = s.entries[1]
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

func (s *Sandbox) retrieve(b *bytes.Buffer, r *http.Request, escapedID string) {
	// Spine reads the path as a query value: an unencoded "+" arrives as a space.
	id, err := url.QueryUnescape(escapedID)
	if err != nil {
		id = escapedID
	}
	if code := s.refused(r, validate.KindRetrieve, id); code != 0 {
		refusal(b, code, false, s.cfg.Quirks)
		return
	}
	rec, ok := s.pop.byID[strings.ToUpper(id)]
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
