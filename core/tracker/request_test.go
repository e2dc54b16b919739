package tracker

import (
	"net/url"
	"testing"
)

func TestRequestURLs(t *testing.T) {
	t.Parallel()
	base, _ := url.Parse("https://spine.example/prefix/mm/prescriptions")
	tests := []struct {
		name string
		got  *url.URL
		want string
	}{
		{"a search, in the API's order, others left out",
			SearchURL(base, map[string]string{"latestDate": "20261124", "nhsNumber": "9434765919", "format": SearchFormat, "evil": "x", "version": ""}),
			"https://spine.example/prefix/mm/prescriptions?format=trace-summary&nhsNumber=9434765919&latestDate=20261124"},
		{"a retrieve, its + escaped in the path and the query",
			RetrieveURL(base, "A3B4D9-Z42475-11E6B+", map[string]string{"format": RetrieveFormat, "issueNumber": "2", "nhsNumber": "9434765919", "version": "1+"}),
			"https://spine.example/prefix/mm/prescriptions/A3B4D9-Z42475-11E6B%2B?format=trace&issueNumber=2&version=1%2B"},
		{"a retrieve of an id with a slash and a space",
			RetrieveURL(base, "A/B C", nil),
			"https://spine.example/prefix/mm/prescriptions/A%2FB%20C"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.got.String(); got != tt.want {
				t.Errorf("URL\n got %s\nwant %s", got, tt.want)
			}
		})
	}
	if base.RawQuery != "" || base.Path != "/prefix/mm/prescriptions" {
		t.Errorf("the base URL was changed: %s", base)
	}
}

func TestParseStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body string
		code int
		ok   bool
	}{
		{`{"statusCode":"0","reason":"","prescriptionList":{"X":{"issues":{}}}}`, 0, true},
		{`{" prescription ":{},"statusCode":61}`, 61, true},
		{`{"reason":"no code"}`, 0, false},
		{`<html>busy</html>`, 0, false},
		{`{"statusCode":"0","prescriptionList":{`, 0, false},
	}
	for _, tt := range tests {
		code, err := ParseStatus([]byte(tt.body))
		if code != tt.code || (err == nil) != tt.ok {
			t.Errorf("ParseStatus(%s) = %d, %v; want %d, ok %v", tt.body, code, err, tt.code, tt.ok)
		}
	}
}
