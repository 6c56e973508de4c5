// One CSV cell, for every CSV OpenPTL writes (the PTL export, the nightly report).

/** Quoted when needed; a value a spreadsheet would run as a formula (=, +, -, @) is kept as text. */
export function csvCell(value: unknown): string {
  let text = String(value ?? '');
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
