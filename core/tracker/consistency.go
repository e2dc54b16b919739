package tracker

import "fmt"

// checker collects the inconsistencies of one prescription.
type checker struct {
	found []Inconsistency
}

func (c *checker) add(i Inconsistency) { c.found = append(c.found, i) }

// issue checks an issue's status and its line items against Spine's tables:
// every code must be known, and every line item's state must be one Spine
// allows for the issue's state. Everything is keyed on the codes; the
// messages say what the codes mean, since Spine's texts vary and can even
// belong to another code.
func (c *checker) issue(number int, status Code, items []LineItem) {
	st, known := LookupPrescriptionStatus(status.Code)
	switch {
	case status.Code == "":
		c.add(Inconsistency{Issue: number, Field: "status", Message: "the issue has no prescription status"})
	case !known:
		c.add(Inconsistency{Issue: number, Field: "status",
			Message: fmt.Sprintf("prescription status %q is not a code Spine documents", status.Code)})
	}
	for _, li := range items {
		item, ok := LookupLineItemStatus(li.Status.Code)
		if !ok {
			c.add(Inconsistency{Issue: number, LineItem: li.Number, Field: "status",
				Message: fmt.Sprintf("line item status %q is not a code Spine documents", li.Status.Code)})
			continue
		}
		if allowed, ruled := ItemStatusAllowed(status.Code, item.Code); ruled && !allowed {
			c.add(Inconsistency{Issue: number, LineItem: li.Number, Field: "status",
				Message: fmt.Sprintf("a line item cannot be %q (%s) while its prescription is %q (%s)",
					item.Text, item.Code, st.Plain, st.Code)})
		}
	}
}
