import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csv } from './csv.js';

test('csv', async (t) => {
  const cases: { name: string; rows: string[][]; want: string }[] = [
    { name: 'empty', rows: [], want: '\uFEFF' },
    {
      name: 'quoted and CRLF',
      rows: [['Issue', 'Status'], ['1 of 6', 'With dispenser']],
      want: '\uFEFF"Issue","Status"\r\n"1 of 6","With dispenser"\r\n',
    },
    {
      name: 'quotes, commas and new lines kept inside the cell',
      rows: [['say "when"', 'a, b', 'two\nlines']],
      want: '\uFEFF"say ""when""","a, b","two\nlines"\r\n',
    },
    {
      name: 'formulas are not run by a spreadsheet',
      rows: [['=HYPERLINK("x")', '+1', '-1', '@SUM(A1)', '\tx', 'a=b']],
      want: '\uFEFF"\'=HYPERLINK(""x"")","\'+1","\'-1","\'@SUM(A1)","\'\tx","a=b"\r\n',
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      assert.equal(csv(c.rows), c.want);
    });
  }
});
