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

/** One line of a CSV file read back (issue #27, the deprivation lookup): RFC 4180 quoting, no line breaks inside a field. */
export function csvRecord(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote === -1) throw new Error('a quoted field is not closed');
        value += line.slice(i, quote);
        i = quote + 1;
        if (line[i] !== '"') break;
        value += '"';
        i++;
      }
      fields.push(value);
      if (i < line.length && line[i] !== ',') throw new Error('text after a closing quote');
    } else {
      const comma = line.indexOf(',', i);
      fields.push(line.slice(i, comma === -1 ? line.length : comma));
      i = comma === -1 ? line.length : comma;
    }
    if (i >= line.length) return fields;
    i++; // the comma
    if (i === line.length) {
      fields.push('');
      return fields;
    }
  }
}
