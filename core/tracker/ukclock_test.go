package tracker

import (
	"testing"
	"time"
	_ "time/tzdata" // the reference for the UK rules, in tests only
)

// TestLondonMatchesTZDatabase checks the built-in UK clock rules against the
// time zone database, hour by hour, across the years prescriptions span.
func TestLondonMatchesTZDatabase(t *testing.T) {
	t.Parallel()
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2000, 1, 1, 0, 30, 0, 0, time.UTC)
	end := time.Date(2037, 1, 1, 0, 0, 0, 0, time.UTC)
	for at := start; at.Before(end); at = at.Add(time.Hour) {
		want := at.In(london)
		got := London(at)
		_, wantOff := want.Zone()
		_, gotOff := got.Zone()
		if gotOff != wantOff || !got.Equal(want) {
			t.Fatalf("London(%v) = %v, want %v", at, got, want)
		}
		// Reading the wall clock back gives the same instant, except in the
		// repeated hour, where the first (summer) reading is chosen.
		y, mo, d := want.Date()
		back := londonWallClock(y, mo, d, want.Hour(), want.Minute(), want.Second())
		if !back.Equal(at) && !back.Equal(at.Add(-time.Hour)) {
			t.Fatalf("londonWallClock(%v) = %v, want %v", want, back, at)
		}
	}
}

func TestLondonWallClockAroundChanges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		y           int
		mo          time.Month
		d, h, mi, s int
		want        string
	}{
		{"winter", 2024, time.December, 31, 23, 59, 59, "2024-12-31T23:59:59+00:00"},
		{"summer", 2025, time.June, 10, 14, 30, 0, "2025-06-10T14:30:00+01:00"},
		{"before spring forward", 2025, time.March, 30, 0, 30, 0, "2025-03-30T00:30:00+00:00"},
		{"skipped hour reads as winter time", 2025, time.March, 30, 1, 30, 0, "2025-03-30T02:30:00+01:00"},
		{"after spring forward", 2025, time.March, 30, 2, 30, 0, "2025-03-30T02:30:00+01:00"},
		{"before fall back", 2025, time.October, 26, 0, 59, 59, "2025-10-26T00:59:59+01:00"},
		{"repeated hour reads as summer time", 2025, time.October, 26, 1, 30, 0, "2025-10-26T01:30:00+01:00"},
		{"after fall back", 2025, time.October, 26, 2, 0, 0, "2025-10-26T02:00:00+00:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Timestamp{londonWallClock(tt.y, tt.mo, tt.d, tt.h, tt.mi, tt.s)}
			b, err := got.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != `"`+tt.want+`"` {
				t.Errorf("got %s, want %q", b, tt.want)
			}
		})
	}
}

func TestParseTimestampTruncated(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"20250610143015": "2025-06-10T14:30:15+01:00",
		"202506101430":   "2025-06-10T14:30:00+01:00",
		"2025061014":     "2025-06-10T14:00:00+01:00",
		"20250110":       "2025-01-10T00:00:00+00:00",
	}
	for in, want := range tests {
		got, ok := parseTimestamp([]byte(in))
		if !ok || London(got).Format(timestampLayout) != want {
			t.Errorf("parseTimestamp(%q) = %v, %v; want %s", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "2025", "202506101", "20251301", "20250230", "20250610246000", "2025061014301500", "2025-06-10"} {
		if _, ok := parseTimestamp([]byte(bad)); ok {
			t.Errorf("parseTimestamp(%q) accepted", bad)
		}
	}
}

func TestDate(t *testing.T) {
	t.Parallel()
	d, ok := ParseCompactDate("20240229")
	if !ok || d.String() != "2024-02-29" || d.Compact() != "20240229" {
		t.Fatalf("ParseCompactDate(20240229) = %v, %v", d, ok)
	}
	if _, ok := ParseCompactDate("20250229"); ok {
		t.Error("29 February 2025 accepted")
	}
	if got := d.AddDays(1).String(); got != "2024-03-01" {
		t.Errorf("AddDays(1) = %s", got)
	}
	for n, want := range map[int]string{-2: "2022-03-01", 4: "2028-02-29", 0: "2024-02-29"} {
		if got := d.AddYears(n).String(); got != want {
			t.Errorf("AddYears(%d) = %s, want %s", n, got, want)
		}
	}
	if !d.Before(d.AddDays(1)) || d.AddDays(1).Before(d) || d.Before(d) {
		t.Error("Before is wrong")
	}
	var back Date
	b, _ := d.MarshalJSON()
	if err := back.UnmarshalJSON(b); err != nil || back != d {
		t.Errorf("round trip: %v, %v", back, err)
	}
	if b, _ := (Date{}).MarshalJSON(); string(b) != "null" {
		t.Errorf("zero date marshals as %s", b)
	}
}
