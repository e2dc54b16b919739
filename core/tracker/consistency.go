package tracker

import "fmt"

// checker collects the inconsistencies of one prescription.
type checker struct {
	found []Inconsistency
}

func (c *checker) add(i Inconsistency) { c.found = append(c.found, i) }

// issue checks an issue's status and its line items against Spine's tables:
// every code must be known, and every line item's state must be one Spine
// allows for the issue's state.
func (c *checker) issue(number int, status Code, items []LineItem) {
	if status.Code == "" {
		c.add(Inconsistency{Issue: number, Field: "status", Message: "the issue has no prescription status"})
	} else if _, ok := LookupPrescriptionStatus(status.Code); !ok {
		c.add(Inconsistency{Issue: number, Field: "status",
			Message: fmt.Sprintf("prescription status %q is not a code Spine documents", status.Code)})
	}
	for _, li := range items {
		if _, ok := LookupLineItemStatus(li.Status.Code); !ok {
			c.add(Inconsistency{Issue: number, LineItem: li.Number, Field: "status",
				Message: fmt.Sprintf("line item status %q is not a code Spine documents", li.Status.Code)})
			continue
		}
		if allowed, known := ItemStatusAllowed(status.Code, li.Status.Code); known && !allowed {
			c.add(Inconsistency{Issue: number, LineItem: li.Number, Field: "status",
				Message: fmt.Sprintf("a line item cannot be %q (%s) while its prescription is %q (%s)",
					li.Status.Text, li.Status.Code, status.Text, status.Code)})
		}
	}
}
