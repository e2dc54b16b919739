package tracker

import (
	"fmt"
	"time"

	"github.com/eps-tracker/eps-tracker/core/internal/ascii"
)

// Spine writes timestamps in UK local time with no offset. The rules below
// turn them into instants without a time zone database, which the browser and
// the Worker do not have: British Summer Time runs from 01:00 UTC on the last
// Sunday of March to 01:00 UTC on the last Sunday of October, as it has since
// 1996, long before the first electronic prescription.

var (
	gmt = time.FixedZone("GMT", 0)
	bst = time.FixedZone("BST", 60*60)
)

// London returns t in UK local time: the same instant, with the offset in force
// in the UK at that moment (+00:00 in winter, +01:00 in summer).
func London(t time.Time) time.Time {
	if inSummerTime(t) {
		return t.In(bst)
	}
	return t.In(gmt)
}

// LondonDate returns the calendar date in the UK at instant t.
func LondonDate(t time.Time) Date {
	y, m, d := London(t).Date()
	return Date{Year: y, Month: m, Day: d}
}

// londonWallClock returns the instant at which UK clocks showed the given
// wall-clock time. In the hour that occurs twice when clocks go back it picks
// the first (summer time); a time skipped when clocks go forward is read as
// winter time, so 01:30 on that morning becomes 02:30 summer time.
func londonWallClock(year int, month time.Month, day, hour, min, sec int) time.Time {
	wall := time.Date(year, month, day, hour, min, sec, 0, time.UTC)
	if summer := wall.Add(-time.Hour); inSummerTime(summer) {
		return summer.In(bst)
	}
	return London(wall)
}

// StartOfDay returns the instant UK clocks showed 00:00 on d: the start of
// that day in England.
func StartOfDay(d Date) time.Time {
	return londonWallClock(d.Year, d.Month, d.Day, 0, 0, 0)
}

// LondonWallClock returns the instant UK clocks showed the given time on d.
// In the hour that occurs twice when clocks go back it picks the first.
func LondonWallClock(d Date, hour, min, sec int) time.Time {
	return londonWallClock(d.Year, d.Month, d.Day, hour, min, sec)
}

// SpineTimestamp writes t as Spine does: UK local time, yyyymmddhhmmss.
func SpineTimestamp(t time.Time) string {
	return London(t).Format("20060102150405")
}

func inSummerTime(t time.Time) bool {
	t = t.UTC()
	y := t.Year()
	start := lastSunday(y, time.March).Add(time.Hour)
	end := lastSunday(y, time.October).Add(time.Hour)
	return !t.Before(start) && t.Before(end)
}

func lastSunday(year int, month time.Month) time.Time {
	last := time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC)
	return last.AddDate(0, 0, -int(last.Weekday()))
}

// Date is a calendar date with no time of day, such as the date of an issue.
// Its JSON form is "yyyy-mm-dd", or null for the zero Date.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// IsZero reports whether d is the zero Date (no date).
func (d Date) IsZero() bool { return d == Date{} }

// String returns d as yyyy-mm-dd, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Human returns d as people at a pharmacy counter read it: 10-Jun-2025.
func (d Date) Human() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d-%s-%04d", d.Day, d.Month.String()[:3], d.Year)
}

// Compact returns d as yyyymmdd, the form Spine's query parameters use.
func (d Date) Compact() string {
	if d.IsZero() || d.Year < 0 || d.Year > 9999 {
		return ""
	}
	b := [8]byte{
		byte('0' + d.Year/1000), byte('0' + d.Year/100%10), byte('0' + d.Year/10%10), byte('0' + d.Year%10),
		byte('0' + int(d.Month)/10), byte('0' + int(d.Month)%10), byte('0' + d.Day/10), byte('0' + d.Day%10),
	}
	return string(b[:])
}

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}

// AddDays returns the date n days after d (before, for negative n).
func (d Date) AddDays(n int) Date {
	t := time.Date(d.Year, d.Month, d.Day+n, 0, 0, 0, 0, time.UTC)
	return Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
}

// AddYears returns the date n years after d (before, for negative n); 29
// February becomes 1 March in a year that has none.
func (d Date) AddYears(n int) Date {
	t := time.Date(d.Year+n, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
	return Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
}

// MarshalJSON writes "yyyy-mm-dd", or null for the zero Date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads "yyyy-mm-dd" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	t, err := time.Parse(`"2006-01-02"`, string(b))
	if err != nil {
		return fmt.Errorf("date: want \"yyyy-mm-dd\": %w", err)
	}
	*d = Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
	return nil
}

// ParseCompactDate reads a real calendar date written yyyymmdd.
func ParseCompactDate(s string) (Date, bool) {
	if len(s) != 8 || !ascii.Digits(s) {
		return Date{}, false
	}
	y, m, d := ascii.Atoi(s[0:4]), ascii.Atoi(s[4:6]), ascii.Atoi(s[6:8])
	if !validDate(y, m, d) {
		return Date{}, false
	}
	return Date{Year: y, Month: time.Month(m), Day: d}, true
}

func validDate(y, m, d int) bool {
	if y < 1 || m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= daysIn(y, time.Month(m))
}

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// Timestamp is an instant that Spine wrote as UK local time. Its JSON form is
// RFC 3339 with the UK offset of that moment, "+00:00" in winter and "+01:00"
// in summer: "2025-06-10T14:30:00+01:00".
type Timestamp struct {
	time.Time
}

const timestampLayout = "2006-01-02T15:04:05-07:00"

// MarshalJSON writes t as RFC 3339 with its UK offset.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	return []byte(`"` + London(t.Time).Format(timestampLayout) + `"`), nil
}

// UnmarshalJSON reads an RFC 3339 timestamp.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	v, err := time.Parse(`"`+time.RFC3339+`"`, string(b))
	if err != nil {
		return fmt.Errorf("timestamp: want RFC 3339: %w", err)
	}
	t.Time = London(v)
	return nil
}
