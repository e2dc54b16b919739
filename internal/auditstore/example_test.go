//go:build !js

package auditstore_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/eps-tracker/eps-tracker/core/audit"
	"github.com/eps-tracker/eps-tracker/internal/auditstore"
)

// A gateway writes a record of each lookup before it answers; an
// investigator with the site's key finds a patient's lookups, and checks
// that no record was altered.
func Example() {
	dir, err := os.MkdirTemp("", "audit")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	key, err := audit.NewKey(strings.Repeat("an example key ", 3))
	if err != nil {
		log.Fatal(err)
	}
	store, err := auditstore.Open(filepath.Join(dir, "audit.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	ctx := context.Background()
	err = store.Write(ctx, audit.Record{
		Time:          time.Date(2026, time.November, 24, 9, 0, 0, 0, time.UTC),
		UserID:        "555555555555",
		Kind:          audit.Search,
		Patient:       key.Identify(audit.Search, "9992574356"),
		PatientMasked: "*** *** 4356",
		Outcome:       "0",
		HTTPStatus:    200,
	})
	if err != nil {
		log.Fatal(err) // the gateway does not answer
	}

	lookups, err := store.Search(ctx, audit.Search, key.Identify(audit.Search, "9992574356"))
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range lookups {
		fmt.Println(l.Seq, l.Time.Format(time.DateTime), l.UserID, l.PatientMasked, l.Outcome)
	}
	report, err := store.Verify(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(report.Records, "records, intact:", report.Intact())
	// Output:
	// 1 2026-11-24 09:00:00 555555555555 *** *** 4356 0
	// 1 records, intact: true
}
