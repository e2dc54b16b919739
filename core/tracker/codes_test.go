package tracker

import "testing"

func TestPrescriptionTypes(t *testing.T) {
	t.Parallel()
	types := PrescriptionTypes()
	if len(types) != 122 {
		t.Fatalf("got %d prescription types, want the 122 of Spine's table", len(types))
	}
	tests := []struct{ code, text, country string }{
		{"0001", "GENERAL PRACTITIONER PRESCRIBING", "England"},
		{"0707", "", "Wales"}, // a dentist in Wales, which code prefixes alone would miss
	}
	for _, tt := range tests {
		got, ok := LookupPrescriptionType(tt.code)
		if !ok || got.Country != tt.country || tt.text != "" && got.Text != tt.text {
			t.Errorf("LookupPrescriptionType(%s) = %+v, %v", tt.code, got, ok)
		}
	}
	if _, ok := LookupPrescriptionType("9999"); ok {
		t.Error("unknown type 9999 found")
	}
}

func TestStatusTables(t *testing.T) {
	t.Parallel()
	if len(PrescriptionStatuses()) != 13 || len(LineItemStatuses()) != 8 || len(TreatmentTypes()) != 3 {
		t.Fatal("code tables have the wrong size")
	}
	for _, text := range []string{"To Be Dispensed", "to be dispensed", " To be Dispensed ", "TO-BE-DISPENSED"} {
		if s, ok := PrescriptionStatusByText(text); !ok || s.Code != "0001" {
			t.Errorf("PrescriptionStatusByText(%q) = %v, %v", text, s, ok)
		}
	}
	if s, ok := PrescriptionStatusByText("No Claimed"); !ok || s.Code != "0009" {
		t.Errorf("No Claimed = %v, %v", s, ok)
	}
	if _, ok := PrescriptionStatusByText(""); ok {
		t.Error("empty text matched a status")
	}
	groups := map[Group]int{}
	for _, s := range PrescriptionStatuses() {
		groups[s.Group]++
	}
	if groups[GroupCurrent] != 5 || groups[GroupFuture] != 4 || groups[GroupPast] != 4 {
		t.Errorf("groups = %v", groups)
	}
}

// TestEveryCodeHasALabel: every status and treatment type has a label in
// plain English, and every status a meaning, for the views.
func TestEveryCodeHasALabel(t *testing.T) {
	t.Parallel()
	for name, table := range map[string][]StatusInfo{
		"prescription statuses": PrescriptionStatuses(), "line item statuses": LineItemStatuses(), "treatment types": TreatmentTypes(),
	} {
		for _, s := range table {
			if s.Plain == "" || s.Meaning == "" && name != "treatment types" {
				t.Errorf("%s: %s (%s) has no label or no meaning: %+v", name, s.Code, s.Text, s)
			}
		}
	}
}

func TestItemStatusAllowed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		prescription, item string
		allowed, known     bool
	}{
		{"0001", "0007", true, true},
		{"0001", "0001", false, true},
		{"0002", "0008", true, true},
		{"0003", "0003", true, true},
		{"0004", "0001", false, true},
		{"0006", "0001", true, true},
		{"0007", "0002", true, true},
		{"0007", "0001", false, true},
		{"9000", "0007", true, true},
		{"9005", "0005", false, false},
	}
	for _, tt := range tests {
		allowed, known := ItemStatusAllowed(tt.prescription, tt.item)
		if allowed != tt.allowed || known != tt.known {
			t.Errorf("ItemStatusAllowed(%s, %s) = %v, %v", tt.prescription, tt.item, allowed, known)
		}
	}
}

// TestTablesCannotBeChanged makes sure that what a caller does with a table
// it was given never changes what the next caller finds.
func TestTablesCannotBeChanged(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		table  func() []StatusInfo
		lookup func(string) (StatusInfo, bool)
		code   string
	}{
		{"prescription statuses", PrescriptionStatuses, LookupPrescriptionStatus, "0000"},
		{"line item statuses", LineItemStatuses, LookupLineItemStatus, "0001"},
		{"treatment types", TreatmentTypes, LookupTreatmentType, "0001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			want, ok := tt.lookup(tt.code)
			if !ok {
				t.Fatalf("%s not found", tt.code)
			}
			tt.table()[0] = StatusInfo{Code: tt.code, Text: "changed"}
			if got, _ := tt.lookup(tt.code); got != want {
				t.Errorf("after a caller changed its copy, %s = %+v, want %+v", tt.code, got, want)
			}
			if got := tt.table()[0]; got != want {
				t.Errorf("the table now starts %+v, want %+v", got, want)
			}
		})
	}
	PrescriptionTypes()[0] = PrescriptionType{Code: "0001", Text: "changed"}
	if got, _ := LookupPrescriptionType("0001"); got.Text == "changed" {
		t.Errorf("prescription type 0001 = %+v after a caller changed its copy", got)
	}
	if got := PrescriptionTypes()[0]; got.Text == "changed" {
		t.Errorf("the prescription types now start %+v", got)
	}
}

func TestStatusReason(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code int
		want string
	}{
		{0, ""},
		{1, "Not found"},
		{3, "Issue not found"},
		{57, "Invalid search date"},
		{58, ""}, // Spine documents no 58
		{61, "Invalid or missing NHS number"},
		{-1, ""},
	}
	for _, tt := range tests {
		if got := StatusReason(tt.code); got != tt.want {
			t.Errorf("StatusReason(%d) = %q, want %q", tt.code, got, tt.want)
		}
	}
}
