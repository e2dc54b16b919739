/**
 * csv writes rows as CSV text (RFC 4180): every cell quoted, quotes doubled,
 * lines ended with CRLF, and a byte-order mark so that a spreadsheet reads
 * it as UTF-8.
 *
 * A cell that a spreadsheet would run as a formula (one that starts with =,
 * +, -, @, a tab or a carriage return) is written with a leading apostrophe:
 * a name or a note in a prescription must never become a formula on the
 * pharmacy's PC.
 */
export function csv(rows: readonly (readonly string[])[]): string {
  return '\uFEFF' + rows.map((row) => row.map(cell).join(',') + '\r\n').join('');
}

function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}
