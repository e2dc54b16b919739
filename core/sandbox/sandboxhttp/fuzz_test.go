package sandboxhttp

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/eps-tracker/eps-tracker/core/sandbox"
	"github.com/eps-tracker/eps-tracker/core/tracker"
)

// FuzzHandler sends arbitrary requests. Whatever comes in, the sandbox does
// not panic, answers 200, 404 or 405, and every 200 is a tracker response
// the client's parser reads without error.
func FuzzHandler(f *testing.F) {
	s := sandbox.New(sandbox.Config{Seed: 1, Now: func() time.Time { return now }})
	quirky := sandbox.New(sandbox.Config{Seed: 1, Now: func() time.Time { return now }, Quirks: true})
	nhs := s.Patients()[0].NHSNumber
	id := s.Patients()[0].PrescriptionIDs[0]
	f.Add("GET", "/mm/prescriptions", "format=trace-summary&nhsNumber="+nhs+"&earliestDate=20241124&latestDate=20261124", "200000001234", "abc-1", false)
	f.Add("GET", "/mm/prescriptions/"+id, "format=trace&issueNumber=1", "200000001234", "", true)
	f.Add("GET", "/mm/prescriptions/"+id+"%2B", "format=trace&issueNumber=x", "2000", "a_b", false)
	f.Add("POST", "/mm/prescriptions", "", "", "", false)
	f.Add("GET", "/mm/prescriptions", "format=trace-summary&nhsNumber=%zz&prescriptionStatus=0001&prescriptionVersion=R1", "200000001234", "", true)
	f.Add("GET", "/mm/prescriptions//", "format=trace", "200000001234", "", false)
	f.Fuzz(func(t *testing.T, method, path, query, asid, trace string, quirks bool) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path+query, " \x00\r\n#?") {
			t.Skip("not a request line a client can send")
		}
		req, err := http.NewRequest(method, "http://sandbox"+path+"?"+query, nil)
		if err != nil {
			t.Skip()
		}
		req.Header.Set("Spine-From-Asid", asid)
		if trace != "" {
			req.Header.Set("Eps-TraceId", trace)
		}
		w := httptest.NewRecorder()
		handler := Handler(s)
		if quirks {
			handler = Handler(quirky)
		}
		handler.ServeHTTP(w, req)
		switch w.Code {
		case http.StatusOK:
		case http.StatusNotFound, http.StatusMethodNotAllowed:
			return
		default:
			t.Fatalf("HTTP %d", w.Code)
		}
		if method == http.MethodHead {
			return
		}
		var perr error
		if strings.TrimRight(req.URL.EscapedPath(), "/") == "/mm/prescriptions" {
			_, perr = tracker.ParseSearch(w.Body.Bytes())
		} else {
			_, perr = tracker.ParseRetrieve(w.Body.Bytes())
		}
		if perr != nil {
			t.Fatalf("the answer does not parse: %v\n%s", perr, w.Body.Bytes())
		}
	})
}
