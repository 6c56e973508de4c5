// @ts-check
// The server's API: one fetch wrapper, the signed-in user and the lists the filters offer.
/**
 * The signed-in user as GET /api/me gives it: the role, what it may do (src/auth/roles.ts), the providers seen.
 * @typedef {{ name: string, role: string, permissions: string[], providers: string[] | null, passwordChangeRequired: boolean }} User
 */
/** @type {User | null} */
let user = null;
/** @type {Promise<Vocabulary> | null} */
let vocab = null;
let onUnauthenticated = () => {};

/**
 * What to do when a request answers 401 (main.js shows the sign-in form).
 * @param {() => void} fn
 */
export function whenSignedOut(fn) {
  onUnauthenticated = fn;
}

/** What a request throws when it answered 401: the sign-in form is already shown, nothing else to say. */
export class SignedOut extends Error {
  constructor() {
    super('signed out');
  }
}

/**
 * A JSON request; answers { status, ok, body }. A 401 (other than signing in) shows the sign-in form and throws.
 * @param {'GET' | 'POST' | 'PATCH' | 'DELETE'} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<{ status: number, ok: boolean, body: any }>}
 */
export async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const json = res.status === 204 ? null : await res.json().catch(() => null);
  if (res.status === 401 && path !== '/api/session') {
    onUnauthenticated();
    throw new SignedOut();
  }
  return { status: res.status, ok: res.ok, body: json };
}

/** The signed-in user or null. */
export const currentUser = () => user;

/**
 * True when the signed-in user's role has this permission (issue #25: the server decides; this only hides what it would refuse).
 * @param {string} permission
 */
export const can = (permission) => user !== null && user.permissions.includes(permission);

/** True when the signed-in user may record events (trackers and admins). */
export const canRecord = () => can('record');

/**
 * The signed-in user, asking the server (GET /api/me) when not yet known; null when not signed in.
 * @returns {Promise<User | null>}
 */
export async function whoAmI() {
  if (!user) {
    const r = await fetch('/api/me', { credentials: 'same-origin' });
    if (r.status !== 200) return null;
    user = await r.json();
  }
  return user;
}

/** @param {string} name @param {string} password */
export async function signIn(name, password) {
  const r = await api('POST', '/api/session', { name, password });
  if (r.ok) {
    user = r.body;
    vocab = null;
  }
  return r;
}

/**
 * Changes the signed-in user's own password (POST /api/session/password); the server gives a new session.
 * @param {string} password @param {string} newPassword
 */
export async function changePassword(password, newPassword) {
  const r = await api('POST', '/api/session/password', { password, newPassword });
  if (r.ok) user = r.body;
  return r;
}

export async function signOut() {
  await fetch('/api/session', { method: 'DELETE', credentials: 'same-origin' });
  user = null;
  vocab = null;
}

/**
 * The lists the forms and filters offer, and the words for codes.
 * @typedef {object} Vocabulary
 * @property {string[]} tumourSites
 * @property {string[]} routes
 * @property {string[]} stages
 * @property {string[]} bands
 * @property {string[]} providers
 * @property {string[]} mdtDecisions
 * @property {import('./format.js').Labels} labels
 * @property {string | null} [trustName]
 * @property {Record<string, string>} suspectedSites suspected sites, each with its tumour site (issue #26)
 * @property {string[]} screeningProgrammes
 * @property {number} fitThreshold
 * @property {Record<string, string>} providerNames providers' names by ODS code (issue #28)
 * @property {Record<string, string>} sites the trust's sites by ODS site code, with their names (issue #28)
 */

/**
 * GET /api/vocabulary, asked once per sign-in; a failure is not kept.
 * @returns {Promise<Vocabulary>}
 */
export function vocabulary() {
  if (!vocab) {
    const asked = api('GET', '/api/vocabulary').then((r) => {
      if (!r.ok) throw new Error(`vocabulary: ${r.status}`);
      return r.body;
    });
    asked.catch(() => {
      if (vocab === asked) vocab = null;
    });
    vocab = asked;
  }
  return vocab;
}

/** @type {Promise<string> | null} */
let todayAsked = null;

/**
 * Today in England, as the server counts it (GET /healthz), asked once; the live counts carry it after midnight.
 * @returns {Promise<string>}
 */
export function serverToday() {
  todayAsked ??= fetch('/healthz')
    .then((r) => r.json())
    .then((h) => h.today);
  return todayAsked;
}
