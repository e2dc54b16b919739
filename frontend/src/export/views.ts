import type { Organisation, PrescriptionView, SearchView } from '../backend/types.js';

/** searchRows is a search as a table: a row per issue, under a header row. */
export function searchRows(v: SearchView): string[][] {
  const header = [
    'NHS number',
    'Group',
    'Prescription id',
    'Issue',
    'Issued',
    'Status',
    'Spine status',
    'Treatment',
    'Items',
    'Cancellation pending',
    'Last event',
  ];
  const rows = v.groups.flatMap((g) =>
    g.rows.map((r) => [
      v.patient.nhsNumber,
      g.title,
      r.prescriptionId,
      r.issueLabel,
      r.issueDate?.iso ?? '',
      r.status.label,
      r.status.spineText,
      r.treatment.label,
      String(r.items),
      r.pendingCancellation ? 'Yes' : '',
      r.lastEventDate?.iso ?? '',
    ]),
  );
  return [header, ...rows];
}

function organisation(o: Organisation | null): string {
  return o ? [o.name, o.ods, o.contact].filter(Boolean).join(', ') : '';
}

/** prescriptionRows is a prescription as a table of fields and values. */
export function prescriptionRows(v: PrescriptionView): string[][] {
  const b = v.banner;
  const i = v.issue;
  return [
    ['Field', 'Value'],
    ['Prescription id', b.prescriptionId],
    ['NHS number', v.patient.nhsNumber],
    ['Issue', b.issueLabel || String(i.number)],
    ['Status', i.found ? (b.status?.label ?? '') : i.message],
    ['Spine status', b.status?.spineText ?? ''],
    ['Treatment', b.treatment.label],
    ['Type', [b.type.label, b.type.country].filter(Boolean).join(', ')],
    ['Days supply', b.daysSupply ? String(b.daysSupply) : ''],
    ['Signed', b.signingDate?.iso ?? ''],
    ['Issued', (i.issueDate ?? b.issueDate)?.iso ?? ''],
    ['Last event', b.lastEventDate?.iso ?? ''],
    ['Last dispensed', i.lastDispenseDate?.iso ?? ''],
    ['Cancellation pending', b.pendingCancellation ? 'Yes' : ''],
    ['Prescriber', organisation(v.prescriber)],
    ['Nominated dispenser', organisation(v.nominatedDispenser)],
    ['Dispensing organisation', organisation(i.dispenser)],
    ...i.items.map((item) => [`Item ${item.number}`, `${item.status.label} (${item.status.code})`]),
    ...v.issues.entries.map((e) => [e.label, `${e.status.label}${e.issueDate ? `, issued ${e.issueDate.iso}` : ''}`]),
    ...v.inconsistencies.map((text) => ['Inconsistency', text]),
  ];
}
