// CSV for every file OpenPTL writes: RFC 4180 fields, quoted when they hold a comma, a quote or a
// line break.

/** One field exactly as it is: for files a program reads (the national returns). */
export function csvField(value: unknown): string {
  const text = String(value ?? '');
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One cell for a file people open in a spreadsheet (the PTL export, the nightly report): a value a spreadsheet would run as a formula (=, +, -, @) is kept as text. */
export function csvCell(value: unknown): string {
  const text = String(value ?? '');
  return csvField(typeof value === 'string' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
}

/** A file of rows for a program (the national returns): RFC 4180, CRLF line ends, fields as they are. */
export function csv(rows: readonly (readonly unknown[])[]): string {
  return rows.map((r) => `${r.map(csvField).join(',')}\r\n`).join('');
}
