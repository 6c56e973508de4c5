// The search_terms table (workspace #15): a patient found by NHS number (with or without spaces)
// or by the start of the words of their name, over open and closed pathways. Each referral adds
// its NHS number and its name's words, lower-case; a rebuild adds them again from the events.
import { AppError } from '../errors.ts';
import { normaliseNhsNumber } from '../vocabulary/nhs-number.ts';
import { statementCache, type Db } from './db.ts';
import { IN_SCOPE, scopeParam } from './pathway-providers.ts';
import type { Scope } from '../auth/roles.ts';

/** A name's words as search terms: lower-case letters and digits ("O'Brien-Smith" → obrien, smith). */
export function nameTerms(name: string | null | undefined): string[] {
  return (name ?? '')
    .toLowerCase()
    .split(/[\s-]+/)
    .map((w) => w.replace(/[^\p{L}\p{N}]/gu, ''))
    .filter((w) => w.length > 0);
}

/** The most pathways one search answers (issue #25: a search finds a patient; it is not a list). */
export const SEARCH_LIMIT = 20;
/** Letters of a name a search needs at least (in words of two letters or more). */
export const SEARCH_MIN_LETTERS = 3;

export class Search {
  private readonly sql;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  /** Indexes a new pathway's patient (in the caller's transaction). */
  add(pathwayId: string, nhsNumber: string, patientName: string | null): void {
    const insert = this.sql('INSERT OR IGNORE INTO search_terms (term, pathway_id) VALUES (?, ?)');
    for (const term of termsOf({ nhsNumber, patientName })) insert.run(term, pathwayId);
  }

  /** A patient's details corrected (#17): the terms of the old ones out, the new ones in. */
  replace(pathwayId: string, before: Patient, after: Patient): void {
    const remove = this.sql('DELETE FROM search_terms WHERE term = ? AND pathway_id = ?');
    for (const term of termsOf(before)) remove.run(term, pathwayId);
    this.add(pathwayId, after.nhsNumber, after.patientName);
  }

  /** The pathway ids of a patient's NHS number, however it was typed (spaces, no spaces). */
  byNhsNumber(nhsNumber: string): string[] {
    return this.sql('SELECT pathway_id FROM search_terms WHERE term = ?').pluck().all(nhsNumber) as string[];
  }

  /**
   * Pathway ids for what a tracker typed: a valid NHS number, or words each starting a word of
   * the name ("jo smi" finds John Smith), at least three letters in all. Open pathways first, then
   * the latest referrals (read from the pathways table), at most `limit`, within a scope of
   * providers when one is given. Refuses a query with neither.
   */
  find(query: string, limit = SEARCH_LIMIT, scope: Scope = null): string[] {
    const digits = /^[\d\s-]+$/.test(query.trim()); // an NHS number, grouped by spaces or hyphens or not
    const nhs = digits ? normaliseNhsNumber(query) : null;
    if (digits && !nhs)
      throw new AppError(
        'invalid_request',
        'q: is not a valid NHS number (10 digits with a Modulus 11 check digit)',
        'q',
      );
    const words = nhs ? [nhs] : [...new Set(nameTerms(query))].filter((w) => w.length >= 2);
    if (words.length === 0 || (!nhs && words.join('').length < SEARCH_MIN_LETTERS))
      throw new AppError(
        'invalid_request',
        `q: type an NHS number, or at least ${SEARCH_MIN_LETTERS} letters of a name`,
        'q',
      );
    // Each word is a range of terms: [word, word + a character after every letter and digit); an NHS number is itself.
    const one = nhs
      ? 'SELECT pathway_id FROM search_terms WHERE term = ?'
      : 'SELECT pathway_id FROM search_terms WHERE term >= ? AND term < ?';
    const params = nhs ? [nhs] : words.flatMap((w) => [w, `${w}\u{10FFFF}`]);
    const within = scope === null ? '' : `AND ${IN_SCOPE.replace('@scope', '?')}`;
    return this.sql(
      `SELECT pathway_id FROM pathways WHERE pathway_id IN (${words.map(() => one).join(' INTERSECT ')}) ${within}
      ORDER BY status = 'open' DESC, referral_on DESC, pathway_id LIMIT ${Math.max(1, Math.min(limit, 500))}`,
    )
      .pluck()
      .all(...params, ...(scope === null ? [] : [scopeParam(scope)])) as string[];
  }

  /** Empties the table, for a rebuild inside the caller's transaction. */
  clear(): void {
    this.db.exec('DELETE FROM search_terms');
  }
}

type Patient = { nhsNumber: string; patientName: string | null };

function termsOf({ nhsNumber, patientName }: Patient): Set<string> {
  return new Set([nhsNumber, ...nameTerms(patientName)]);
}
