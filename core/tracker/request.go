package tracker

import (
	"net/url"
	"strings"
)

// The fixed values of the format parameter of the two queries.
const (
	SearchFormat   = "trace-summary"
	RetrieveFormat = "trace"
)

// searchParameters and retrieveParameters are the query parameters the API
// defines for each query, in the order a request carries them. Their names
// are case sensitive.
var (
	searchParameters   = []string{"format", "nhsNumber", "earliestDate", "latestDate", "prescriptionStatus", "prescriptionVersion", "version"}
	retrieveParameters = []string{"format", "issueNumber", "version"}
)

// SearchURL is the URL of a search at base, the tracker's base URL (ending
// in /mm/prescriptions): base with the query of the search parameters that
// have a value in params (format, nhsNumber, earliestDate, latestDate,
// prescriptionStatus, prescriptionVersion, version), in that order, each
// escaped. Any other member of params is left out.
func SearchURL(base *url.URL, params map[string]string) *url.URL {
	u := *base
	u.RawQuery = query(params, searchParameters)
	return &u
}

// RetrieveURL is the URL of the retrieve of the prescription id at base:
// the id as the last segment of the path, and the query of the retrieve
// parameters that have a value in params (format, issueNumber, version).
// A "+", legal in an id, is sent as %2B wherever it is, as Spine reads an
// unencoded one as a space.
func RetrieveURL(base *url.URL, id string, params map[string]string) *url.URL {
	u := *base
	// PathEscape leaves "+" alone.
	u.RawPath = base.EscapedPath() + "/" + strings.ReplaceAll(url.PathEscape(id), "+", "%2B")
	u.Path = base.Path + "/" + id
	u.RawQuery = query(params, retrieveParameters)
	return &u
}

// query writes the query of the named parameters that have a value in
// params, in the order named, each escaped ("+" becomes %2B).
func query(params map[string]string, names []string) string {
	var b strings.Builder
	b.Grow(128)
	for _, name := range names {
		if v := params[name]; v != "" {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(name + "=" + url.QueryEscape(v))
		}
	}
	return b.String()
}
