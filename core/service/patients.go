package service

// PatientsView is the training sandbox's synthetic patients, to practise on.
type PatientsView struct {
	Source   Source         `json:"source"`
	Patients []PatientEntry `json:"patients"`
}

// PatientEntry is one synthetic patient.
type PatientEntry struct {
	NHSNumber string `json:"nhsNumber"`
	Display   string `json:"display"` // "999 257 4356"
	// Summary describes their prescriptions in a line: "3 prescriptions:
	// 2 current, 1 future, 0 past; repeat dispensing".
	Summary         string   `json:"summary"`
	PrescriptionIDs []string `json:"prescriptionIds"` // newest first
}
