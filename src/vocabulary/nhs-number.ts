// NHS number check digit, Modulus 11 (cwt-rules R17).

/**
 * The ten digits of a valid NHS number, or null. Spaces or hyphens in the 3-3-4 grouping are
 * taken out ("999 000 0018", "999-000-0018"): the one place a typed NHS number is read.
 */
export function normaliseNhsNumber(input: string): string | null {
  const trimmed = input.trim();
  const grouped = /^(\d{3})([ -])(\d{3})\2(\d{4})$/.exec(trimmed);
  const digits = grouped ? `${grouped[1]}${grouped[3]}${grouped[4]}` : trimmed;
  if (!/^\d{10}$/.test(digits)) return null;
  // Every number of one digit repeated (0000000000, 1111111111...) passes the check digit; none is
  // issued, and 0000000000 is what a blank field becomes (OpenPTL convention).
  if (/^(\d)\1{9}$/.test(digits)) return null;
  return checkDigit(digits.slice(0, 9)) === Number(digits[9]) ? digits : null;
}

/** The check digit for nine digits, or null where the remainder makes the number invalid (10). */
export function checkDigit(firstNine: string): number | null {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * (10 - i);
  const result = 11 - (sum % 11);
  if (result === 11) return 0;
  if (result === 10) return null;
  return result;
}

/** A number from the 999 range, never issued to a patient: test and synthetic data (never submitted nationally). */
export function isTestNhsNumber(nhsNumber: string): boolean {
  return nhsNumber.startsWith('999');
}

/**
 * Every valid NHS number in a text (a file a person downloads: a CSV, a page), as ten digits, each
 * once, in the order first found: written 9990000018 or 999 000 0018. Used to record who received
 * which patients in a file (issue #25); a run of ten digits that merely passes the check digit is
 * counted too, which errs towards recording more, never less.
 */
export function nhsNumbersIn(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/(?<!\d)(\d{3}) ?(\d{3}) ?(\d{4})(?!\d)/g)) {
    const n = normaliseNhsNumber(`${m[1]}${m[2]}${m[3]}`);
    if (n) found.add(n);
  }
  return [...found];
}
