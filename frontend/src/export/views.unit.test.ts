import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { PrescriptionView, SearchView } from '../backend/types.js';
import { prescriptionRows, searchRows } from './views.js';

// The compiled test runs from build/unit/src/export/: the examples are in src/.
function example<T>(component: string, name: string): T {
  const file = new URL(`../../../../src/components/${component}/examples/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

test('searchRows: a header, then a row per issue, in every group, dates as ISO', () => {
  const v = example<SearchView>('results', 'search-grouped');
  const rows = searchRows(v);
  assert.equal(rows.length, 1 + v.rows);
  assert.ok(rows.every((r) => r.length === rows[0]!.length));
  const first = v.groups[0]!.rows[0]!;
  assert.deepEqual(rows[1]!.slice(0, 6), [
    v.patient.nhsNumber,
    v.groups[0]!.title,
    first.prescriptionId,
    first.issueLabel,
    first.issueDate!.iso,
    first.status.label,
  ]);
});

test('searchRows: an empty search is its header alone', () => {
  assert.equal(searchRows(example<SearchView>('results', 'search-empty')).length, 1);
});

test('prescriptionRows: fields, each item and each issue', () => {
  const v = example<PrescriptionView>('prescription', 'retrieve-repeat-dispensing');
  const rows = prescriptionRows(v);
  const field = (name: string) => rows.find((r) => r[0] === name)?.[1];
  assert.equal(field('Prescription id'), v.banner.prescriptionId);
  assert.equal(field('Issue'), v.banner.issueLabel);
  assert.equal(rows.filter((r) => r[0]!.startsWith('Item ')).length, v.issue.items.length);
  for (const e of v.issues.entries) assert.ok(field(e.label)?.startsWith(e.status.label));
});

test('prescriptionRows: an issue Spine does not have says so in its status', () => {
  const v = example<PrescriptionView>('prescription', 'retrieve-issue-not-found');
  assert.equal(prescriptionRows(v).find((r) => r[0] === 'Status')?.[1], v.issue.message);
});
