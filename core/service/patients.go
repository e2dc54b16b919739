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

// Patients lists the training sandbox's synthetic patients, each with a
// line about their prescriptions. It fails with a config [*Error] when
// the sandbox is not the tracker that answers: real patients are never
// listed.
func (s *Service) Patients() (PatientsView, error) {
	if from := s.Settings().Source; from.Backend != BackendSandbox {
		return PatientsView{}, &Error{Kind: KindConfig, Fields: []FieldError{}, Reason: "not the sandbox",
			Message: "Synthetic patients come only with the training sandbox, and " + from.Name + " answers now."}
	}
	conn, err := s.connection()
	if err != nil {
		return PatientsView{}, err
	}
	v := PatientsView{Source: conn.source(), Patients: []PatientEntry{}}
	for _, p := range conn.sandbox().Patients() {
		v.Patients = append(v.Patients, PatientEntry{NHSNumber: p.NHSNumber, Display: spaced(p.NHSNumber), Summary: p.Summary,
			PrescriptionIDs: append([]string{}, p.PrescriptionIDs...)})
	}
	return v, nil
}
