// Password hashing: scrypt with a per-password salt; the parameters are kept with each hash.
// And the one password policy, for setting a password anywhere (CLI, API): long enough, no longer
// than sign-in accepts, and hard to guess as zxcvbn judges it (@zxcvbn-ts: common passwords, names
// and words, keyboard runs, dates, repeats and l33t spellings, each with how many guesses it saves
// an attacker), which knows far more than a list written by hand.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };

export const PASSWORD_MIN_LENGTH = 12;
/** The longest password that can be set, and the longest sign-in accepts: the same number. */
export const PASSWORD_MAX_LENGTH = 200;

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export function verifyPassword(password: string, stored: string): boolean {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = scryptSync(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(actual, expected);
}

/** The least zxcvbn score a new password must reach: 3 is "safely unguessable" (about 10^8 guesses or more). */
export const MIN_SCORE = 3;
/** Characters zxcvbn reads: its matching slows with length (seconds at 200), and a longer passphrase is strong anyway. */
const CHECKED_LENGTH = 64;

/** Why a new password cannot be used (a message naming the field), or null when it can. */
export function passwordProblem(password: string, userName = ''): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH)
    return `password: at least ${PASSWORD_MIN_LENGTH} characters (three random words make a good one)`;
  if (length > PASSWORD_MAX_LENGTH) return `password: at most ${PASSWORD_MAX_LENGTH} characters`;
  if (password.trim() === '') return 'password: must not be only spaces';
  if (new Set(password).size < 5) return 'password: too repetitive: use at least 5 different characters';
  if (userName.length >= 3 && password.toLowerCase() === userName.toLowerCase())
    return 'password: must not be the user name';
  const { score, feedback } = strength().check(password, userName ? [userName] : []);
  if (score >= MIN_SCORE) return null;
  // zxcvbn says why in words: "This is similar to a commonly used password.", "Add more words that are less common."
  const why = [feedback.warning, ...feedback.suggestions].filter(Boolean).map((s) => s!.replace(/\.$/, ''));
  return `password: too easy to guess${why.length ? ` (${why.join('; ').toLowerCase()})` : ''}; three random words make a good one`;
}

type Zxcvbn = { check(password: string, userInputs?: string[]): { score: number; feedback: Feedback } };
type Feedback = { warning: string | null; suggestions: string[] };
let zxcvbn: Zxcvbn | undefined;

/**
 * zxcvbn with its common dictionary (passwords, names, words of English, keyboard patterns), made
 * on first use: it takes about half a second to build, which a command that sets no password
 * should not pay. Required, not imported, so the bundle leaves it in node_modules until then.
 */
function strength(): Zxcvbn {
  if (zxcvbn) return zxcvbn;
  const require = createRequire(import.meta.url);
  const { ZxcvbnFactory } = require('@zxcvbn-ts/core') as typeof import('@zxcvbn-ts/core');
  const common = require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
  const en = require('@zxcvbn-ts/language-en') as typeof import('@zxcvbn-ts/language-en');
  zxcvbn = new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
    maxLength: CHECKED_LENGTH,
  });
  return zxcvbn;
}
