// Password hashing: scrypt with a per-password salt; the parameters are kept with each hash.
// And the one password policy, for setting a password anywhere (CLI, API): long enough, not one
// of the common ones, and no longer than sign-in accepts.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { COMMON_WORDS, RUNS } from './common-passwords.ts';

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
  if (isCommon(password))
    return 'password: is a commonly used password, or one with digits or symbols added; choose another (three random words make a good one)';
  return null;
}

const WORDS = new Set(COMMON_WORDS);
const LONGEST_WORD = Math.max(...COMMON_WORDS.map((w) => w.length));
const LOOK_ALIKES: Record<string, string> = {
  '@': 'a',
  '4': 'a',
  '8': 'b',
  '3': 'e',
  '1': 'i',
  '!': 'i',
  '0': 'o',
  '5': 's',
  $: 's',
  '7': 't',
  '+': 't',
};

function isCommon(password: string): boolean {
  const lower = password.toLowerCase().normalize('NFKC');
  const plain = lower.replace(/[^a-z0-9]/g, '');
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  // A run along the keyboard, the alphabet or the digits: the whole, or its letters with digits added.
  const isRun = (text: string) =>
    text.length >= 4 && RUNS.some((run) => run.includes(text) || [...run].reverse().join('').includes(text));
  if (isRun(plain) || isRun(core.replace(/[^a-z]/g, ''))) return true;
  // The same few characters again and again: "passwordpassword", "abc123abc123".
  if (/^(.+)\1+$/.test(plain)) return true;
  // Its letters are only common words: with digits and symbols added before or after ("Summer2026!"),
  // look-alikes within ("p@ssw0rd"), or scattered ("sum2026mer").
  const asLetters = (text: string) =>
    [...text]
      .map((c) => LOOK_ALIKES[c] ?? c)
      .join('')
      .replace(/[^a-z]/g, '');
  return [asLetters(core), asLetters(lower), lower.replace(/[^a-z]/g, '')].some(
    (letters) => letters.length > 0 && madeOfCommonWords(letters),
  );
}

/** True when the text splits wholly into common words (word break over the list). */
function madeOfCommonWords(text: string): boolean {
  const reachable = new Array<boolean>(text.length + 1).fill(false);
  reachable[0] = true;
  for (let end = 1; end <= text.length; end++) {
    for (let start = Math.max(0, end - LONGEST_WORD); start < end && !reachable[end]; start++) {
      if (reachable[start] && WORDS.has(text.slice(start, end))) reachable[end] = true;
    }
  }
  return reachable[text.length]!;
}
