// A national return's CSV: RFC 4180 with CRLF line ends, each field exactly as it is (a program
// reads it). The files are written by writePrivateFiles (src/private-files.ts).
import { csvField } from '../csv.ts';

export function csv(rows: readonly (readonly unknown[])[]): string {
  return rows.map((r) => `${r.map(csvField).join(',')}\r\n`).join('');
}
