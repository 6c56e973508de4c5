// The vocabulary refuses what would let a record mislead: NHS numbers of one digit repeated (they
// pass the check digit), and free text with control characters or marks that reorder it.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normaliseNhsNumber } from '../../src/vocabulary/nhs-number.ts';
import { pathwayEvent } from '../../src/vocabulary/events.ts';

const referral = {
  type: 'referral_received',
  on: '2026-11-01',
  route: 'urgent_suspected_cancer',
  tumourSite: 'lung',
  nhsNumber: '9434765919',
};
const issue = (event: object) => {
  const r = pathwayEvent.safeParse(event);
  return r.success ? null : `${r.error.issues[0]!.path.join('.')}: ${r.error.issues[0]!.message}`;
};

describe('vocabulary hardening', () => {
  it('refuses every NHS number of one digit repeated, though each passes Modulus 11 (R17)', () => {
    for (let d = 0; d <= 9; d++) expect(normaliseNhsNumber(String(d).repeat(10)), String(d)).toBeNull();
    expect(issue({ ...referral, nhsNumber: '0000000000' })).toMatch(/^nhsNumber: is not a valid NHS number/);
    expect(normaliseNhsNumber('9434765919')).toBe('9434765919');
    expect(normaliseNhsNumber('943-476-5919')).toBe('9434765919'); // grouped by hyphens (#28)
    expect(normaliseNhsNumber('943 476-5919')).toBeNull(); // but not a mixture
  });
  it('a typed NHS number means the same ten digits whether grouped by spaces, hyphens or not at all', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{10}$/), (digits) => {
        const [a, b, c] = [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6)];
        const plain = normaliseNhsNumber(digits);
        expect(normaliseNhsNumber(`${a} ${b} ${c}`)).toBe(plain);
        expect(normaliseNhsNumber(`${a}-${b}-${c}`)).toBe(plain);
      }),
    );
  });

  it('refuses names and notes with a right-to-left override, other reordering marks or control characters', () => {
    for (const mark of [
      '\u202E',
      '\u202D',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
      '\u200F',
      '\u061C',
      '\u0000',
      '\u0007',
      '\u001B',
      '\n',
      '\u009B',
    ]) {
      expect(issue({ ...referral, patientName: `Ann${mark}Smith` }), JSON.stringify(mark)).toMatch(
        /^patientName: must not contain control characters/,
      );
    }
    expect(issue({ type: 'removed', on: '2026-11-02', reason: 'other', note: 'moved\u202Eaway' })).toMatch(/^note:/);
    expect(issue({ ...referral, patientName: 'Siân Ó Briain-Nguyễn' })).toBeNull();
    expect(issue({ ...referral, patientName: 'مريم أحمد' })).toBeNull(); // right-to-left script itself is fine
  });

  it('accepts any printable name (property)', () => {
    const printable = fc
      .string({
        minLength: 1,
        maxLength: 60,
        unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ-'.áéíóúŵŷñøæ"),
      })
      .filter((s) => s.trim().length > 0);
    fc.assert(fc.property(printable, (name) => issue({ ...referral, patientName: name }) === null));
  });
});
